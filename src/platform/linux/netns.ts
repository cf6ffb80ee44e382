import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isMountPoint, unmount } from './mount.js';
import { run } from './exec.js';
import type { DnsTarget, NetnsOps, SandboxOps } from './network-host.js';

/**
 * Named network namespaces kept alive by a bind mount on a file (as
 * `ip netns add` does, but under the engine's exec-root instead of
 * /run/netns, so that two daemons never see each other's namespaces).
 */
export class LinuxNetns implements NetnsOps {
  async create(path: string, options: { dns?: DnsTarget } = {}): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '', { flag: 'a' });
    try {
      // unshare bind-mounts the new namespace on path and runs the set-up inside it.
      const steps = [IPV6_OFF, 'ip link set lo up', ...(options.dns ? [DNS_SCRIPT] : [])];
      await run('unshare', [`--net=${path}`, 'sh', '-c', steps.join(' && ')], options.dns ? { input: dnsRedirectTable(options.dns).join('\n') + '\n' } : {});
    } catch (err) {
      await this.remove(path).catch(() => {});
      throw err;
    }
  }

  async remove(path: string): Promise<void> {
    if (await isMountPoint(path)) {
      // Busy: detach lazily. Gone meanwhile (a concurrent removal): fine.
      await unmount(path)
        .catch(() => unmount(path, { lazy: true }))
        .catch(async (err: unknown) => {
          if (await isMountPoint(path)) throw err;
        });
    }
    await rm(path, { force: true });
  }

  async list(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).map((name) => join(dir, name));
    } catch {
      return [];
    }
  }

  exists(path: string): Promise<boolean> {
    return isMountPoint(path);
  }
}

/**
 * Configuration inside a container's namespace, through nsenter (the mount
 * namespace stays the host's, so host tools run there).
 */
export class LinuxSandbox implements SandboxOps {
  async setDnsRedirect(netnsPath: string, target: DnsTarget | undefined): Promise<void> {
    // `add table` then `delete table` makes the replace idempotent.
    const lines = ['add table ip berth_dns', 'delete table ip berth_dns'];
    if (target) lines.push(...dnsRedirectTable(target));
    await run('nsenter', [`--net=${netnsPath}`, 'sh', '-c', target ? DNS_SCRIPT : 'exec nft -f -'], { input: lines.join('\n') + '\n' });
  }

  async setDefaultRoute(netnsPath: string, route: { gateway: string; ifName: string } | undefined): Promise<void> {
    const args = route ? ['route', 'replace', 'default', 'via', route.gateway, 'dev', route.ifName] : ['route', 'del', 'default'];
    await run('nsenter', [`--net=${netnsPath}`, 'ip', ...args], { okCodes: route ? [0] : [0, 2] });
  }
}

/**
 * Containers get IPv4 only, and dockerd then turns IPv6 off in the namespace
 * (no ::1 on lo, no fe80:: on eth0): `default` covers interfaces moved in later.
 */
const IPV6_OFF =
  'for f in all default lo; do [ -e /proc/sys/net/ipv6/conf/$f/disable_ipv6 ] && echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done; true';

/**
 * route_localnet lets a packet from 127.0.0.1 leave through eth0 once DNAT
 * has pointed it at the host; masquerade then gives it the container's address.
 */
const DNS_SCRIPT = 'echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet && exec nft -f -';

/** nft statements that send 127.0.0.11:53 (udp and tcp) to the embedded DNS listener. */
export function dnsRedirectTable(target: DnsTarget): string[] {
  const to = `${target.ip}:${target.port}`;
  return [
    'table ip berth_dns {',
    '  chain output {',
    '    type nat hook output priority -100; policy accept;',
    `    ip daddr 127.0.0.11 udp dport 53 dnat to ${to}`,
    `    ip daddr 127.0.0.11 tcp dport 53 dnat to ${to}`,
    '  }',
    '  chain postrouting {',
    '    type nat hook postrouting priority 100; policy accept;',
    `    ip saddr 127.0.0.0/8 ip daddr ${target.ip} meta l4proto { tcp, udp } th dport ${target.port} masquerade`,
    '  }',
    '}',
  ];
}
