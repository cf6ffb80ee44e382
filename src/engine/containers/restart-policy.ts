import type { ContainerRecord } from './types.js';

/** Docker's restart back-off: 100 ms doubling, reset after 10 s of running, capped at 1 min. */
export const BACKOFF_START_MS = 100;
export const BACKOFF_MAX_MS = 60_000;
export const BACKOFF_RESET_AFTER_MS = 10_000;

/** Whether the policy restarts a container that just exited with exitCode. */
export function shouldRestart(rec: ContainerRecord, exitCode: number): boolean {
  const policy = rec.HostConfig.RestartPolicy?.Name ?? 'no';
  if (rec.HasBeenManuallyStopped) return false;
  switch (policy) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure': {
      const max = rec.HostConfig.RestartPolicy?.MaximumRetryCount ?? 0;
      return exitCode !== 0 && (max === 0 || rec.RestartCount < max);
    }
    default:
      return false;
  }
}

/** Whether a stopped container starts when the daemon starts. */
export function startsWithDaemon(rec: ContainerRecord): boolean {
  const policy = rec.HostConfig.RestartPolicy?.Name ?? 'no';
  if (policy === 'always') return rec.HasBeenStartedBefore;
  if (policy === 'unless-stopped') return rec.HasBeenStartedBefore && !rec.HasBeenManuallyStopped;
  return false;
}

export function nextBackoff(previousMs: number, ranForMs: number): number {
  if (ranForMs >= BACKOFF_RESET_AFTER_MS || previousMs === 0) return BACKOFF_START_MS;
  return Math.min(previousMs * 2, BACKOFF_MAX_MS);
}
