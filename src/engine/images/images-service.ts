import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ContainerConfig, Descriptor, Digest, Filters, Reference } from '../../core/index.js';
import type { Mount } from '../../platform/linux/mount.js';
import { LocalContentStore } from '../content/index.js';
import { OverlaySnapshotter, type Change } from '../snapshots/index.js';
import { containerChanges, containerGraphDriver, containerLayerIds, containerMounts, createContainerLayer, exportContainer, removeContainerLayer } from './container-layer.js';
import { publish, readConfig, resolveRecord, type ImageContext, type ImageEventSink } from './context.js';
import { addDigestRef, findLayerBlob, localImage, repositoryTags, type LocalImage } from './transfer-support.js';
import { commitContainer } from './image-commit.js';
import { ImageDb } from './image-db.js';
import { deleteImage, tagImage } from './image-delete.js';
import { collectUnused, recover } from './image-gc.js';
import { importImage } from './image-import.js';
import { imageHistory, inspectImage } from './image-inspect.js';
import { listImages, type ListOptions } from './image-list.js';
import { loadImages } from './image-load.js';
import { pruneImages } from './image-prune.js';
import { saveImages } from './image-save.js';
import { LayerStore } from './layer-store.js';
import { GcGate } from './gc-gate.js';
import { storeImage, type NewImage, type StoredImage } from './store-image.js';
import type {
  CommitOptions, DeleteResponseItem, ExportOptions, HistoryItem, ImageInspect, ImagesDiskUsage, ImageSummary, ImageUsage, ImportOptions, LoadOptions, LoadResult, ProgressSink, PruneReport, ResolvedImage,
} from './types.js';

export interface ImagesServiceOptions {
  /** The engine's `--root`; images live under `<root>/image`, layers under `<root>/overlay`, blobs under `<root>/content`. */
  root: string;
  /** Which containers use an image (rmi conflicts, prune, system df). */
  isInUse?: ImageUsage;
  events?: ImageEventSink;
}

/**
 * The engine's image service: content store, layer snapshots, image
 * records and tags, and the Docker operations on them. Other services use
 * it through this class only.
 */
export class ImagesService {
  private readonly ctx: ImageContext;
  /** Container layers being removed after their container's `destroy`: rmi and prune wait for them. */
  private readonly layerRemovals = new Set<Promise<void>>();

  constructor(opts: ImagesServiceOptions) {
    const content = new LocalContentStore(join(opts.root, 'content'));
    const snapshots = new OverlaySnapshotter(join(opts.root, 'overlay'));
    this.ctx = {
      root: join(opts.root, 'image'),
      content,
      snapshots,
      layers: new LayerStore(snapshots, content),
      db: new ImageDb(join(opts.root, 'image', 'db.json')),
      usage: opts.isInUse ?? (() => []),
      events: opts.events,
      configs: new Map(),
      gate: new GcGate(),
    };
  }

  /** Opens the stores and cleans what a crash left half-made. Call once before anything else. */
  async init(): Promise<void> {
    await this.ctx.content.init();
    await this.ctx.snapshots.init();
    await this.ctx.db.load();
    await recover(this.ctx);
  }

  // ---- lookups -------------------------------------------------------

  /** A reference, full ID or unique ID prefix → ID and config; NotFound `No such image: x`. */
  async resolve(ref: string): Promise<ResolvedImage> {
    const rec = resolveRecord(this.ctx, ref);
    const image = await readConfig(this.ctx, rec.id);
    return { id: rec.id, config: image.config ?? {}, image };
  }

  /** The image ID a reference names, or undefined (for filters such as `ancestor`). */
  findId(ref: string): string | undefined {
    try {
      return resolveRecord(this.ctx, ref).id;
    } catch {
      return undefined;
    }
  }

  /** Number of images, `docker info`'s Images. */
  count(): number {
    return this.ctx.db.images().length;
  }

  list(opts: ListOptions = {}): Promise<ImageSummary[]> {
    return listImages(this.ctx, opts);
  }

  inspect(name: string): Promise<ImageInspect> {
    return inspectImage(this.ctx, name);
  }

  history(name: string): Promise<HistoryItem[]> {
    return imageHistory(this.ctx, name);
  }

  async diskUsage(): Promise<ImagesDiskUsage> {
    return { LayersSize: this.ctx.layers.totalSize(), Images: await listImages(this.ctx, { all: true, withUsage: true }) };
  }

  // ---- references ----------------------------------------------------

  tag(name: string, repo: string, tag?: string): Promise<string> {
    return tagImage(this.ctx, name, repo, tag);
  }

  async remove(name: string, opts: { force?: boolean; noprune?: boolean } = {}): Promise<DeleteResponseItem[]> {
    // A container removed just before must not keep its image's layers alive (and out of the answer).
    await this.settleLayerRemovals();
    return deleteImage(this.ctx, name, { force: opts.force ?? false, prune: !(opts.noprune ?? false) });
  }

  async prune(filters: Filters = new Map()): Promise<PruneReport> {
    await this.settleLayerRemovals();
    return pruneImages(this.ctx, filters);
  }

  // ---- creating images -----------------------------------------------

  import(input: Readable, opts: ImportOptions = {}): Promise<Digest> {
    return this.ctx.gate.hold(() => this.cleanOnFailure(importImage(this.ctx, input, opts)));
  }

  load(input: Readable, opts: LoadOptions = {}, progress?: ProgressSink): Promise<LoadResult> {
    return this.ctx.gate.hold(() => this.cleanOnFailure(loadImages(this.ctx, input, opts, progress)));
  }

  save(names: readonly string[]): Promise<Readable> {
    return saveImages(this.ctx, names);
  }

  commit(containerId: string, opts: CommitOptions): Promise<Digest> {
    return this.ctx.gate.hold(() => this.cleanOnFailure(commitContainer(this.ctx, containerId, opts)));
  }

  /** Records an image whose blobs are already in the content store and layers unpacked (registry pulls). */
  store(image: NewImage): Promise<StoredImage> {
    return storeImage(this.ctx, image);
  }

  /** Runs a multi-step image assembly (a pull) with garbage collection held off until it ends. */
  assemble<T>(fn: () => Promise<T>): Promise<T> {
    return this.ctx.gate.hold(() => this.cleanOnFailure(fn()));
  }

  /** A failed operation may have stored blobs or layers no image will use: collect them (deferred until the gate opens). */
  private async cleanOnFailure<T>(op: Promise<T>): Promise<T> {
    try {
      return await op;
    } catch (err) {
      await collectUnused(this.ctx).catch(() => undefined);
      throw err;
    }
  }

  // ---- container layers ----------------------------------------------

  createContainerLayer(containerId: string, imageId: string): Promise<Mount[]> {
    return this.ctx.gate.hold(() => createContainerLayer(this.ctx, containerId, imageId as Digest));
  }

  containerMounts(containerId: string): Mount[] {
    return containerMounts(this.ctx, containerId);
  }

  /** Removes a container's layer, after `after` settled when given (the caller unmounting its rootfs). */
  removeContainerLayer(containerId: string, options: { after?: Promise<unknown> } = {}): Promise<void> {
    if (!options.after) return removeContainerLayer(this.ctx, containerId);
    const p = options.after.then(
      () => removeContainerLayer(this.ctx, containerId),
      () => removeContainerLayer(this.ctx, containerId),
    );
    const tracked = p.catch(() => {});
    this.layerRemovals.add(tracked);
    void tracked.finally(() => this.layerRemovals.delete(tracked));
    return p;
  }

  /** Ids of the containers that have a read-write layer. */
  containerLayers(): string[] {
    return containerLayerIds(this.ctx);
  }

  private async settleLayerRemovals(): Promise<void> {
    while (this.layerRemovals.size > 0) await Promise.all([...this.layerRemovals]);
  }

  containerChanges(containerId: string): Promise<Change[]> {
    return containerChanges(this.ctx, containerId);
  }

  exportContainer(containerId: string, opts: ExportOptions = {}): Readable {
    return exportContainer(this.ctx, containerId, opts);
  }

  graphDriverData(containerId: string): Record<string, string> {
    return containerGraphDriver(this.ctx, containerId);
  }

  /** Same as createContainerLayer / containerMounts / removeContainerLayer, under the container service's names. */
  createLayer(containerId: string, imageId: string): Promise<Mount[]> {
    return this.createContainerLayer(containerId, imageId);
  }

  layerMounts(containerId: string): Promise<Mount[]> {
    return Promise.resolve(this.containerMounts(containerId));
  }

  removeLayer(containerId: string, options: { after?: Promise<unknown> } = {}): Promise<void> {
    return this.removeContainerLayer(containerId, options);
  }

  /** Collects unreferenced layers and blobs now (normally done after each removal). */
  async collectGarbage(): Promise<void> {
    await collectUnused(this.ctx);
  }

  // ---- registry transfers (src/registry/client) ----------------------

  localImage(ref: Reference): Promise<LocalImage> {
    return localImage(this.ctx, ref);
  }

  repositoryTags(name: Reference): Reference[] {
    return repositoryTags(this.ctx, name);
  }

  addDigestRef(ref: Reference, id: Digest): Promise<void> {
    return addDigestRef(this.ctx, ref, id);
  }

  findLayerBlob(diffId: Digest, preferred?: Descriptor): Promise<Descriptor | undefined> {
    return findLayerBlob(this.ctx, diffId, preferred);
  }

  /** Publishes an image event (pull/push are logged by the registry client). */
  event(action: string, id: string, name?: string): void {
    publish(this.ctx, action, id, name);
  }

  /** Internals for the registry client and tests (content store, layers). */
  get internals(): ImageContext {
    return this.ctx;
  }
}

export type { ContainerConfig };
