import { join } from 'node:path';
import { familiarString, parseNormalizedNamed, type Digest } from '../../core/index.js';
import { goContainerConfig, ZERO_TIME } from './config-render.js';
import { imageSize, layerChains, readConfig, resolveRecord, type ImageContext } from './context.js';
import type { HistoryItem, ImageInspect } from './types.js';

function repoRefs(ctx: ImageContext, id: Digest): { tags: string[]; digests: string[] } {
  const tags: string[] = [];
  const digests: string[] = [];
  for (const full of ctx.db.refsOf(id)) {
    const ref = parseNormalizedNamed(full);
    (ref.digest !== undefined ? digests : tags).push(familiarString(ref));
  }
  return { tags, digests };
}

/** `GET /images/{name}/json` in Docker 20.10's shape and key order. */
export async function inspectImage(ctx: ImageContext, name: string): Promise<ImageInspect> {
  const rec = resolveRecord(ctx, name);
  const cfg = await readConfig(ctx, rec.id);
  const { tags, digests } = repoRefs(ctx, rec.id);
  const size = imageSize(ctx, cfg);
  const out: ImageInspect = {
    Id: rec.id,
    RepoTags: tags,
    RepoDigests: digests,
    Parent: rec.parent ?? '',
    // Docker falls back to the last history comment (commits keep theirs there).
    Comment: cfg.comment || (cfg.history?.at(-1)?.comment ?? ''),
    Created: cfg.created ?? ZERO_TIME,
    Container: cfg.container ?? '',
    ContainerConfig: goContainerConfig(cfg.container_config),
    DockerVersion: cfg.docker_version ?? '',
    Author: cfg.author ?? '',
    Config: cfg.config ? goContainerConfig(cfg.config) : null,
    Architecture: cfg.architecture ?? '',
    ...(cfg.variant ? { Variant: cfg.variant } : {}),
    Os: cfg.os ?? '',
    ...(cfg['os.version'] ? { OsVersion: cfg['os.version'] } : {}),
    Size: size,
    VirtualSize: size,
    GraphDriver: { Data: graphDriverData(ctx, layerChains(cfg)), Name: 'overlay2' },
    RootFS: { Type: cfg.rootfs.type ?? 'layers', ...(cfg.rootfs.diff_ids.length > 0 ? { Layers: cfg.rootfs.diff_ids } : {}) },
    Metadata: { LastTagTime: rec.lastTagTime ?? ZERO_TIME },
  };
  return out;
}

/** overlay2-like GraphDriver data: the top layer as upper, the rest as lower. */
function graphDriverData(ctx: ImageContext, chains: Digest[]): Record<string, string> | null {
  const top = chains.at(-1);
  if (top === undefined || !ctx.snapshots.stat(top)) return null;
  const upper = ctx.snapshots.dir(top);
  const base = join(upper, '..');
  const lowers = ctx.snapshots.lowerDirs(top);
  return {
    ...(lowers.length > 0 ? { LowerDir: lowers.join(':') } : {}),
    MergedDir: join(base, 'merged'),
    UpperDir: upper,
    WorkDir: join(base, 'work'),
  };
}

/**
 * `docker history`: one row per config history entry, newest first, with
 * layer sizes; rows belonging to a known ancestor image carry its ID and
 * tags, the rest `<missing>` (Docker's ImageHistory).
 */
export async function imageHistory(ctx: ImageContext, name: string): Promise<HistoryItem[]> {
  const rec = resolveRecord(ctx, name);
  const cfg = await readConfig(ctx, rec.id);
  const chains = layerChains(cfg);
  const rows: HistoryItem[] = [];
  let layer = 0;
  for (const h of cfg.history ?? []) {
    let size = 0;
    if (!h.empty_layer) {
      const chain = chains[layer];
      if (chain === undefined) throw new Error('too many non-empty layers in History section');
      size = ctx.layers.get(chain)?.size ?? 0;
      layer++;
    }
    const created = h.created ? Math.floor(Date.parse(h.created) / 1000) : 0;
    rows.unshift({ Comment: h.comment ?? '', Created: Number.isNaN(created) ? 0 : created, CreatedBy: h.created_by ?? '', Id: '<missing>', Size: size, Tags: null });
  }
  let current: typeof rec | undefined = rec;
  for (const row of rows) {
    if (!current) break;
    row.Id = current.id;
    const tags = repoRefs(ctx, current.id).tags;
    row.Tags = tags.length > 0 ? tags : null;
    current = current.parent !== undefined ? ctx.db.get(current.parent) : undefined;
  }
  return rows;
}
