import { isDigest, type Digest } from '../../core/digest.js';
import { logger } from '../../core/log.js';
import type { ContentStore, Provider } from './types.js';

const log = logger('engine.content.gc');

/** Manifests and indexes are small; anything larger is a layer or a config. */
const MAX_LINK_BLOB = 4 * 1024 * 1024;

/**
 * The blobs a blob links to: a manifest names its config and layers, an
 * index its manifests. Other blobs (configs, layers) link to nothing.
 */
export async function blobChildren(provider: Provider, digest: Digest): Promise<Digest[]> {
  let info;
  try {
    info = await provider.info(digest);
  } catch {
    return [];
  }
  if (info.size > MAX_LINK_BLOB) return [];
  const buf = await provider.readBuffer(digest, MAX_LINK_BLOB);
  if (buf[0] !== 0x7b /* { */) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(buf.toString('utf8'));
  } catch {
    return [];
  }
  if (doc === null || typeof doc !== 'object' || (doc as { schemaVersion?: unknown }).schemaVersion !== 2) return [];
  const d = doc as { config?: { digest?: unknown }; layers?: { digest?: unknown }[]; manifests?: { digest?: unknown }[] };
  const out: Digest[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string' && isDigest(v)) out.push(v);
  };
  push(d.config?.digest);
  for (const l of d.layers ?? []) push(l.digest);
  for (const m of d.manifests ?? []) push(m.digest);
  return out;
}

/**
 * Reference counts over the link graph: how many reachable parents (or
 * roots) point at each blob. A blob absent from the map is unreferenced.
 */
export async function referenceCounts(provider: Provider, roots: Iterable<Digest>): Promise<Map<Digest, number>> {
  const counts = new Map<Digest, number>();
  const queue: Digest[] = [];
  const visit = (d: Digest): void => {
    const n = counts.get(d) ?? 0;
    counts.set(d, n + 1);
    if (n === 0) queue.push(d);
  };
  for (const r of roots) visit(r);
  while (queue.length > 0) {
    const d = queue.shift()!;
    for (const child of await blobChildren(provider, d)) visit(child);
  }
  return counts;
}

export interface GcResult {
  removed: Digest[];
  reclaimed: number;
}

/** Deletes every blob that no root (nor an active lease) reaches. */
export async function collectGarbage(store: ContentStore, roots: Iterable<Digest>): Promise<GcResult> {
  const leased = store.leased();
  const counts = await referenceCounts(store, [...roots, ...leased]);
  const result: GcResult = { removed: [], reclaimed: 0 };
  for (const blob of await store.list()) {
    if (counts.has(blob.digest) || store.leased().has(blob.digest)) continue;
    if (await store.delete(blob.digest)) {
      result.removed.push(blob.digest);
      result.reclaimed += blob.size;
    }
  }
  if (result.removed.length > 0) log.debug('content gc', { removed: result.removed.length, reclaimed: result.reclaimed });
  return result;
}
