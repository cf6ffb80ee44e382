import { mkdir, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, errorMessage, logger } from '../../core/index.js';
import { emitContainerEvent, type ContainerContext } from './context.js';
import type { TaskAttachment, TaskExit } from './hooks.js';
import { nextBackoff, shouldRestart, startsWithDaemon } from './restart-policy.js';
import { classifyStartError, notModified } from './start-errors.js';
import { normalizeSignal, signalNumber } from './signals.js';
import type { ContainerRecord } from './types.js';

const log = logger('engine.containers');

export interface LifecycleHooks {
  /** Called once a container runs (health checks start). */
  onRunning(rec: ContainerRecord): void;
  /** Called once it stopped running. */
  onStopped(rec: ContainerRecord): void;
  /** Removes a container (AutoRemove after exit). */
  remove(rec: ContainerRecord): Promise<void>;
}

/** Start, stop, kill, pause, exits and restart policies of containers. */
export class Lifecycle {
  private readonly pending = new Map<string, Set<TaskAttachment>>();
  private readonly restartTimers = new Map<string, NodeJS.Timeout>();
  private readonly backoffMs = new Map<string, number>();
  private readonly exitWatchers = new Map<string, Promise<void>>();
  /** Exits being handled (from the task's end to the record settled). */
  private readonly settling = new Map<string, Promise<void>>();
  /** While set (daemon start-up), policy starts wait here instead of running. */
  private held: { starts: string[]; restarts: Map<string, number> } | undefined;

  constructor(private readonly ctx: ContainerContext, private readonly hooks: LifecycleHooks) {}

  /** Attachments made before start (docker run attaches, then starts). */
  addPending(id: string, attachment: TaskAttachment): () => void {
    let set = this.pending.get(id);
    if (!set) this.pending.set(id, (set = new Set()));
    set.add(attachment);
    return () => set.delete(attachment);
  }

  rootfsPath(id: string): string {
    return join(this.ctx.options.rootfsDir, id);
  }

  async start(idOrName: string): Promise<void> {
    const rec = this.ctx.store.get(idOrName);
    try {
      await this.ctx.locks.run(rec.Id, () => this.startLocked(rec, false));
    } catch (err) {
      // dockerd removes an AutoRemove container whose start failed: `docker run --rm` waits for that removal.
      if (rec.HostConfig.AutoRemove && !rec.State.Running && this.ctx.store.find(rec.Id) === rec) {
        await this.hooks.remove(rec).catch((e: unknown) => log.warn('auto-remove after a failed start failed', { id: rec.Id, err: errorMessage(e) }));
      }
      throw err;
    }
  }

  private async startLocked(rec: ContainerRecord, byPolicy: boolean): Promise<void> {
    const s = rec.State;
    if (s.Paused) throw conflict('cannot start a paused container, try unpause instead');
    if (s.Running) {
      if (byPolicy) return;
      throw notModified('container already started');
    }
    if (s.Status === 'removing' || s.Status === 'dead') throw conflict(`container is marked for removal and cannot be started`);
    if (!byPolicy) this.cancelRestart(rec.Id);
    const rootfs = this.rootfsPath(rec.Id);
    const attachments = [...(this.pending.get(rec.Id) ?? [])];
    this.pending.delete(rec.Id);
    try {
      // The network (namespace, CNI, /etc files) does not need the rootfs: both at once.
      const [mounted, networked] = await Promise.allSettled([this.mountRootfs(rec.Id, rootfs), this.ctx.networking.setUp(rec)]);
      if (mounted.status === 'rejected') throw mounted.reason;
      if (networked.status === 'rejected') throw networked.reason;
      const net = networked.value;
      const volumeMounts = await this.ctx.volumes.setUp(rec, rootfs);
      const { pid, startedAt } = await this.ctx.runtime.start(rec, { rootfsPath: rootfs, mounts: [...volumeMounts, ...net.mounts], netnsPath: net.netnsPath, ...(net.env ? { env: net.env } : {}), ...(net.ready ? { ready: net.ready } : {}) }, attachments);
      Object.assign(s, { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: pid, ExitCode: 0, Error: '', StartedAt: startedAt.toISOString() });
      rec.HasBeenStartedBefore = true;
      rec.HasBeenManuallyStopped = false;
      await this.ctx.store.save(rec);
      emitContainerEvent(this.ctx, rec, 'start');
      this.watchExit(rec);
      this.hooks.onRunning(rec);
    } catch (err) {
      const { exitCode, error } = classifyStartError(err, rec.Path);
      await this.cleanupAfterStop(rec);
      for (const a of attachments) endAttachment(a);
      Object.assign(s, { Status: s.Status === 'restarting' ? 'exited' : s.Status === 'created' ? 'created' : 'exited', Running: false, Restarting: false, Pid: 0, ExitCode: exitCode, Error: error.message });
      await this.ctx.store.save(rec);
      this.ctx.waiters.exited(rec.Id, exitCode);
      throw error;
    }
  }

  private async mountRootfs(id: string, rootfs: string): Promise<void> {
    // A directory made just now is no mount point: only an old one may hold a stale mount.
    if ((await mkdir(rootfs, { recursive: true })) === undefined) await this.ctx.mounter.unmountIfMounted(rootfs);
    await this.ctx.mounter.mountAll(await this.ctx.images.layerMounts(id), rootfs);
  }

  /** Follows the task until it exits (also after a daemon restart). */
  watchExit(rec: ContainerRecord): void {
    if (this.exitWatchers.has(rec.Id)) return;
    const p = this.ctx.runtime.wait(rec.Id).then(
      (exit) => {
        const settled = this.onExit(rec.Id, exit).finally(() => this.settling.delete(rec.Id));
        this.settling.set(rec.Id, settled.catch(() => {}));
        return settled;
      },
      (err: unknown) => log.error('lost track of container', { id: rec.Id, err: errorMessage(err) }),
    ).finally(() => this.exitWatchers.delete(rec.Id));
    this.exitWatchers.set(rec.Id, p);
  }

  private async onExit(id: string, exit: TaskExit): Promise<void> {
    const rec = this.ctx.store.find(id);
    if (!rec) return;
    let restart = false;
    // The removal that follows releases task and rootfs after `destroy`, off the client's path.
    const autoRemove = rec.HostConfig.AutoRemove === true;
    await this.ctx.locks.run(id, async () => {
      const ranFor = Date.now() - Date.parse(rec.State.StartedAt);
      this.hooks.onStopped(rec);
      // As dockerd: the state, then die, then the network is released (its disconnect events
      // follow die). Start and remove wait for this lock, so nothing reuses what is being released.
      Object.assign(rec.State, {
        Status: 'exited', Running: false, Paused: false, Restarting: false, Pid: 0,
        ExitCode: exit.exitCode, OOMKilled: exit.oomKilled, FinishedAt: exit.finishedAt.toISOString(),
      });
      if (exit.oomKilled) emitContainerEvent(this.ctx, rec, 'oom');
      emitContainerEvent(this.ctx, rec, 'die', { exitCode: String(exit.exitCode) });
      await this.cleanupAfterStop(rec, { release: !autoRemove });
      restart = !rec.HostConfig.AutoRemove && shouldRestart(rec, exit.exitCode);
      if (restart) {
        const delay = nextBackoff(this.backoffMs.get(id) ?? 0, ranFor);
        this.backoffMs.set(id, delay);
        Object.assign(rec.State, { Status: 'restarting', Restarting: true });
        if (this.held) this.held.restarts.set(id, delay);
        else this.restartTimers.set(id, setTimeout(() => void this.restartByPolicy(id), delay));
      }
      // A record about to be removed is not rewritten (a crash meanwhile replays the exit at restore).
      if (!autoRemove) await this.ctx.store.save(rec);
      this.ctx.waiters.exited(id, exit.exitCode);
    });
    if (autoRemove) {
      await this.hooks.remove(rec).catch(async (err: unknown) => {
        log.warn('auto-remove failed', { id, err: errorMessage(err) });
        // Left as an ordinary exited container: release what the removal would have.
        await this.release(rec);
        await this.ctx.store.save(rec).catch(() => {});
      });
    }
  }

  private async restartByPolicy(id: string): Promise<void> {
    this.restartTimers.delete(id);
    const rec = this.ctx.store.find(id);
    if (!rec || !rec.State.Restarting) return;
    try {
      await this.ctx.locks.run(id, async () => {
        // A stop or kill may have come while this waited for the lock.
        if (!rec.State.Restarting || rec.HasBeenManuallyStopped) return;
        rec.RestartCount++;
        await this.startLocked(rec, true);
      });
    } catch (err) {
      log.warn('restart by policy failed', { id, err: errorMessage(err) });
    }
  }

  cancelRestart(id: string): boolean {
    const t = this.restartTimers.get(id);
    if (!t) return false;
    clearTimeout(t);
    this.restartTimers.delete(id);
    return true;
  }

  /**
   * Undoes what start set up: network and volumes (what clients see), then
   * unless `release` is false the runtime's task and the rootfs mount. Idempotent.
   */
  private async cleanupAfterStop(rec: ContainerRecord, options: { release?: boolean } = {}): Promise<void> {
    await runSteps(rec.Id, [
      ['network', () => this.ctx.networking.tearDown(rec)],
      ['volumes', () => this.ctx.volumes.tearDown?.(rec) ?? Promise.resolve()],
    ]);
    if (options.release !== false) await this.release(rec);
  }

  /** Releases what no client sees: the runtime's task, the rootfs mount and its directory. Idempotent. */
  async release(rec: ContainerRecord): Promise<void> {
    await runSteps(rec.Id, [
      ['runtime', () => this.ctx.runtime.delete(rec.Id)],
      ['rootfs', () => this.ctx.mounter.unmountIfMounted(this.rootfsPath(rec.Id))],
      ['rootfs dir', () => rmdir(this.rootfsPath(rec.Id)).catch(() => {})],
    ]);
  }

  async stop(idOrName: string, timeoutSeconds?: number, signal?: string): Promise<void> {
    const rec = this.ctx.store.get(idOrName);
    // A restart by policy still queued gives up; one under way, or an exit being settled (which
    // may decide to restart), finishes first: they hold the lock. A running result is stopped below.
    if (rec.State.Restarting) rec.HasBeenManuallyStopped = true;
    await this.ctx.locks.run(rec.Id, async () => {});
    await this.settling.get(rec.Id);
    if (this.cancelRestart(rec.Id) || (!rec.State.Running && rec.State.Restarting)) {
      rec.HasBeenManuallyStopped = true;
      Object.assign(rec.State, { Status: 'exited', Restarting: false });
      await this.ctx.store.save(rec);
      return;
    }
    if (!rec.State.Running) throw notModified('container already stopped');
    rec.HasBeenManuallyStopped = true;
    await this.ctx.store.save(rec);
    const stopSignal = normalizeSignal(signal ?? rec.Config.StopSignal ?? 'SIGTERM');
    const timeout = timeoutSeconds ?? (rec.Config.StopTimeout as number | undefined) ?? 10;
    if (rec.State.Paused) await this.ctx.runtime.resume(rec.Id).catch(() => {});
    emitContainerEvent(this.ctx, rec, 'kill', { signal: String(signalNumber(stopSignal)) });
    await this.ctx.runtime.kill(rec.Id, stopSignal).catch(() => {});
    if (!(await this.waitForExit(rec, timeout < 0 ? Infinity : timeout * 1000))) {
      emitContainerEvent(this.ctx, rec, 'kill', { signal: '9' });
      await this.ctx.runtime.kill(rec.Id, 'SIGKILL').catch(() => {});
      await this.waitForExit(rec, Infinity);
    }
    emitContainerEvent(this.ctx, rec, 'stop');
  }

  async kill(idOrName: string, signal = 'SIGKILL'): Promise<void> {
    const sig = normalizeSignal(signal);
    const rec = this.ctx.store.get(idOrName);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    rec.HasBeenManuallyStopped = true;
    this.cancelRestart(rec.Id);
    // dockerd 20.10: the signal is queued in the frozen container, which is thawed when it is
    // the stop signal (or no stop signal was set), so that it can act on it.
    const stopSignal = rec.Config.StopSignal ? normalizeSignal(rec.Config.StopSignal) : undefined;
    const thaw = rec.State.Paused && (stopSignal === undefined || stopSignal === sig);
    emitContainerEvent(this.ctx, rec, 'kill', { signal: String(signalNumber(sig)) });
    await this.ctx.runtime.kill(rec.Id, sig);
    if (thaw) {
      await this.ctx.runtime.resume(rec.Id).catch((err: unknown) => log.warn('cannot unpause after kill', { id: rec.Id, err: errorMessage(err) }));
      if (rec.State.Running && rec.State.Paused) {
        Object.assign(rec.State, { Status: 'running', Paused: false });
        await this.ctx.store.save(rec);
        emitContainerEvent(this.ctx, rec, 'unpause');
      }
    }
    if (sig === 'SIGKILL') await this.waitForExit(rec, 10_000);
  }

  /** Resolves true once the container stopped running, false on timeout. */
  async waitForExit(rec: ContainerRecord, timeoutMs: number): Promise<boolean> {
    if (!rec.State.Running) {
      // The exit may still be settling (network release, record): its handler holds the lock.
      await this.ctx.locks.run(rec.Id, async () => {});
      return true;
    }
    const waiter = this.ctx.waiters.add(rec.Id, 'next-exit');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([waiter.promise.then(() => true as const), timeout]);
    if (timer) clearTimeout(timer);
    waiter.cancel();
    return done;
  }

  async restart(idOrName: string, timeoutSeconds?: number): Promise<void> {
    const rec = this.ctx.store.get(idOrName);
    if (rec.State.Running) await this.stop(rec.Id, timeoutSeconds);
    await this.start(rec.Id);
    emitContainerEvent(this.ctx, rec, 'restart');
  }

  async pause(idOrName: string, options: { forCommit?: boolean } = {}): Promise<void> {
    const rec = this.ctx.store.get(idOrName);
    await this.ctx.locks.run(rec.Id, async () => {
      if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
      if (rec.State.Paused) throw conflict(`Container ${rec.Id} is already paused`);
      await this.ctx.runtime.pause(rec.Id);
      Object.assign(rec.State, { Status: 'paused', Paused: true });
      if (options.forCommit) rec.PausedForCommit = true;
      await this.ctx.store.save(rec);
      emitContainerEvent(this.ctx, rec, 'pause');
    });
  }

  async unpause(idOrName: string): Promise<void> {
    const rec = this.ctx.store.get(idOrName);
    await this.ctx.locks.run(rec.Id, async () => {
      if (!rec.State.Paused) throw conflict(`Container ${rec.Id} is not paused`);
      await this.ctx.runtime.resume(rec.Id);
      Object.assign(rec.State, { Status: 'running', Paused: false });
      delete rec.PausedForCommit;
      await this.ctx.store.save(rec);
      emitContainerEvent(this.ctx, rec, 'unpause');
    });
  }

  holdStarts(): void {
    this.held ??= { starts: [], restarts: new Map() };
  }

  /** Runs what holdStarts() kept back: daemon-start policies now, policy restarts after their back-off. */
  async releaseStarts(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    for (const [id, delay] of held.restarts) this.restartTimers.set(id, setTimeout(() => void this.restartByPolicy(id), delay));
    for (const id of held.starts) {
      if (!this.ctx.store.find(id)) continue;
      await this.start(id).catch((err: unknown) => log.warn('restart on daemon start failed', { id, err: errorMessage(err) }));
    }
  }

  /** After a daemon restart: re-adopt running tasks, settle the ones that ended, apply restart policies. */
  async restore(): Promise<void> {
    const tasks = new Map((await this.ctx.runtime.restore()).map((t) => [t.id, t]));
    for (const rec of this.ctx.store.list()) {
      const task = tasks.get(rec.Id);
      const wasRunning = rec.State.Running || rec.State.Restarting;
      if (task?.running) {
        await this.ctx.networking.restore(rec).catch((err: unknown) => log.warn('network restore failed', { id: rec.Id, err: errorMessage(err) }));
        if (!rec.State.Running) {
          // The daemon died between the task's start and the record's: the container did start.
          Object.assign(rec.State, { Status: 'running', Running: true, Restarting: false, Pid: task.pid, ExitCode: 0, Error: '', StartedAt: (task.startedAt ?? new Date()).toISOString() });
          rec.HasBeenStartedBefore = true;
          await this.ctx.store.save(rec);
        }
        // A commit the daemon died in the middle of must not leave the container frozen.
        if (rec.PausedForCommit && rec.State.Paused) {
          await this.ctx.runtime.resume(rec.Id).then(
            () => Object.assign(rec.State, { Status: 'running', Paused: false }),
            (err: unknown) => log.warn('thawing a container paused for a commit failed', { id: rec.Id, err: errorMessage(err) }),
          );
          delete rec.PausedForCommit;
          await this.ctx.store.save(rec);
        }
        this.watchExit(rec);
        this.hooks.onRunning(rec);
        continue;
      }
      if (wasRunning) {
        const exit = task?.exit ?? { exitCode: 255, finishedAt: new Date(), oomKilled: false };
        if (!task) rec.State.Error = 'container lost while the daemon was down';
        Object.assign(rec.State, { Running: true, Restarting: false });
        await this.onExit(rec.Id, exit);
        continue;
      }
      await this.cleanupAfterStop(rec);
      if (startsWithDaemon(rec)) {
        if (this.held) this.held.starts.push(rec.Id);
        else await this.start(rec.Id).catch((err: unknown) => log.warn('restart on daemon start failed', { id: rec.Id, err: errorMessage(err) }));
      }
    }
    await this.removeOrphans([...tasks.values()]);
  }

  /**
   * What a removal released after `destroy` and a crash interrupted: tasks,
   * rootfs mounts and read-write layers of containers that no longer exist.
   */
  private async removeOrphans(tasks: { id: string; running: boolean }[]): Promise<void> {
    const known = new Set(this.ctx.store.list().map((r) => r.Id));
    const warn = (what: string, id: string) => (err: unknown) => log.warn(`removing orphaned ${what} failed`, { id, err: errorMessage(err) });
    for (const t of tasks) {
      if (!known.has(t.id) && !t.running) await this.ctx.runtime.delete(t.id).catch(warn('task', t.id));
    }
    for (const name of await readdir(this.ctx.options.rootfsDir).catch(() => [] as string[])) {
      if (known.has(name)) continue;
      const dir = join(this.ctx.options.rootfsDir, name);
      await this.ctx.mounter.unmountIfMounted(dir).then(() => rmdir(dir)).catch(warn('rootfs', name));
    }
    for (const id of this.ctx.images.containerLayers?.() ?? []) {
      if (!known.has(id)) await this.ctx.images.removeLayer(id).catch(warn('layer', id));
    }
  }
}

async function runSteps(id: string, steps: [string, () => Promise<unknown>][]): Promise<void> {
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      log.warn(`cleanup of ${what} failed`, { id, err: errorMessage(err) });
    }
  }
}

function endAttachment(a: TaskAttachment): void {
  a.stdout?.end();
  a.stderr?.end();
}
