import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest, logger, parseNormalizedNamed, type Digest } from '../../core/index.js';
import { collectGarbage, type GcResult } from '../content/index.js';
import { unmountIfMounted } from '../../platform/linux/mount.js';
import { layerChains, readConfig, type ImageContext } from './context.js';
import type { LayerInfo } from './layer-store.js';

const log = logger('engine.images.gc');

/** Chains of every recorded image: the layers that must stay. */
async function liveChains(ctx: ImageContext): Promise<Set<Digest>> {
  const keep = new Set<Digest>();
  for (const rec of ctx.db.images()) {
    try {
      for (const c of layerChains(await readConfig(ctx, rec.id))) keep.add(c);
    } catch (err) {
      log.warn('image config unreadable', { id: rec.id, err });
    }
  }
  return keep;
}

/** Content GC roots: each image's manifest, and the manifests/indexes pinned by `name@digest` references. */
function contentRoots(ctx: ImageContext): Digest[] {
  const roots: Digest[] = [];
  for (const rec of ctx.db.images()) roots.push(rec.manifest, rec.id);
  for (const [ref] of ctx.db.allRefs()) {
    const d = parseNormalizedNamed(ref).digest;
    if (d !== undefined && isDigest(d)) roots.push(d);
  }
  return roots;
}

export async function collectContent(ctx: ImageContext): Promise<GcResult> {
  return collectGarbage(ctx.content, contentRoots(ctx));
}

/**
 * Removes layers and blobs no image needs any more. Returns the removed
 * layers among `reportChains` (what `docker rmi` lists as Deleted).
 */
export async function collectUnused(ctx: ImageContext, reportChains?: readonly Digest[]): Promise<LayerInfo[]> {
  const removed =
    (await ctx.gate.collect(async () => {
      const layers = await ctx.layers.collect(await liveChains(ctx));
      await collectContent(ctx);
      return layers;
    })) ?? [];
  if (reportChains === undefined) return removed;
  const wanted = new Set(reportChains);
  return removed.filter((l) => wanted.has(l.chainId));
}

/**
 * Start-up recovery after a crash: unmount and delete temporary mounts,
 * drop extraction snapshots and layers no image records, and blobs no
 * image reaches. The metadata files are the commit points, so whatever
 * they do not name was half-made.
 */
export async function recover(ctx: ImageContext): Promise<void> {
  const mounts = join(ctx.root, 'tmp-mounts');
  await mkdir(mounts, { recursive: true });
  for (const name of await readdir(mounts)) {
    await unmountIfMounted(join(mounts, name)).catch((err: unknown) => log.warn('cannot unmount leftover', { name, err }));
    await rm(join(mounts, name), { recursive: true, force: true }).catch(() => undefined);
  }
  await rm(join(ctx.root, 'tmp'), { recursive: true, force: true });
  await mkdir(join(ctx.root, 'tmp'), { recursive: true });
  const removed = await ctx.layers.collect(await liveChains(ctx), true);
  const content = await collectContent(ctx);
  if (removed.length > 0 || content.removed.length > 0) log.info('recovered storage', { layers: removed.length, blobs: content.removed.length });
}
