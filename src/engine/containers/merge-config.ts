import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { invalidArgument, type ContainerConfig, type HostConfig } from '../../core/index.js';

/** A 64-hex id, like Docker's container and exec ids. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

/** `KEY=value` lists merged by key, later entries winning (image env, then user env). */
export function mergeEnv(base: readonly string[] | null | undefined, over: readonly string[] | null | undefined): string[] {
  const out = new Map<string, string>();
  for (const e of [...(base ?? []), ...(over ?? [])]) {
    const eq = e.indexOf('=');
    out.set(eq < 0 ? e : e.slice(0, eq), e);
  }
  return [...out.values()];
}

/** moby's merge(): the user's env as given, then the image's variables the user did not set. */
export function imageEnvUnder(user: readonly string[] | null | undefined, image: readonly string[] | null | undefined): string[] {
  const key = (e: string): string => e.split('=')[0] ?? e;
  const userKeys = new Set((user ?? []).map(key));
  return [...(user ?? []), ...(image ?? []).filter((e) => !userKeys.has(key(e)))];
}

/**
 * Docker's daemon-side merge of the user's config over the image's: an
 * explicit entrypoint drops the image's cmd; `--entrypoint ""` resets it.
 */
export function mergeWithImage(user: ContainerConfig, image: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = { ...user };
  const resetEntrypoint = user.Entrypoint?.length === 1 && user.Entrypoint[0] === '';
  if (resetEntrypoint) out.Entrypoint = null;
  if (!resetEntrypoint && (user.Entrypoint == null || user.Entrypoint.length === 0)) {
    if (user.Cmd == null || user.Cmd.length === 0) out.Cmd = image.Cmd ?? null;
    if (user.Entrypoint == null) out.Entrypoint = image.Entrypoint ?? null;
  }
  out.Env = imageEnvUnder(user.Env, image.Env);
  out.Labels = { ...(image.Labels ?? {}), ...(user.Labels ?? {}) };
  out.ExposedPorts = mergeKeys(image.ExposedPorts, user.ExposedPorts);
  out.Volumes = mergeKeys(image.Volumes, user.Volumes);
  if (!user.WorkingDir) out.WorkingDir = image.WorkingDir ?? '';
  if (!user.User) out.User = image.User ?? '';
  if (!user.StopSignal && image.StopSignal) out.StopSignal = image.StopSignal;
  if (user.Healthcheck == null) {
    if (image.Healthcheck) out.Healthcheck = image.Healthcheck;
  } else if (!user.Healthcheck.Test?.length && image.Healthcheck) {
    out.Healthcheck = { ...image.Healthcheck, ...stripZero(user.Healthcheck) };
  }
  if (user.OnBuild == null && image.OnBuild) out.OnBuild = image.OnBuild;
  if (user.Shell == null && image.Shell) out.Shell = image.Shell;
  return out;
}

function mergeKeys(a: Record<string, object> | null | undefined, b: Record<string, object> | null | undefined): Record<string, object> | null {
  const merged = { ...(a ?? {}), ...(b ?? {}) };
  return Object.keys(merged).length === 0 ? null : merged;
}

function stripZero<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0 && v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

/** Path and Args of the container's first process. */
export function entrypointAndArgs(config: ContainerConfig): { path: string; args: string[] } {
  const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  const [path, ...args] = argv;
  if (path === undefined || path === '') throw invalidArgument('No command specified');
  return { path, args };
}

const POLICIES = ['', 'no', 'always', 'unless-stopped', 'on-failure'];

/** Daemon-side checks Docker makes on create, with its messages. */
export function validateHostConfig(host: HostConfig): void {
  const policy = host.RestartPolicy?.Name ?? '';
  if (!POLICIES.includes(policy)) throw invalidArgument(`invalid restart policy '${policy}'`);
  if ((host.RestartPolicy?.MaximumRetryCount ?? 0) !== 0 && policy !== 'on-failure') {
    throw invalidArgument(`maximum retry count cannot be used with restart policy '${policy}'`);
  }
  if ((host.RestartPolicy?.MaximumRetryCount ?? 0) < 0) throw invalidArgument('maximum retry count cannot be negative');
  if (host.AutoRemove && policy !== '' && policy !== 'no') {
    throw invalidArgument("can't create 'AutoRemove' container with restart policy");
  }
  if (host.Memory !== undefined && host.Memory !== 0 && host.Memory < 6 * 1024 * 1024) {
    throw invalidArgument('Minimum memory limit allowed is 6MB');
  }
  if (host.MemorySwap !== undefined && host.MemorySwap > 0 && (host.Memory ?? 0) > 0 && host.MemorySwap < host.Memory!) {
    throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (host.MemoryReservation !== undefined && host.MemoryReservation > 0 && (host.Memory ?? 0) > 0 && host.MemoryReservation > host.Memory!) {
    throw invalidArgument('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  if (host.NanoCpus) {
    if (host.CpuQuota || host.CpuPeriod) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
    const ncpu = cpus().length;
    if (host.NanoCpus < 1e7 || host.NanoCpus > ncpu * 1e9) {
      throw invalidArgument(`Range of CPUs is from 0.01 to ${ncpu}.00, as there are only ${ncpu} CPUs available`);
    }
  }
  if (host.CpuShares !== undefined && host.CpuShares < 0) throw invalidArgument('invalid CPU shares');
  if (host.OomScoreAdj !== undefined && (host.OomScoreAdj < -1000 || host.OomScoreAdj > 1000)) {
    throw invalidArgument(`Invalid value ${host.OomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  }
  if (host.ShmSize !== undefined && host.ShmSize < 0) throw invalidArgument('SHM size can not be less than 0');
}
