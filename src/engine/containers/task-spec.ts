import { invalidArgument, type ContainerConfig, type HostConfig } from '../../core/index.js';
import type { NamespaceSource, ResourceSpec, TaskIo, TaskSpec } from '../runtime/index.js';
import type { TaskSetup } from './hooks.js';
import { rootfsPropagationFor } from '../volumes/index.js';
import type { ContainerRecord } from './types.js';

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Docker's container → the runtime's Docker-independent task. */
export function taskSpecFor(rec: ContainerRecord, setup: TaskSetup, resolveTask: (idOrName: string) => string): TaskSpec {
  const c = rec.Config;
  const h = rec.HostConfig;
  const spec: TaskSpec = {
    id: rec.Id,
    runtime: rec.Runtime,
    // Mounted by the container service already: the runtime uses it in place.
    rootfsPath: setup.rootfsPath,
    readonlyRootfs: h.ReadonlyRootfs ?? false,
    ...propagation(setup.mounts),
    process: {
      args: [rec.Path, ...rec.Args],
      env: processEnv(c, setup.env),
      cwd: c.WorkingDir || '/',
      user: c.User || '0',
      terminal: c.Tty ?? false,
      capAdd: h.CapAdd ?? [],
      capDrop: h.CapDrop ?? [],
      noNewPrivileges: (h.SecurityOpt ?? []).some((o) => /^no-new-privileges(:true|=true)?$/.test(o)),
      rlimits: (h.Ulimits ?? []).map((u) => ({ type: u.Name, soft: u.Soft, hard: u.Hard })),
      ...(h.GroupAdd?.length ? { additionalGroups: h.GroupAdd } : {}),
      ...(h.OomScoreAdj ? { oomScoreAdj: h.OomScoreAdj } : {}),
      ...consoleSize(h),
    },
    ...(setup.ready ? { ready: setup.ready } : {}),
    hostname: c.Hostname ?? '',
    domainname: c.Domainname ?? '',
    mounts: setup.mounts,
    namespaces: {
      network: setup.netnsPath !== undefined ? { path: setup.netnsPath } : 'host',
      pid: sharedNamespace(h.PidMode, resolveTask),
      ipc: sharedNamespace(h.IpcMode === 'private' || h.IpcMode === 'shareable' ? '' : h.IpcMode, resolveTask),
      uts: h.UTSMode === 'host' || h.NetworkMode === 'host' ? 'host' : 'new',
    },
    resources: resources(h),
    privileged: h.Privileged ?? false,
    ...(h.MaskedPaths ? { maskedPaths: h.MaskedPaths } : {}),
    ...(h.ReadonlyPaths ? { readonlyPaths: h.ReadonlyPaths } : {}),
    devices: (h.Devices ?? []).map((d) => ({ path: d.PathOnHost, containerPath: d.PathInContainer || d.PathOnHost, permissions: d.CgroupPermissions || 'rwm' })),
    sysctls: h.Sysctls ?? {},
    init: h.Init ?? false,
    ...(h.ShmSize ? { shmSize: h.ShmSize } : {}),
    labels: { name: rec.Name },
  };
  return spec;
}

export function taskIoFor(rec: ContainerRecord): TaskIo {
  const log = rec.HostConfig.LogConfig ?? { Type: 'json-file', Config: {} };
  const opts = log.Config ?? {};
  return {
    logPath: rec.LogPath,
    logDriver: log.Type === 'none' ? 'none' : 'json-file',
    ...(opts['max-size'] ? { logMaxSize: parseSize(opts['max-size']) } : {}),
    ...(opts['max-file'] ? { logMaxFile: Number(opts['max-file']) } : {}),
    tty: rec.Config.Tty ?? false,
    openStdin: rec.Config.OpenStdin ?? false,
    stdinOnce: rec.Config.StdinOnce ?? false,
  };
}

/** Checks log options at create time, with Docker's messages. */
export function validateLogConfig(host: HostConfig): void {
  const type = host.LogConfig?.Type || 'json-file';
  if (type !== 'json-file' && type !== 'none') throw invalidArgument(`logger: no log driver named '${type}' is registered`);
  for (const [key, value] of Object.entries(host.LogConfig?.Config ?? {})) {
    if (type === 'none') throw invalidArgument(`unknown log opt '${key}' for none log driver`);
    if (key === 'max-size') parseSize(value);
    else if (key === 'max-file') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw invalidArgument('max-file cannot be less than 1');
    } else if (!['labels', 'labels-regex', 'env', 'env-regex', 'tag', 'compress', 'mode', 'max-buffer-size'].includes(key)) {
      throw invalidArgument(`unknown log opt '${key}' for json-file log driver`);
    }
  }
}

function processEnv(c: ContainerConfig, linkEnv: readonly string[] = []): string[] {
  const env = [...(c.Env ?? [])];
  const has = (k: string): boolean => env.some((e) => e.startsWith(`${k}=`));
  if (!has('PATH')) env.unshift(DEFAULT_PATH);
  if (!has('HOSTNAME')) env.splice(1, 0, `HOSTNAME=${c.Hostname ?? ''}`);
  if (c.Tty && !has('TERM')) env.push('TERM=xterm');
  // Legacy link variables, unless the container's own Env sets the same name (dockerd: Env wins).
  env.push(...linkEnv.filter((v) => !has(v.slice(0, v.indexOf('=')))));
  return env;
}

function consoleSize(h: HostConfig): { consoleSize?: { rows: number; cols: number } } {
  const [rows, cols] = h.ConsoleSize ?? [0, 0];
  return rows && cols ? { consoleSize: { rows, cols } } : {};
}

function sharedNamespace(mode: string | undefined, resolveTask: (x: string) => string): NamespaceSource {
  if (!mode) return 'new';
  if (mode === 'host') return 'host';
  if (mode.startsWith('container:')) return { task: resolveTask(mode.slice('container:'.length)) };
  return 'new';
}

function resources(h: HostConfig): ResourceSpec {
  const r: ResourceSpec = {};
  if (h.Memory) {
    r.memory = h.Memory;
    // Docker: no --memory-swap means swap may be as large as memory.
    r.memorySwap = h.MemorySwap ? h.MemorySwap : h.Memory * 2;
  } else if (h.MemorySwap) r.memorySwap = h.MemorySwap;
  if (h.MemoryReservation) r.memoryReservation = h.MemoryReservation;
  if (h.CpuShares) r.cpuShares = h.CpuShares;
  if (h.NanoCpus) r.nanoCpus = h.NanoCpus;
  if (h.CpuQuota) r.cpuQuota = h.CpuQuota;
  if (h.CpuPeriod) r.cpuPeriod = h.CpuPeriod;
  if (h.CpusetCpus) r.cpusetCpus = h.CpusetCpus;
  if (h.CpusetMems) r.cpusetMems = h.CpusetMems;
  if (h.PidsLimit && h.PidsLimit > 0) r.pidsLimit = h.PidsLimit;
  if (h.BlkioWeight) r.blkioWeight = h.BlkioWeight;
  return r;
}

/** Docker's units.RAMInBytes: 10m, 1g, 512k, 100 (bytes). */
export function parseSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)i?b?$/i.exec(v.trim());
  if (!m) throw invalidArgument(`invalid size: '${v}'`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't' | 'p'];
  return Math.floor(Number(m[1]) * mult);
}


/** dockerd makes the rootfs rshared/rslave when a bind mount asks for shared/slave propagation. */
function propagation(mounts: TaskSetup['mounts']): { rootfsPropagation?: 'rshared' | 'rslave' } {
  const p = rootfsPropagationFor(mounts);
  return p ? { rootfsPropagation: p } : {};
}
