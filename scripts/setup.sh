#!/usr/bin/env bash
# Idempotent setup for a fresh Debian 12 machine: system packages, npm
# dependencies, the TypeScript build. `npm start` and `npm test` call it.
set -euo pipefail
cd "$(dirname "$0")/.."

# Engine: runc/crun, CNI plugins, firewall tools, tini (--init), busybox-static
# (test images). Cluster: etcd-server. Peers used by tests and benchmarks:
# docker.io (reference dockerd), docker-compose 1.29, skopeo, docker-registry.
packages=(
  runc crun containernetworking-plugins iptables nftables iproute2 tini busybox-static
  etcd-server skopeo docker-registry docker-compose docker.io unzip procps
  attr
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: not root, cannot install: ${missing[*]}" >&2
  else
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    # policy-rc.d keeps Debian from starting the packaged dockerd/etcd services.
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

stamp=node_modules/.berth-installed
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  echo "setup: npm install" >&2
  npm install --no-fund --no-audit >/dev/null
  touch "$stamp"
fi

npx tsc -p tsconfig.json
