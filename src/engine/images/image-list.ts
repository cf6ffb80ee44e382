import { BerthError, familiarMatch, familiarString, invalidArgument, labelsMatch, parseNormalizedNamed, type Digest, type Filters, type ImageConfig } from '../../core/index.js';
import { imageSize, layerChains, readConfig, resolveRecord, type ImageContext } from './context.js';
import type { ImageRecord } from './image-db.js';
import type { ImageSummary } from './types.js';

const LIST_FILTERS = ['dangling', 'label', 'before', 'since', 'reference'];

export interface ListOptions {
  all?: boolean;
  filters?: Filters;
  /** Fill Containers and SharedSize (system df). */
  withUsage?: boolean;
}

/** Docker's "Invalid filter 'x'" (images use the capitalised wording). */
function invalidFilter(key: string, values?: string[]): BerthError {
  return invalidArgument(values === undefined ? `Invalid filter '${key}'` : `Invalid filter '${key}=[${values.join(' ')}]'`);
}

function createdSeconds(cfg: ImageConfig): number {
  const t = cfg.created ? Date.parse(cfg.created) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

function createdMs(cfg: ImageConfig): number {
  const t = cfg.created ? Date.parse(cfg.created) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** `GET /images/json`, following Docker 20.10's Images(): filters, heads vs all, `<none>` entries. */
export async function listImages(ctx: ImageContext, opts: ListOptions = {}): Promise<ImageSummary[]> {
  const filters = opts.filters ?? new Map<string, string[]>();
  for (const key of filters.keys()) if (!LIST_FILTERS.includes(key)) throw invalidFilter(key);
  let danglingOnly = false;
  const dangling = filters.get('dangling');
  if (dangling !== undefined) {
    if (dangling.length === 1 && dangling[0] === 'true') danglingOnly = true;
    else if (!(dangling.length === 1 && dangling[0] === 'false')) throw invalidFilter('dangling', dangling);
  }
  const bound = async (key: string): Promise<number | undefined> => {
    let out: number | undefined;
    for (const v of filters.get(key) ?? []) out = createdMs(await readConfig(ctx, resolveRecord(ctx, v).id));
    return out;
  };
  const before = await bound('before');
  const since = await bound('since');
  const patterns = filters.get('reference');
  // Bad patterns are an error even when no image would be matched against them.
  for (const p of patterns ?? []) familiarMatch(p, parseNormalizedNamed('x'));

  const records = ctx.db.images().filter((r) => !danglingOnly || ctx.db.children(r.id).length === 0);
  const out: ImageSummary[] = [];
  for (const rec of records) {
    const cfg = await readConfig(ctx, rec.id);
    const created = createdMs(cfg);
    if (before !== undefined && created >= before) continue;
    if (since !== undefined && created <= since) continue;
    if (filters.has('label') && !labelsMatch(filters, cfg.config?.Labels)) continue;
    let repoTags: string[] | null = null;
    let repoDigests: string[] | null = null;
    let skip = false;
    for (const full of ctx.db.refsOf(rec.id)) {
      const ref = parseNormalizedNamed(full);
      if (patterns !== undefined && !patterns.some((p) => familiarMatch(p, ref))) continue;
      if (ref.digest !== undefined) (repoDigests ??= []).push(familiarString(ref));
      else {
        if (danglingOnly) {
          skip = true;
          break;
        }
        (repoTags ??= []).push(familiarString(ref));
      }
    }
    if (skip) continue;
    if (repoTags === null && repoDigests === null) {
      if ((!opts.all && ctx.db.children(rec.id).length > 0) || (dangling !== undefined && !danglingOnly) || patterns !== undefined) continue;
      repoDigests = ['<none>@<none>'];
      repoTags = ['<none>:<none>'];
    }
    out.push(summary(ctx, rec, cfg, repoTags, repoDigests));
  }
  if (opts.withUsage) await addUsage(ctx, out);
  return out.sort((a, b) => b.Created - a.Created);
}

export function summary(ctx: ImageContext, rec: ImageRecord, cfg: ImageConfig, repoTags: string[] | null, repoDigests: string[] | null): ImageSummary {
  const size = imageSize(ctx, cfg);
  return {
    Containers: -1,
    Created: createdSeconds(cfg),
    Id: rec.id,
    Labels: cfg.config?.Labels ?? null,
    ParentId: rec.parent ?? '',
    RepoDigests: repoDigests,
    RepoTags: repoTags,
    SharedSize: -1,
    Size: size,
    VirtualSize: size,
  };
}

/** Containers per image and sizes of layers shared with other images (system df). */
async function addUsage(ctx: ImageContext, list: ImageSummary[]): Promise<void> {
  const refs = new Map<Digest, number>();
  const chainsOf = new Map<string, Digest[]>();
  for (const rec of ctx.db.images()) {
    const chains = layerChains(await readConfig(ctx, rec.id));
    chainsOf.set(rec.id, chains);
    for (const c of chains) refs.set(c, (refs.get(c) ?? 0) + 1);
  }
  for (const s of list) {
    s.Containers = (await ctx.usage(s.Id)).length;
    s.SharedSize = (chainsOf.get(s.Id) ?? []).reduce((n, c) => n + ((refs.get(c) ?? 0) > 1 ? ctx.layers.get(c)?.size ?? 0 : 0), 0);
  }
}
