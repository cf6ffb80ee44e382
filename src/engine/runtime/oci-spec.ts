import type { HostDevice } from '../../platform/linux/processes.js';
import type { OciMount, ProcessSpec, TaskSpec, TerminalSize, UserSpec } from './index.js';
import { resolveCapabilities } from './capabilities.js';
import { DEFAULT_DEVICE_RULES, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE, defaultMounts, rlimitType, type OciDeviceCgroup } from './oci-defaults.js';

/** The part of the OCI runtime spec (1.0.2) Berth writes. */
export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname?: string;
  domainname?: string;
  mounts: OciMount[];
  linux: {
    namespaces: Array<{ type: string; path?: string }>;
    cgroupsPath: string;
    resources: Record<string, unknown> & { devices: OciDeviceCgroup[] };
    devices: Array<{ path: string; type: string; major: number; minor: number; fileMode: number; uid: number; gid: number }>;
    maskedPaths: string[];
    readonlyPaths: string[];
    sysctl?: Record<string, string>;
    rootfsPropagation?: string;
  };
}

export interface OciProcess {
  terminal: boolean;
  consoleSize?: { height: number; width: number };
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
  rlimits?: Array<{ type: string; soft: number; hard: number }>;
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
}

/** Everything the builder needs that is not pure data of the TaskSpec (resolved by the runtime). */
export interface OciContext {
  user: UserSpec;
  cgroupsPath: string;
  lastCap?: number;
  /** Our capability bounding set: privileged/ALL get only what we hold. */
  bounding?: bigint;
  /** Resolved --device entries. */
  devices?: Array<{ device: HostDevice; containerPath: string; permissions: string }>;
  /** Every host device, for privileged tasks. */
  hostDevices?: HostDevice[];
  /** Resolved namespace sources: absent → new, 'host' → shared with the host, else a namespace path. */
  namespacePaths?: { network?: string; pid?: string; ipc?: string };
  /** Another task's /dev/shm when sharing its ipc namespace. */
  sharedShm?: string;
  /** Init binary bind-mounted at /sbin/docker-init when spec.init. */
  initBinary?: string;
  /** Whether the kernel has a blkio weight to set. */
  blkioWeight?: boolean;
  /** Absolute root filesystem path; default `rootfs` in the bundle. */
  rootPath?: string;
}

export const INIT_PATH = '/sbin/docker-init';

export function buildOciSpec(spec: TaskSpec, ctx: OciContext): OciSpec {
  const privileged = spec.privileged === true;
  const ns = ctx.namespacePaths ?? {};
  const hostIpc = ns.ipc === 'host';
  const process = buildOciProcess(spec.process, ctx.user, {
    privileged,
    ...(ctx.lastCap !== undefined ? { lastCap: ctx.lastCap } : {}),
    ...(ctx.bounding !== undefined ? { bounding: ctx.bounding } : {}),
  });
  if (spec.init) process.args = [INIT_PATH, '--', ...process.args];
  const mounts = mergeMounts(
    defaultMounts({ privileged, shmSize: spec.shmSize ?? DEFAULT_SHM_SIZE, hostIpc, ...(ctx.sharedShm ? { sharedShm: ctx.sharedShm } : {}) }),
    [
      ...(spec.mounts ?? []),
      ...(spec.init && ctx.initBinary ? [{ destination: INIT_PATH, type: 'bind', source: ctx.initBinary, options: ['bind', 'ro'] }] : []),
    ],
  );
  const namespaces: Array<{ type: string; path?: string }> = [{ type: 'mount' }];
  for (const [type, source] of [['pid', ns.pid], ['ipc', ns.ipc], ['network', ns.network]] as const) {
    if (source === 'host') continue;
    namespaces.push(source ? { type, path: source } : { type });
  }
  if (spec.namespaces?.uts !== 'host') namespaces.push({ type: 'uts' });
  const devices = privileged ? (ctx.hostDevices ?? []).map((d) => ({ d, dest: d.path })) : (ctx.devices ?? []).map((x) => ({ d: x.device, dest: x.containerPath }));
  const deviceRules: OciDeviceCgroup[] = privileged
    ? [{ allow: true, access: 'rwm' }]
    : [...DEFAULT_DEVICE_RULES, ...(ctx.devices ?? []).map((x) => ({ allow: true, type: x.device.type, major: x.device.major, minor: x.device.minor, access: x.permissions }))];
  const oci: OciSpec = {
    ociVersion: '1.0.2-dev',
    process,
    root: { path: ctx.rootPath ?? 'rootfs', readonly: spec.readonlyRootfs === true },
    mounts,
    linux: {
      namespaces,
      cgroupsPath: ctx.cgroupsPath,
      resources: { devices: deviceRules, ...buildResources(spec, ctx) },
      devices: devices.map(({ d, dest }) => ({ path: dest, type: d.type, major: d.major, minor: d.minor, fileMode: d.fileMode, uid: d.uid, gid: d.gid })),
      maskedPaths: privileged ? [] : [...(spec.maskedPaths ?? DEFAULT_MASKED_PATHS)],
      readonlyPaths: privileged ? [] : [...(spec.readonlyPaths ?? DEFAULT_READONLY_PATHS)],
    },
  };
  if (spec.namespaces?.uts !== 'host') {
    if (spec.hostname !== undefined && spec.hostname !== '') oci.hostname = spec.hostname;
    if (spec.domainname !== undefined && spec.domainname !== '') oci.domainname = spec.domainname;
  }
  if (spec.sysctls && Object.keys(spec.sysctls).length > 0) oci.linux.sysctl = { ...spec.sysctls };
  if (spec.rootfsPropagation) oci.linux.rootfsPropagation = spec.rootfsPropagation;
  return oci;
}

/** The process part, shared by the task and by exec. */
export function buildOciProcess(
  p: Pick<ProcessSpec, 'args' | 'env' | 'cwd' | 'terminal' | 'consoleSize' | 'capAdd' | 'capDrop' | 'noNewPrivileges' | 'rlimits' | 'oomScoreAdj'>,
  user: UserSpec,
  options: { privileged?: boolean; lastCap?: number; bounding?: bigint } = {},
): OciProcess {
  const caps = resolveCapabilities({
    privileged: options.privileged === true,
    capAdd: p.capAdd ?? [],
    capDrop: p.capDrop ?? [],
    ...(options.lastCap !== undefined ? { lastCap: options.lastCap } : {}),
    ...(options.bounding !== undefined ? { bounding: options.bounding } : {}),
  });
  const out: OciProcess = {
    terminal: p.terminal === true,
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids && user.additionalGids.length > 0 ? { additionalGids: [...user.additionalGids] } : {}) },
    args: [...p.args],
    env: [...(p.env ?? [])],
    cwd: p.cwd && p.cwd !== '' ? p.cwd : '/',
    capabilities: { bounding: caps, effective: caps, permitted: caps },
    noNewPrivileges: p.noNewPrivileges === true,
  };
  if (p.terminal && p.consoleSize) out.consoleSize = consoleSize(p.consoleSize);
  if (p.rlimits && p.rlimits.length > 0) out.rlimits = p.rlimits.map((r) => ({ type: rlimitType(r.type), soft: r.soft, hard: r.hard }));
  if (p.oomScoreAdj !== undefined) out.oomScoreAdj = p.oomScoreAdj;
  return out;
}

function consoleSize(s: TerminalSize): { height: number; width: number } {
  return { height: s.rows, width: s.cols };
}

/** A caller mount at a default's destination replaces it; caller mounts are ordered parents first. */
export function mergeMounts(defaults: OciMount[], mounts: OciMount[]): OciMount[] {
  const taken = new Set(mounts.map((m) => normalize(m.destination)));
  const depth = (m: OciMount) => normalize(m.destination).split('/').length;
  const sorted = [...mounts].sort((a, b) => depth(a) - depth(b));
  return [...defaults.filter((m) => !taken.has(normalize(m.destination))), ...sorted];
}

function normalize(p: string): string {
  const s = p.replace(/\/+/g, '/').replace(/\/$/, '');
  return s === '' ? '/' : s;
}

function buildResources(spec: TaskSpec, ctx: OciContext): Record<string, unknown> {
  const r = spec.resources ?? {};
  const out: Record<string, unknown> = {};
  const memory: Record<string, number> = {};
  if (r.memory !== undefined && r.memory > 0) memory['limit'] = r.memory;
  if (r.memorySwap !== undefined && r.memorySwap !== 0) memory['swap'] = r.memorySwap;
  if (r.memoryReservation !== undefined && r.memoryReservation > 0) memory['reservation'] = r.memoryReservation;
  if (Object.keys(memory).length > 0) out['memory'] = memory;
  const cpu: Record<string, number | string> = {};
  if (r.cpuShares !== undefined && r.cpuShares > 0) cpu['shares'] = r.cpuShares;
  if (r.nanoCpus !== undefined && r.nanoCpus > 0) {
    cpu['period'] = 100000;
    cpu['quota'] = Math.round((r.nanoCpus * 100000) / 1e9);
  } else {
    if (r.cpuQuota !== undefined && r.cpuQuota !== 0) cpu['quota'] = r.cpuQuota;
    if (r.cpuPeriod !== undefined && r.cpuPeriod > 0) cpu['period'] = r.cpuPeriod;
  }
  if (r.cpusetCpus) cpu['cpus'] = r.cpusetCpus;
  if (r.cpusetMems) cpu['mems'] = r.cpusetMems;
  if (Object.keys(cpu).length > 0) out['cpu'] = cpu;
  if (r.pidsLimit !== undefined && r.pidsLimit !== 0) out['pids'] = { limit: r.pidsLimit };
  if (r.blkioWeight !== undefined && r.blkioWeight > 0 && ctx.blkioWeight) out['blockIO'] = { weight: r.blkioWeight };
  return out;
}
