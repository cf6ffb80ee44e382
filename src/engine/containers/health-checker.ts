import { Writable } from 'node:stream';
import { errorMessage, logger } from '../../core/index.js';
import { emitContainerEvent, type ContainerContext } from './context.js';
import type { ContainerRecord, HealthLogEntry } from './types.js';

const log = logger('engine.health');
const NS = 1_000_000;
const DEFAULT_INTERVAL = 30_000 * NS;
const DEFAULT_TIMEOUT = 30_000 * NS;
const DEFAULT_RETRIES = 3;
const MAX_OUTPUT = 4096;
const MAX_LOG = 5;

/** Runs HEALTHCHECK probes with exec and keeps State.Health as Docker does. */
export class HealthChecker {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ctx: ContainerContext) {}

  start(rec: ContainerRecord): void {
    const test = rec.Config.Healthcheck?.Test;
    if (!test || test.length === 0 || test[0] === 'NONE') return;
    this.stop(rec);
    rec.State.Health = { Status: 'starting', FailingStreak: 0, Log: [] };
    this.schedule(rec);
  }

  stop(rec: ContainerRecord): void {
    const t = this.timers.get(rec.Id);
    if (t) clearTimeout(t);
    this.timers.delete(rec.Id);
  }

  private schedule(rec: ContainerRecord): void {
    const interval = (rec.Config.Healthcheck?.Interval || DEFAULT_INTERVAL) / NS;
    this.timers.set(rec.Id, setTimeout(() => void this.probe(rec).finally(() => {
      if (this.timers.has(rec.Id) && rec.State.Running) this.schedule(rec);
    }), interval));
  }

  private async probe(rec: ContainerRecord): Promise<void> {
    const hc = rec.Config.Healthcheck!;
    const test = hc.Test ?? [];
    const args = test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test[0] === 'CMD' ? test.slice(1) : test;
    const started = new Date();
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        if (output.length < MAX_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_OUTPUT - output.length);
        cb();
      },
    });
    let exitCode: number;
    try {
      const proc = await this.ctx.runtime.exec(rec.Id, { args, env: rec.Config.Env ?? [], cwd: rec.Config.WorkingDir || '/', user: rec.Config.User ?? '', tty: false, privileged: false, stdin: false }, { stdout: sink, stderr: sink });
      const timeoutMs = (hc.Timeout || DEFAULT_TIMEOUT) / NS;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<number>((resolve) => {
        timer = setTimeout(() => resolve(-1), timeoutMs);
      });
      exitCode = await Promise.race([proc.exit, timedOut]);
      if (timer) clearTimeout(timer);
      if (exitCode === -1) output = `Health check exceeded timeout (${timeoutMs / 1000}s)`;
    } catch (err) {
      exitCode = -1;
      output = errorMessage(err);
    }
    if (!rec.State.Running || !rec.State.Health) return;
    this.record(rec, { Start: started.toISOString(), End: new Date().toISOString(), ExitCode: exitCode, Output: output });
  }

  private record(rec: ContainerRecord, entry: HealthLogEntry): void {
    const health = rec.State.Health!;
    const before = health.Status;
    health.Log = [...health.Log, entry].slice(-MAX_LOG);
    if (entry.ExitCode === 0) {
      health.Status = 'healthy';
      health.FailingStreak = 0;
    } else {
      health.FailingStreak++;
      const startPeriod = (rec.Config.Healthcheck?.StartPeriod ?? 0) / NS;
      const inStartPeriod = Date.now() - Date.parse(rec.State.StartedAt) < startPeriod;
      if (!inStartPeriod && health.FailingStreak >= (rec.Config.Healthcheck?.Retries || DEFAULT_RETRIES)) health.Status = 'unhealthy';
      else if (inStartPeriod) health.FailingStreak = 0;
    }
    if (health.Status !== before) emitContainerEvent(this.ctx, rec, `health_status: ${health.Status}`);
    void this.ctx.store.save(rec).catch((err: unknown) => log.warn('saving health failed', { err: errorMessage(err) }));
  }
}
