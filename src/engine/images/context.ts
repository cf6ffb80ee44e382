import { chainIds, isDigest, notFound, invalidArgument, parseAnyReference, referenceString, withDefaultTag, familiarString, conflict, type Digest, type ImageConfig, type ImageManifest } from '../../core/index.js';
import type { LocalContentStore } from '../content/index.js';
import type { OverlaySnapshotter } from '../snapshots/index.js';
import type { ImageDb, ImageRecord } from './image-db.js';
import type { LayerStore } from './layer-store.js';
import type { GcGate } from './gc-gate.js';
import type { ImageUsage } from './types.js';

/** Where image events go (the engine's EventBus satisfies it). */
export interface ImageEventSink {
  publish(input: { type: 'image'; action: string; id: string; attributes?: Record<string, string> }): unknown;
}

/** Everything the image operations share; built once by ImagesService. */
export interface ImageContext {
  root: string;
  content: LocalContentStore;
  snapshots: OverlaySnapshotter;
  layers: LayerStore;
  db: ImageDb;
  usage: ImageUsage;
  events: ImageEventSink | undefined;
  configs: Map<Digest, ImageConfig>;
  /** Collections wait for in-flight image assembly (see GcGate). */
  gate: GcGate;
}

export function publish(ctx: ImageContext, action: string, id: string, name: string = id): void {
  ctx.events?.publish({ type: 'image', action, id, attributes: { name } });
}

export async function readConfig(ctx: ImageContext, id: Digest): Promise<ImageConfig> {
  const cached = ctx.configs.get(id);
  if (cached) return cached;
  const cfg = JSON.parse((await ctx.content.readBuffer(id)).toString('utf8')) as ImageConfig;
  cfg.rootfs ??= { type: 'layers', diff_ids: [] };
  cfg.rootfs.diff_ids ??= [];
  ctx.configs.set(id, cfg);
  return cfg;
}

export async function readManifest(ctx: ImageContext, record: ImageRecord): Promise<ImageManifest> {
  return JSON.parse((await ctx.content.readBuffer(record.manifest)).toString('utf8')) as ImageManifest;
}

export function layerChains(cfg: ImageConfig): Digest[] {
  return chainIds(cfg.rootfs.diff_ids);
}

export function topChain(cfg: ImageConfig): Digest | undefined {
  return layerChains(cfg).at(-1);
}

/** Docker's image Size: the sum of its layers' own sizes. */
export function imageSize(ctx: ImageContext, cfg: ImageConfig): number {
  return layerChains(cfg).reduce((n, c) => n + (ctx.layers.get(c)?.size ?? 0), 0);
}

/** Message of Docker's ErrImageDoesNotExist. */
export function noSuchImage(name: string): Error {
  let shown = name;
  try {
    const any = parseAnyReference(name);
    shown = any.kind === 'named' ? familiarString(withDefaultTag(any.ref)) : any.digest;
  } catch {
    // keep the name as given
  }
  return notFound(`No such image: ${shown}`);
}

/** ImageStore.Search: an ID or unique ID prefix (with or without `sha256:`). */
export function searchId(ctx: ImageContext, term: string): ImageRecord | undefined {
  const hex = term.startsWith('sha256:') ? term.slice(7) : term;
  if (!/^[a-f0-9]+$/.test(hex)) return undefined;
  const found = ctx.db.images().filter((r) => r.id.slice(7).startsWith(hex));
  if (found.length > 1) throw conflict(`ambiguous image ID prefix ${term}`, { details: { status: 400 } });
  return found[0];
}

/**
 * Docker's GetImage: a name (tag or digest reference), a full ID, or a
 * unique ID prefix. Names win over prefixes, as in Docker.
 */
export function resolveRecord(ctx: ImageContext, refOrId: string): ImageRecord {
  const any = parseAnyReference(refOrId);
  if (any.kind === 'digest') {
    const rec = ctx.db.get(any.digest);
    if (rec) return rec;
    throw notFound(`No such image: ${any.digest}`);
  }
  const target = ctx.db.refTarget(referenceString(withDefaultTag(any.ref)));
  if (target) {
    const rec = ctx.db.get(target);
    if (rec) return rec;
  }
  const byId = searchId(ctx, refOrId);
  if (byId) return byId;
  throw notFound(`No such image: ${familiarString(withDefaultTag(any.ref))}`);
}

export function asDigest(id: string): Digest {
  if (!isDigest(id)) throw invalidArgument(`invalid image ID ${id}`);
  return id;
}
