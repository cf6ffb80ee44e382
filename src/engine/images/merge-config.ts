import type { ContainerConfig } from '../../core/index.js';

/**
 * Docker's commit-time merge (daemon/commit.go `merge`): what the commit
 * request and its changes leave unset is taken from the container's
 * config; Env and Labels are merged key by key.
 */
export function mergeConfig(user: ContainerConfig, image: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = structuredClone(user);
  if (!out.User) out.User = image.User ?? '';
  if (!out.ExposedPorts || Object.keys(out.ExposedPorts).length === 0) {
    if (image.ExposedPorts !== undefined) out.ExposedPorts = image.ExposedPorts;
  } else if (image.ExposedPorts) for (const p of Object.keys(image.ExposedPorts)) out.ExposedPorts[p] ??= {};
  if (!out.Env || out.Env.length === 0) out.Env = image.Env ?? null;
  else {
    const keys = new Set(out.Env.map((e) => e.split('=')[0]));
    for (const e of image.Env ?? []) if (!keys.has(e.split('=')[0])) out.Env.push(e);
  }
  out.Labels = { ...(image.Labels ?? {}), ...(out.Labels ?? {}) };
  if (!out.Entrypoint || out.Entrypoint.length === 0) {
    if (!out.Cmd || out.Cmd.length === 0) out.Cmd = image.Cmd ?? null;
    if (out.Entrypoint === undefined || out.Entrypoint === null) out.Entrypoint = image.Entrypoint ?? null;
  }
  if (image.Healthcheck) {
    if (!out.Healthcheck) out.Healthcheck = image.Healthcheck;
    else {
      const h = out.Healthcheck;
      if (!h.Test || h.Test.length === 0) h.Test = image.Healthcheck.Test ?? null;
      if (!h.Interval && image.Healthcheck.Interval) h.Interval = image.Healthcheck.Interval;
      if (!h.Timeout && image.Healthcheck.Timeout) h.Timeout = image.Healthcheck.Timeout;
      if (!h.StartPeriod && image.Healthcheck.StartPeriod) h.StartPeriod = image.Healthcheck.StartPeriod;
      if (!h.Retries && image.Healthcheck.Retries) h.Retries = image.Healthcheck.Retries;
    }
  }
  if (!out.WorkingDir) out.WorkingDir = image.WorkingDir ?? '';
  if (!out.Volumes || Object.keys(out.Volumes).length === 0) out.Volumes = image.Volumes ?? null;
  else out.Volumes = { ...out.Volumes, ...(image.Volumes ?? {}) };
  if (!out.StopSignal && image.StopSignal) out.StopSignal = image.StopSignal;
  return out;
}

/** The running platform as OCI names it. */
export function hostPlatform(): { os: string; architecture: string; variant?: string } {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

/** What Docker 20.10 writes as docker_version in configs it creates. */
export const DOCKER_VERSION = '20.10.24-berth';
