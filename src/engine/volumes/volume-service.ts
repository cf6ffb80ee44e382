import { join } from 'node:path';
import { BerthError, conflict, errorMessage, internal, logger, notFound, type Filters } from '../../core/index.js';
import type { EventBus } from '../events/index.js';
import { hasMountOptions, localVolumeMount, validateLocalOptions } from './local-options.js';
import { NameLock } from './name-lock.js';
import type { CreateVolumeOptions, Volume, VolumeKernel, VolumeListResponse, VolumePruneReport, VolumeRecord, VolumeReferences } from './types.js';
import { listPredicate, prunePredicate } from './volume-filters.js';
import { generateVolumeName, validateVolumeName } from './volume-names.js';
import { VolumeStore } from './volume-store.js';
import { directorySize, toApiVolume } from './volume-view.js';

const log = logger('engine.volumes');
/** How long a reference taken at container create counts before the container is visible. */
const PENDING_TTL_MS = 60_000;

export interface VolumeServiceOptions {
  /** Daemon root; volumes live in `<root>/volumes`. */
  root: string;
  kernel: VolumeKernel;
  events?: EventBus;
}

/**
 * The local volume driver and Docker's volume service in one: create, list,
 * inspect, remove and prune volumes, and mount the ones with driver options
 * while containers use them. Which containers use a volume comes from the
 * container side (VolumeReferences), so it is never stored twice.
 */
export class VolumeService {
  private readonly records = new Map<string, VolumeRecord>();
  private readonly store: VolumeStore;
  private readonly locks = new NameLock();
  private readonly kernel: VolumeKernel;
  private readonly events: EventBus | undefined;
  private references: VolumeReferences = { usedBy: () => [], mountedBy: () => [] };
  /** References taken by containers being created: container id → names. */
  private readonly pending = new Map<string, { names: Set<string>; at: number }>();
  /** Volumes mounted for containers by this process: name → container ids. */
  private readonly active = new Map<string, Set<string>>();
  private pruning = false;

  constructor(options: VolumeServiceOptions) {
    this.store = new VolumeStore(join(options.root, 'volumes'));
    this.kernel = options.kernel;
    this.events = options.events;
  }

  get dir(): string {
    return this.store.dir;
  }

  async init(): Promise<void> {
    for (const rec of await this.store.init()) this.records.set(rec.Name, rec);
  }

  useReferences(refs: VolumeReferences): void {
    this.references = refs;
  }

  /** Marks a volume as used by a container that is still being created. */
  holdPending(containerId: string, name: string): void {
    const entry = this.pending.get(containerId) ?? { names: new Set<string>(), at: Date.now() };
    entry.names.add(name);
    this.pending.set(containerId, entry);
  }

  releasePending(containerId: string): void {
    this.pending.delete(containerId);
  }

  /** Containers using the volume (Docker's references), including ones still being created. */
  usedBy(name: string): string[] {
    const ids = new Set(this.references.usedBy(name));
    const now = Date.now();
    for (const [id, entry] of this.pending) {
      if (now - entry.at > PENDING_TTL_MS) this.pending.delete(id);
      else if (entry.names.has(name)) ids.add(id);
    }
    return [...ids];
  }

  async create(nameArg: string | undefined, opts: CreateVolumeOptions = {}): Promise<Volume> {
    const name = nameArg === undefined || nameArg === '' ? generateVolumeName() : nameArg;
    try {
      checkDriver(opts.driver);
      validateVolumeName(name);
      validateLocalOptions(opts.options);
    } catch (err) {
      throw opError('create', name, err);
    }
    return this.locks.run(name, async () => {
      let rec = this.records.get(name);
      if (!rec) {
        rec = { Name: name, Driver: 'local', Labels: opts.labels ?? null, Options: opts.options ?? null, CreatedAt: new Date().toISOString() };
        try {
          await this.store.create(rec);
        } catch (err) {
          throw opError('create', name, err);
        }
        this.records.set(name, rec);
      }
      if (opts.reference !== undefined) this.holdPending(opts.reference, name);
      // dockerd logs `create` on every successful call, also for an existing volume.
      this.publish('create', name, { driver: rec.Driver });
      return this.view(rec);
    });
  }

  has(name: string): boolean {
    return this.records.has(name);
  }

  get(name: string): Volume {
    return this.view(this.record(name));
  }

  record(name: string): VolumeRecord {
    const rec = this.records.get(name);
    if (!rec) throw notFound(`get ${name}: no such volume`);
    return rec;
  }

  dataPath(name: string): string {
    return this.store.dataPath(name);
  }

  list(filters: Filters = new Map()): VolumeListResponse {
    const match = listPredicate(filters, { inUse: (n) => this.usedBy(n).length > 0 });
    const volumes = [...this.records.values()].filter(match).sort((a, b) => a.Name.localeCompare(b.Name));
    return { Volumes: volumes.map((r) => this.view(r)), Warnings: null };
  }

  /** Every volume with its size and reference count (`/system/df`). */
  async usage(): Promise<Volume[]> {
    const out: Volume[] = [];
    for (const rec of this.records.values()) {
      const size = await directorySize(this.store.dataPath(rec.Name)).catch(() => -1);
      out.push({ ...this.view(rec), UsageData: { Size: size, RefCount: this.usedBy(rec.Name).length } });
    }
    return out;
  }

  /** `DELETE /volumes/{name}`: refuses a volume in use even with force (as dockerd does). */
  async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.locks.run(name, async () => {
      const rec = this.records.get(name);
      if (!rec) {
        if (options.force) return;
        throw notFound(`get ${name}: no such volume`);
      }
      const users = this.usedBy(name);
      if (users.length > 0) throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      await this.destroy(rec);
    });
  }

  async prune(filters: Filters = new Map()): Promise<VolumePruneReport> {
    if (this.pruning) throw conflict('a prune operation is already running');
    this.pruning = true;
    try {
      const match = prunePredicate(filters, { inUse: (n) => this.usedBy(n).length > 0 });
      const report: VolumePruneReport = { VolumesDeleted: [], SpaceReclaimed: 0 };
      for (const candidate of [...this.records.values()].filter(match)) {
        await this.locks.run(candidate.Name, async () => {
          const rec = this.records.get(candidate.Name);
          if (!rec || this.usedBy(rec.Name).length > 0) return;
          const size = await directorySize(this.store.dataPath(rec.Name));
          await this.destroy(rec);
          report.VolumesDeleted.push(rec.Name);
          report.SpaceReclaimed += size;
        }).catch((err: unknown) => log.warn('prune: cannot remove volume', { name: candidate.Name, err: errorMessage(err) }));
      }
      this.publish('prune', '', { reclaimed: String(report.SpaceReclaimed) });
      return report;
    } finally {
      this.pruning = false;
    }
  }

  /** Makes the volume's data available for a container; mounts a volume with options on first use. */
  async mount(name: string, containerId: string): Promise<string> {
    return this.locks.run(name, async () => {
      const rec = this.record(name);
      const path = this.store.dataPath(name);
      if (hasMountOptions(rec.Options) && !(await this.kernel.isMounted(path))) {
        const m = localVolumeMount(rec.Options ?? {});
        try {
          await this.kernel.mount(m, path);
        } catch (err) {
          throw internal(`error while mounting volume '${path}': failed to mount local volume: mount ${m.source}:${path}: ${errorMessage(err)}`, { cause: err });
        }
      }
      const set = this.active.get(name) ?? new Set<string>();
      set.add(containerId);
      this.active.set(name, set);
      return path;
    });
  }

  /** The container no longer uses the volume; the last user unmounts a volume with options. */
  async unmount(name: string, containerId: string): Promise<void> {
    await this.locks.run(name, async () => {
      const set = this.active.get(name);
      set?.delete(containerId);
      if (set?.size === 0) this.active.delete(name);
      const rec = this.records.get(name);
      if (!rec || !hasMountOptions(rec.Options)) return;
      const others = new Set([...(this.active.get(name) ?? []), ...this.references.mountedBy(name)]);
      others.delete(containerId);
      if (others.size === 0) await this.kernel.unmount(this.store.dataPath(name));
    });
  }

  /** After a daemon restart: unmounts volumes with options that no running container uses. */
  async reconcileMounts(): Promise<void> {
    for (const rec of this.records.values()) {
      if (!hasMountOptions(rec.Options)) continue;
      await this.locks.run(rec.Name, async () => {
        if ((this.active.get(rec.Name)?.size ?? 0) > 0 || this.references.mountedBy(rec.Name).length > 0) return;
        await this.kernel.unmount(this.store.dataPath(rec.Name));
      }).catch((err: unknown) => log.warn('cannot unmount unused volume', { name: rec.Name, err: errorMessage(err) }));
    }
  }

  private async destroy(rec: VolumeRecord): Promise<void> {
    const path = this.store.dataPath(rec.Name);
    // Never delete recursively through a mount: it could be a host directory.
    await this.kernel.unmount(path);
    if (await this.kernel.isMounted(path)) throw conflict(`remove ${rec.Name}: volume is still mounted at ${path}`);
    await this.store.remove(rec.Name);
    this.records.delete(rec.Name);
    this.active.delete(rec.Name);
    this.publish('destroy', rec.Name, { driver: rec.Driver });
  }

  private view(rec: VolumeRecord): Volume {
    return toApiVolume(rec, this.store.dataPath(rec.Name));
  }

  private publish(action: string, id: string, attributes: Record<string, string>): void {
    this.events?.publish({ type: 'volume', action, id, attributes });
  }
}

function checkDriver(driver: string | undefined): void {
  if (driver === undefined || driver === '' || driver === 'local') return;
  throw notFound(`error looking up volume plugin ${driver}: plugin "${driver}" not found`);
}

/** dockerd's OpError: `<op> <name>: <cause>`, keeping the cause's kind. */
function opError(op: string, name: string, err: unknown): BerthError {
  const kind = err instanceof BerthError ? err.kind : 'Internal';
  return new BerthError(kind, `${op} ${name}: ${errorMessage(err)}`, { cause: err });
}
