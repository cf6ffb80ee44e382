/**
 * Turns `run` flags into the POST /containers/create body, field for field
 * and in the order docker CLI 28 sends against API 1.41 (so a recording
 * proxy sees the same request from both clients). Validation errors carry
 * the docker CLI's messages; the verb reports them with exit status 125.
 */
import type { Invocation } from '../common/command.js';
import { parseIntStrict, parseNanoCpus } from '../common/flag-values.js';
import { parseGoDuration } from '../format/go-time.js';
import { ramInBytes } from '../format/units.js';
import { readEnv, readLabels } from './env-files.js';
import { parseMount, sortKeys, splitVolumes, tmpfsMap } from './mounts.js';
import { networkConfig, normalizeExtraHost } from './network-options.js';
import { addExposed, parsePortSpecs } from './ports.js';

export interface CreateRequest {
  body: Record<string, unknown>;
  image: string;
  name: string | undefined;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  openStdin: boolean;
  autoRemove: boolean;
}

/** opts.ParseRestartPolicy plus the daemon-independent validation. */
export function parseRestartPolicy(policy: string): { Name: string; MaximumRetryCount: number } {
  const colon = policy.indexOf(':');
  const name = colon < 0 ? policy : policy.slice(0, colon);
  const count = colon < 0 ? '' : policy.slice(colon + 1);
  if (colon >= 0 && name === '') throw new Error('invalid restart policy format: no policy provided before colon');
  let max = 0;
  if (count !== '') {
    if (!/^[-+]?\d+$/.test(count)) throw new Error('invalid restart policy format: maximum retry count must be an integer');
    max = Number(count);
  }
  const mode = name === '' ? 'no' : name;
  if (!['no', 'always', 'on-failure', 'unless-stopped'].includes(mode)) throw new Error(`invalid restart policy: unknown policy '${mode}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if (max !== 0 && mode !== 'on-failure') throw new Error("invalid restart policy: maximum retry count can only be used with 'on-failure'");
  if (max < 0) throw new Error('invalid restart policy: maximum retry count cannot be negative');
  return { Name: mode, MaximumRetryCount: max };
}

/** opts.NormalizeCapabilities: upper case, `CAP_` prefix, ALL kept as is, no duplicates. */
export function normalizeCaps(caps: readonly string[]): string[] | null {
  if (caps.length === 0) return null;
  const out: string[] = [];
  for (const c of caps) {
    let cap = c.trim().toUpperCase();
    if (cap !== 'ALL' && !cap.startsWith('CAP_')) cap = `CAP_${cap}`;
    if (!out.includes(cap)) out.push(cap);
  }
  return out;
}

function healthcheck(inv: Invocation): Record<string, unknown> | undefined {
  const cmd = inv.string('health-cmd') ?? '';
  const dur = (n: string): number => (inv.string(n) === undefined ? 0 : parseGoDuration(inv.string(n)!));
  const interval = dur('health-interval');
  const timeout = dur('health-timeout');
  const start = dur('health-start-period');
  const retries = inv.string('health-retries') === undefined ? 0 : parseIntStrict(inv.string('health-retries')!);
  const have = cmd !== '' || interval !== 0 || timeout !== 0 || start !== 0 || retries !== 0;
  if (inv.bool('no-healthcheck')) {
    if (have) throw new Error('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!have) return undefined;
  if (interval < 0) throw new Error('--health-interval cannot be negative');
  if (timeout < 0) throw new Error('--health-timeout cannot be negative');
  if (retries < 0) throw new Error('--health-retries cannot be negative');
  if (start < 0) throw new Error('--health-start-period cannot be negative');
  const h: Record<string, unknown> = {};
  if (cmd !== '') h['Test'] = ['CMD-SHELL', cmd];
  if (interval) h['Interval'] = interval;
  if (timeout) h['Timeout'] = timeout;
  if (start) h['StartPeriod'] = start;
  if (retries) h['Retries'] = retries;
  return h;
}

function int(inv: Invocation, name: string, fallback = 0): number {
  const v = inv.string(name);
  return v === undefined ? fallback : parseIntStrict(v);
}

function bytes(inv: Invocation, name: string): number {
  const v = inv.string(name);
  return v === undefined ? 0 : ramInBytes(v);
}

function keyValues(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    out[i < 0 ? v : v.slice(0, i)] = i < 0 ? '' : v.slice(i + 1);
  }
  return sortKeys(out);
}

function ulimits(values: readonly string[]): { Name: string; Soft: number; Hard: number }[] {
  return values.map((v) => {
    const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(v);
    if (!m) throw new Error(`invalid ulimit argument: ${v}`);
    const soft = Number(m[2]);
    return { Name: m[1]!, Hard: m[3] === undefined ? soft : Number(m[3]), Soft: soft };
  });
}

/** containerOptions → {Config…, HostConfig, NetworkingConfig}. */
export function buildCreateRequest(inv: Invocation, options: { detach: boolean; consoleSize: [number, number] }): CreateRequest {
  const [image, ...cmd] = inv.args as [string, ...string[]];
  const attach = inv.list('attach').map((a) => a.toLowerCase());
  let attachStdin = attach.includes('stdin') || inv.bool('interactive');
  let attachStdout = attach.length === 0 || attach.includes('stdout');
  let attachStderr = attach.length === 0 || attach.includes('stderr');
  const swappiness = int(inv, 'memory-swappiness', -1);
  if (swappiness !== -1 && (swappiness < 0 || swappiness > 100)) throw new Error(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`);

  const { binds, volumes } = splitVolumes(inv.list('volume'));
  const ports = parsePortSpecs(inv.list('publish'));
  addExposed(ports, inv.list('expose'));
  const env = readEnv(inv.list('env-file'), inv.list('env'));
  const labels = readLabels(inv.list('label-file'), inv.list('label'));
  const restart = parseRestartPolicy(inv.string('restart') ?? 'no');
  const autoRemove = inv.bool('rm');
  if (autoRemove && restart.Name !== 'no') throw new Error('conflicting options: cannot specify both --restart and --rm');
  const logOpts = keyValues(inv.list('log-opt'));
  if (Object.keys(logOpts).length > 0 && (inv.string('log-driver') ?? '') === 'none') throw new Error('invalid logging opts for driver none');
  const health = healthcheck(inv);
  const net = networkConfig({ networks: inv.list('network'), aliases: inv.list('network-alias'), ip: inv.string('ip') ?? '', ip6: inv.string('ip6') ?? '', links: inv.list('link') });
  const mounts = inv.list('mount').map(parseMount);
  const tty = inv.bool('tty');
  const openStdin = inv.bool('interactive');
  if (options.detach) {
    if (attach.length > 0) throw new Error('conflicting options: cannot specify both --attach and --detach');
    attachStdin = false;
    attachStdout = false;
    attachStderr = false;
  }

  const entrypoint = inv.string('entrypoint');
  const config: Record<string, unknown> = {
    Hostname: inv.string('hostname') ?? '',
    Domainname: inv.string('domainname') ?? '',
    User: inv.string('user') ?? '',
    AttachStdin: attachStdin,
    AttachStdout: attachStdout,
    AttachStderr: attachStderr,
  };
  if (ports.exposed.size > 0) config['ExposedPorts'] = sortKeys(Object.fromEntries([...ports.exposed.keys()].map((k) => [k, {}])));
  Object.assign(config, {
    Tty: tty,
    OpenStdin: openStdin,
    StdinOnce: openStdin && attachStdin,
    Env: env.length > 0 ? env : null,
    Cmd: cmd.length > 0 ? cmd : null,
  });
  if (health) config['Healthcheck'] = health;
  Object.assign(config, {
    Image: image,
    Volumes: sortKeys(Object.fromEntries(volumes.map((v) => [v, {}]))),
    WorkingDir: inv.string('workdir') ?? '',
    Entrypoint: entrypoint === undefined ? null : [entrypoint],
  });
  if (inv.string('mac-address')) config['MacAddress'] = inv.string('mac-address');
  config['OnBuild'] = null;
  config['Labels'] = sortKeys(labels);
  if (inv.changed('stop-signal')) config['StopSignal'] = inv.string('stop-signal');
  if (inv.changed('stop-timeout')) config['StopTimeout'] = int(inv, 'stop-timeout');

  const host: Record<string, unknown> = {
    Binds: binds.length > 0 ? binds : null,
    ContainerIDFile: inv.string('cidfile') ?? '',
    LogConfig: { Type: inv.string('log-driver') ?? '', Config: logOpts },
    NetworkMode: net.mode,
    PortBindings: sortKeys(Object.fromEntries(ports.bindings)),
    RestartPolicy: restart,
    AutoRemove: autoRemove,
    VolumeDriver: inv.string('volume-driver') ?? '',
    VolumesFrom: inv.list('volumes-from').length > 0 ? inv.list('volumes-from') : null,
    ConsoleSize: options.consoleSize,
    CapAdd: normalizeCaps(inv.list('cap-add')),
    CapDrop: normalizeCaps(inv.list('cap-drop')),
    CgroupnsMode: inv.string('cgroupns') ?? '',
    Dns: inv.list('dns').map((d) => d.trim()),
    DnsOptions: inv.list('dns-option'),
    DnsSearch: inv.list('dns-search'),
    ExtraHosts: inv.list('add-host').length > 0 ? inv.list('add-host').map(normalizeExtraHost) : null,
    GroupAdd: inv.list('group-add').length > 0 ? inv.list('group-add') : null,
    IpcMode: inv.string('ipc') ?? '',
    Cgroup: '',
    Links: inv.list('link').length > 0 ? inv.list('link') : null,
    OomScoreAdj: int(inv, 'oom-score-adj'),
    PidMode: inv.string('pid') ?? '',
    Privileged: inv.bool('privileged'),
    PublishAllPorts: inv.bool('publish-all'),
    ReadonlyRootfs: inv.bool('read-only'),
    SecurityOpt: inv.list('security-opt').length > 0 ? inv.list('security-opt') : null,
  };
  if (inv.list('storage-opt').length > 0) host['StorageOpt'] = keyValues(inv.list('storage-opt'));
  const tmpfs = tmpfsMap(inv.list('tmpfs'));
  if (Object.keys(tmpfs).length > 0) host['Tmpfs'] = sortKeys(tmpfs);
  Object.assign(host, { UTSMode: inv.string('uts') ?? '', UsernsMode: inv.string('userns') ?? '', ShmSize: bytes(inv, 'shm-size') });
  if (inv.list('sysctl').length > 0) host['Sysctls'] = keyValues(inv.list('sysctl'));
  if (inv.string('runtime')) host['Runtime'] = inv.string('runtime');
  const swap = inv.string('memory-swap');
  Object.assign(host, {
    Isolation: '',
    CpuShares: int(inv, 'cpu-shares'),
    Memory: bytes(inv, 'memory'),
    NanoCpus: inv.string('cpus') === undefined ? 0 : parseNanoCpus(inv.string('cpus')!),
    CgroupParent: inv.string('cgroup-parent') ?? '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: int(inv, 'cpu-period'),
    CpuQuota: int(inv, 'cpu-quota'),
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: inv.string('cpuset-cpus') ?? '',
    CpusetMems: inv.string('cpuset-mems') ?? '',
    Devices: [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    MemoryReservation: bytes(inv, 'memory-reservation'),
    MemorySwap: swap === undefined ? 0 : swap === '-1' ? -1 : ramInBytes(swap),
    MemorySwappiness: swappiness,
    OomKillDisable: inv.bool('oom-kill-disable'),
    PidsLimit: int(inv, 'pids-limit'),
    Ulimits: ulimits(inv.list('ulimit')),
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
  });
  if (mounts.length > 0) host['Mounts'] = mounts;
  Object.assign(host, { MaskedPaths: null, ReadonlyPaths: null });
  if (inv.changed('init')) host['Init'] = inv.bool('init');

  return {
    body: { ...config, HostConfig: host, NetworkingConfig: { EndpointsConfig: net.endpoints } },
    image,
    name: inv.string('name'),
    tty,
    attachStdin,
    attachStdout,
    attachStderr,
    openStdin,
    autoRemove,
  };
}
