import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, invalidArgument, isBerthError, logger } from '../../core/index.js';
import type { EventBus } from '../events/index.js';
import type { ContainerLookup, ContainerVolumes, OciMount } from '../containers/hooks.js';
import type { ContainerRecord } from '../containers/types.js';
import { mountConfigError } from './mount-spec.js';
import { planMounts } from './mount-planner.js';
import { MountStateStore, type MountDetail } from './mount-state-store.js';
import { bindOciMount, sortMounts, tmpfsOciMount } from './oci-mounts.js';
import { resolveInRoot } from './scoped-path.js';
import type { VolumeKernel, VolumeReferences } from './types.js';
import type { VolumeService } from './volume-service.js';

const log = logger('engine.volumes');

export interface ContainerVolumeManagerOptions {
  volumes: VolumeService;
  /** Containers, for --volumes-from and for who uses which volume. */
  lookup: ContainerLookup;
  kernel: VolumeKernel;
  events?: EventBus;
}

/**
 * The container service's volume hooks: resolves mounts at create, mounts
 * volumes (copying the image's content into fresh ones) and describes the
 * OCI mounts at start, releases them at stop, removes anonymous volumes with
 * `rm -v`. It is also the volume service's source of references: a volume
 * is in use while a container's Mounts name it.
 */
export class ContainerVolumeManager implements ContainerVolumes, VolumeReferences {
  private readonly volumes: VolumeService;
  private readonly lookup: ContainerLookup;
  private readonly kernel: VolumeKernel;
  private readonly events: EventBus | undefined;
  private readonly states: MountStateStore;
  /** Containers whose removal is under way no longer hold their volumes. */
  private readonly removing = new Set<string>();

  constructor(options: ContainerVolumeManagerOptions) {
    this.volumes = options.volumes;
    this.lookup = options.lookup;
    this.kernel = options.kernel;
    this.events = options.events;
    this.states = new MountStateStore(join(options.volumes.dir, '.containers'));
    options.volumes.useReferences(this);
  }

  async init(): Promise<void> {
    await this.states.init();
  }

  /** After the daemon (re)started and loaded its containers: drop stale state, unmount unused volumes. */
  async restore(): Promise<void> {
    const known = new Set(this.lookup.list().map((c) => c.Id));
    for (const id of await this.states.ids()) if (!known.has(id)) await this.states.delete(id);
    await this.volumes.reconcileMounts();
  }

  usedBy(name: string): string[] {
    return this.users(name, false);
  }

  mountedBy(name: string): string[] {
    return this.users(name, true);
  }

  isInUse(name: string): boolean {
    return this.volumes.usedBy(name).length > 0;
  }

  private users(name: string, runningOnly: boolean): string[] {
    return this.lookup
      .list()
      .filter((c) => !this.removing.has(c.Id) && (!runningOnly || c.State.Running))
      .filter((c) => c.Mounts.some((m) => m.Type === 'volume' && m.Name === name))
      .map((c) => c.Id);
  }

  async onCreate(container: ContainerRecord, imageVolumes: string[]): Promise<void> {
    const paths = [...new Set([...Object.keys(container.Config.Volumes ?? {}), ...imageVolumes])];
    const created: string[] = [];
    try {
      const planned = await planMounts(container, paths, { volumes: this.volumes, lookup: this.lookup, states: this.states, created });
      container.Mounts = planned.map((p) => p.point);
      // Hold only what the container ended up with (a bind may override a --volumes-from mount).
      this.volumes.releasePending(container.Id);
      for (const p of container.Mounts) if (p.Type === 'volume' && p.Name !== undefined) this.volumes.holdPending(container.Id, p.Name);
      await this.states.save(container.Id, planned.map((p) => p.detail));
    } catch (err) {
      this.volumes.releasePending(container.Id);
      for (const name of created) await this.volumes.remove(name).catch(() => {});
      throw err;
    }
  }

  async setUp(container: ContainerRecord, rootfsPath: string): Promise<OciMount[]> {
    const details = await this.states.get(container.Id);
    const mounts: OciMount[] = [];
    const mounted: string[] = [];
    let copied = false;
    try {
      for (const point of container.Mounts) {
        const detail = details.find((d) => d.destination === point.Destination) ?? { destination: point.Destination, anonymous: false, copyData: false };
        if (point.Type === 'volume' && point.Name !== undefined) {
          const path = await this.volumes.mount(point.Name, container.Id);
          mounted.push(point.Name);
          if (detail.copyData) {
            await this.copyImageContent(rootfsPath, point.Destination, path);
            detail.copyData = false;
            copied = true;
          }
          mounts.push(bindOciMount(point, path, false));
          this.publish('mount', point.Name, {
            container: container.Id, destination: point.Destination, driver: point.Driver ?? 'local',
            propagation: point.Propagation, 'read/write': String(point.RW),
          });
        } else if (point.Type === 'bind') {
          await this.prepareBindSource(point.Source, detail);
          await this.checkPropagation(point.Source, point.Propagation);
          mounts.push(bindOciMount(point, point.Source, detail.nonRecursive === true));
        } else if (point.Type === 'tmpfs') {
          mounts.push(tmpfsOciMount(point.Destination, detail.tmpfsData ?? ''));
        }
      }
      for (const [destination, data] of Object.entries(container.HostConfig.Tmpfs ?? {})) mounts.push(tmpfsOciMount(destination, data));
      if (copied) await this.states.save(container.Id, details);
      return sortMounts(mounts);
    } catch (err) {
      for (const name of mounted) await this.volumes.unmount(name, container.Id).catch(() => {});
      throw err;
    }
  }

  /** The container stopped (or failed to start): release its volumes. */
  async tearDown(container: ContainerRecord): Promise<void> {
    for (const point of container.Mounts) {
      if (point.Type !== 'volume' || point.Name === undefined) continue;
      await this.volumes.unmount(point.Name, container.Id).catch((err: unknown) => log.warn('cannot unmount volume', { name: point.Name, err: errorMessage(err) }));
      this.publish('unmount', point.Name, { container: container.Id, driver: point.Driver ?? 'local' });
    }
  }

  async onRemove(container: ContainerRecord, options: { removeAnonymous: boolean }): Promise<void> {
    this.removing.add(container.Id);
    this.volumes.releasePending(container.Id);
    try {
      const details = await this.states.get(container.Id);
      if (options.removeAnonymous) {
        for (const point of container.Mounts) {
          if (point.Type !== 'volume' || point.Name === undefined) continue;
          if (!details.find((d) => d.destination === point.Destination)?.anonymous) continue;
          // Still used by another container (--volumes-from): not an error, as in dockerd.
          await this.volumes.remove(point.Name).catch((err: unknown) => {
            if (!isBerthError(err, 'Conflict') && !isBerthError(err, 'NotFound')) throw err;
          });
        }
      }
      await this.states.delete(container.Id);
    } finally {
      this.removing.delete(container.Id);
    }
  }

  /**
   * Docker fills a fresh volume with what the image has at the mount point,
   * including the directory's own owner and mode; a volume that already
   * holds data is left alone.
   */
  private async copyImageContent(rootfsPath: string, destination: string, volumePath: string): Promise<void> {
    const src = await resolveInRoot(rootfsPath, destination);
    const info = await stat(src).catch(() => undefined);
    if (!info) return;
    if (!info.isDirectory()) throw invalidArgument(`cannot mount volume over existing file, file exists ${src}`);
    if ((await readdir(volumePath)).length > 0) return;
    await this.kernel.copyDirectory(src, volumePath);
  }

  private async prepareBindSource(source: string, detail: MountDetail): Promise<void> {
    if (await stat(source).then(() => true, () => false)) return;
    // -v creates a missing host directory (dockerd's backwards compatibility); --mount does not.
    if (!detail.createSource) throw mountConfigError('bind', `bind source path does not exist: ${source}`);
    await mkdir(source, { recursive: true, mode: 0o755 });
  }

  private async checkPropagation(source: string, propagation: string): Promise<void> {
    const wantsShared = propagation === 'shared' || propagation === 'rshared';
    const wantsSlave = propagation === 'slave' || propagation === 'rslave';
    if (!wantsShared && !wantsSlave) return;
    const p = await this.kernel.propagationOf(source);
    if (wantsShared && !p.shared) throw invalidArgument(`path ${source} is mounted on ${p.mountPoint} but it is not a shared mount`);
    if (wantsSlave && !p.shared && !p.slave) throw invalidArgument(`path ${source} is mounted on ${p.mountPoint} but it is not a shared or slave mount`);
  }

  private publish(action: string, id: string, attributes: Record<string, string>): void {
    this.events?.publish({ type: 'volume', action, id, attributes });
  }
}
