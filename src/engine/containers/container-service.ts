import { mkdir, mkdtemp, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError, conflict, errorMessage, logger, type ContainerCreateBody } from '../../core/index.js';
import { readNetDev } from '../../platform/linux/net-dev.js';
import type { EventBus } from '../events/index.js';
import { ContainerStore } from './container-store.js';
import { emitContainerEvent, type ContainerContext, type ContainerServiceOptions, type RootfsMounter } from './context.js';
import { createContainer } from './create-container.js';
import { ExecManager } from './exec-manager.js';
import { HealthChecker } from './health-checker.js';
import type { ContainerImages, ContainerLookup, ContainerNetworking, ContainerRuntime, ContainerVolumes, LogEntry, LogOptions, TaskAttachment } from './hooks.js';
import { inspectContainer } from './inspect.js';
import { KeyedLock } from './keyed-lock.js';
import { Lifecycle } from './lifecycle.js';
import type { ContainerRecord } from './types.js';
import { Waiters, type WaitCondition, type WaitResult } from './waiters.js';

const log = logger('engine.containers');

export interface ContainerServiceDeps {
  options: ContainerServiceOptions;
  mounter: RootfsMounter;
  runtime: ContainerRuntime;
  images: ContainerImages;
  networking: ContainerNetworking;
  volumes: ContainerVolumes;
  events: EventBus;
}

/**
 * The engine's containers: Docker's container model and lifecycle on top of
 * images, volumes, networking and the OCI runtime layer.
 */
export class ContainerService implements ContainerLookup {
  readonly lifecycle: Lifecycle;
  readonly execs: ExecManager;
  private readonly ctx: ContainerContext;
  private readonly health: HealthChecker;
  private readonly background = new Set<Promise<void>>();

  constructor(deps: ContainerServiceDeps) {
    this.ctx = { ...deps, store: new ContainerStore(deps.options.containersDir), locks: new KeyedLock(), waiters: new Waiters() };
    this.health = new HealthChecker(this.ctx);
    this.lifecycle = new Lifecycle(this.ctx, {
      onRunning: (rec) => this.health.start(rec),
      onStopped: (rec) => this.health.stop(rec),
      remove: (rec) => this.remove(rec.Id, { force: true, volumes: true }),
    });
    this.execs = new ExecManager(this.ctx);
  }

  /** Loads records and re-adopts containers after a daemon restart. */
  /**
   * Loads records and re-adopts containers after a daemon restart. With
   * deferStarts, containers that restart policies would start (now or after
   * their back-off) wait for startDeferred(): the daemon first lets the
   * network finish its own restore, which sweeps namespaces nobody claims.
   */
  async load(options: { deferStarts?: boolean } = {}): Promise<void> {
    this.ctx.store.load();
    if (options.deferStarts) this.lifecycle.holdStarts();
    await this.lifecycle.restore();
    if (!options.deferStarts) await this.lifecycle.releaseStarts();
  }

  /** Applies the restart policies held back by load({ deferStarts: true }). */
  startDeferred(): Promise<void> {
    return this.lifecycle.releaseStarts();
  }

  get(idOrName: string): ContainerRecord {
    return this.ctx.store.get(idOrName);
  }

  find(idOrName: string): ContainerRecord | undefined {
    return this.ctx.store.find(idOrName);
  }

  list(): ContainerRecord[] {
    return this.ctx.store.list();
  }

  save(rec: ContainerRecord): Promise<void> {
    return this.ctx.store.save(rec);
  }

  create(body: ContainerCreateBody, name: string | undefined): Promise<{ Id: string; Warnings: string[] }> {
    return createContainer(this.ctx, body, name);
  }

  inspect(idOrName: string): Record<string, unknown> {
    const rec = this.get(idOrName);
    return inspectContainer(rec, this.ctx.images.graphDriverData(rec.Id));
  }

  async remove(idOrName: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    const rec = this.get(idOrName);
    if ((rec.State.Running || rec.State.Restarting) && !options.force) {
      const state = rec.State.Paused ? 'paused' : rec.State.Restarting ? 'restarting' : 'running';
      const procedure = `${rec.State.Paused ? 'Unpause and then stop' : 'Stop'} the container before attempting removal or force remove`;
      throw conflict(`You cannot remove a ${state} container ${rec.Id}. ${procedure}`);
    }
    if (rec.State.Status === 'removing') throw conflict(`removal of container ${rec.Name} is already in progress`);
    this.lifecycle.cancelRestart(rec.Id);
    // A restart by policy still queued gives up; one under way (it holds the lock) finishes and is killed below.
    rec.HasBeenManuallyStopped = true;
    await this.ctx.locks.run(rec.Id, async () => {});
    if (rec.State.Running) {
      rec.HasBeenManuallyStopped = true;
      emitContainerEvent(this.ctx, rec, 'kill', { signal: '9' });
      await this.ctx.runtime.kill(rec.Id, 'SIGKILL').catch(() => {});
      await this.lifecycle.waitForExit(rec, 30_000);
    }
    await this.ctx.locks.run(rec.Id, async () => {
      if (rec.State.Running) throw conflict(`Could not kill running container ${rec.Id}, cannot remove - container is still running`);
      rec.State.Status = 'removing';
      for (const [what, step] of [
        ['volumes', () => this.ctx.volumes.onRemove(rec, { removeAnonymous: options.volumes })],
        ['network', () => this.ctx.networking.onRemove(rec)],
      ] as const) {
        await step().catch((err: unknown) => log.warn(`removing ${what} of container failed`, { id: rec.Id, err: errorMessage(err) }));
      }
      this.execs.forget(rec.Id);
      await this.ctx.store.forget(rec);
      emitContainerEvent(this.ctx, rec, 'destroy');
      this.ctx.waiters.removed(rec.Id, rec.State.ExitCode);
      // Nothing a client can see is left. The task, the rootfs mount, the layer and the
      // files go after the answer (`docker run --rm` waits for it); rmi and prune wait
      // for the layer, settle() (daemon stop) for all, and restore() finishes a crashed one.
      const released = this.lifecycle.release(rec);
      const layer = this.ctx.images.removeLayer(rec.Id, { after: released });
      this.inBackground(rec.Id, Promise.all([layer, released.then(() => this.ctx.store.removeFiles(rec.Id))]));
    });
  }

  /** Waits for the background part of removals (daemon stop, tests). */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private inBackground(id: string, work: Promise<unknown>): void {
    const p = work.then(
      () => {},
      (err: unknown) => log.warn('releasing a removed container failed', { id, err: errorMessage(err) }),
    );
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  async rename(idOrName: string, newName: string): Promise<void> {
    const rec = this.get(idOrName);
    const oldName = rec.Name;
    if (newName.replace(/^\//, '') === oldName) throw conflict(`Renaming a container with the same name as its current name`);
    try {
      this.ctx.store.rename(rec, newName.startsWith('/') ? newName : `/${newName}`);
    } catch (err) {
      // dockerd's wording for rename (the name is shown with its slash).
      if (err instanceof BerthError) throw new BerthError(err.kind, `Error when allocating new name: ${err.message}`, { cause: err });
      throw err;
    }
    await this.ctx.store.save(rec);
    emitContainerEvent(this.ctx, rec, 'rename', { oldName: `/${oldName}` });
  }

  /**
   * POST /wait. `not-running` returns at once for a stopped container;
   * `next-exit` and `removed` wait for the next event of that kind.
   */
  wait(idOrName: string, condition: WaitCondition): { promise: Promise<WaitResult>; cancel(): void } {
    const rec = this.get(idOrName);
    if (condition === 'not-running' && !rec.State.Running && !rec.State.Restarting) {
      return { promise: Promise.resolve({ StatusCode: rec.State.ExitCode, Error: null }), cancel: () => {} };
    }
    return this.ctx.waiters.add(rec.Id, condition);
  }

  /**
   * Attaches streams. Before start they are queued so that the first byte
   * is not lost; returns a function that detaches a queued attachment.
   */
  async attach(idOrName: string, attachment: TaskAttachment): Promise<() => void> {
    const rec = this.get(idOrName);
    emitContainerEvent(this.ctx, rec, 'attach');
    if (rec.State.Running) {
      await this.ctx.runtime.attach(rec.Id, attachment);
      return () => {};
    }
    return this.lifecycle.addPending(rec.Id, attachment);
  }

  async resize(idOrName: string, rows: number, cols: number): Promise<void> {
    const rec = this.get(idOrName);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    await this.ctx.runtime.resize(rec.Id, rows, cols);
    emitContainerEvent(this.ctx, rec, 'resize', { height: String(rows), width: String(cols) });
  }

  logs(idOrName: string, options: LogOptions): AsyncIterable<LogEntry> {
    const rec = this.get(idOrName);
    const type = rec.HostConfig.LogConfig?.Type ?? 'json-file';
    if (type === 'none') throw conflict(`configured logging driver does not support reading`);
    return this.ctx.runtime.logs(rec, options);
  }

  async top(idOrName: string, psArgs: string | undefined): Promise<{ Titles: string[]; Processes: string[][] }> {
    const rec = this.get(idOrName);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    return this.ctx.runtime.top(rec.Id, psArgs);
  }

  async stats(idOrName: string): Promise<Record<string, unknown> | undefined> {
    const rec = this.get(idOrName);
    if (!rec.State.Running) return undefined;
    const stats = await this.ctx.runtime.stats(rec.Id);
    // Docker's `networks`: the counters of the container's own namespace (none for host/none/container:).
    const mode = rec.HostConfig.NetworkMode ?? 'default';
    if (mode !== 'host' && mode !== 'none' && !mode.startsWith('container:') && rec.State.Pid > 0) {
      const networks = await readNetDev(rec.State.Pid).catch(() => ({}));
      if (Object.keys(networks).length > 0) stats['networks'] = networks;
    }
    return stats;
  }

  /** Containers that are not running, removed by `container prune`. */
  async prune(select: (rec: ContainerRecord) => boolean): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
    const deleted: string[] = [];
    for (const rec of this.list()) {
      if (rec.State.Running || rec.State.Restarting || !select(rec)) continue;
      await this.remove(rec.Id, { force: false, volumes: false });
      deleted.push(rec.Id);
    }
    return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: 0 };
  }

  /**
   * Runs fn with the container's root filesystem mounted: the live mount of a
   * running container, or a temporary mount of a stopped one (held under the
   * container's lock so that it cannot start meanwhile).
   */
  async withRootfs<T>(idOrName: string, fn: (rootfs: string) => Promise<T>): Promise<T> {
    const rec = this.get(idOrName);
    if (rec.State.Running) return fn(this.lifecycle.rootfsPath(rec.Id));
    return this.ctx.locks.run(rec.Id, async () => {
      await mkdir(this.ctx.options.rootfsDir, { recursive: true });
      const dir = await mkdtemp(join(this.ctx.options.rootfsDir, `tmp-${rec.Id.slice(0, 12)}-`));
      try {
        await this.ctx.mounter.mountAll(await this.ctx.images.layerMounts(rec.Id), dir);
        return await fn(dir);
      } finally {
        await this.ctx.mounter.unmountIfMounted(dir).catch((err: unknown) => log.warn('temporary rootfs unmount failed', { err: errorMessage(err) }));
        await rmdir(dir).catch(() => {});
      }
    });
  }

  /** Publishes a container event (commit, copy…) from the API edge. */
  emit(rec: ContainerRecord, action: string, extra: Record<string, string> = {}): void {
    emitContainerEvent(this.ctx, rec, action, extra);
  }

  /** True when a container uses the image (for `rmi`). */
  usesImage(imageId: string): ContainerRecord | undefined {
    return this.list().find((r) => r.Image === imageId);
  }

  get events(): EventBus {
    return this.ctx.events;
  }
}
