import { conflict, invalidArgument, isBerthError, labelsMatch, parseNormalizedNamed, type Digest, type Filters } from '../../core/index.js';
import { parseGoDuration } from './change-parser.js';
import { layerChains, readConfig, type ImageContext } from './context.js';
import { deleteImage } from './image-delete.js';
import type { DeleteResponseItem, PruneReport } from './types.js';

const PRUNE_FILTERS = ['dangling', 'label', 'label!', 'until'];
let running = false;

/** `until`: a Unix timestamp, an RFC 3339 date, or a Go duration before now. */
function parseUntil(values: string[] | undefined): number | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw invalidArgument('more than one until filter specified');
  const v = values[0]!;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  if (!Number.isNaN(t)) return t;
  try {
    return Date.now() - parseGoDuration(v) / 1e6;
  } catch {
    throw invalidArgument(`failed to parse value as time or duration: "${v}"`);
  }
}

/** `docker image prune`: Docker 20.10's ImagesPrune (dangling by default, `all` with dangling=false). */
export async function pruneImages(ctx: ImageContext, filters: Filters): Promise<PruneReport> {
  for (const key of filters.keys()) if (!PRUNE_FILTERS.includes(key)) throw invalidArgument(`Invalid filter '${key}'`);
  if (running) throw conflict('a prune operation is already running');
  running = true;
  try {
    let danglingOnly = true;
    const d = filters.get('dangling');
    if (d !== undefined) {
      if (d.length === 1 && (d[0] === 'false' || d[0] === '0')) danglingOnly = false;
      else if (!(d.length === 1 && (d[0] === 'true' || d[0] === '1'))) throw invalidArgument(`Invalid filter 'dangling=[${d.join(' ')}]'`);
    }
    const until = parseUntil(filters.get('until'));
    const sizes = new Map<Digest, number>();
    for (const rec of ctx.db.images()) for (const c of layerChains(await readConfig(ctx, rec.id))) sizes.set(c, ctx.layers.get(c)?.size ?? 0);

    const candidates: Digest[] = [];
    for (const rec of ctx.db.images()) {
      if (danglingOnly && ctx.db.children(rec.id).length > 0) continue;
      if (ctx.db.refsOf(rec.id).length === 0 && ctx.db.children(rec.id).length > 0) continue;
      const cfg = await readConfig(ctx, rec.id);
      if (until !== undefined && cfg.created && Date.parse(cfg.created) > until) continue;
      if (!labelsMatch(filters, cfg.config?.Labels)) continue;
      if (filters.has('label!') && negLabelHit(filters, cfg.config?.Labels)) continue;
      candidates.push(rec.id);
    }
    const deleted: DeleteResponseItem[] = [];
    for (const id of candidates) {
      if (!ctx.db.get(id)) continue;
      const refs = ctx.db.refsOf(id);
      if (refs.length > 0) {
        const hasTag = refs.some((r) => parseNormalizedNamed(r).digest === undefined);
        if (danglingOnly && hasTag) continue;
        for (const r of refs) deleted.push(...(await quietDelete(ctx, r)));
      } else deleted.push(...(await quietDelete(ctx, id.slice(7))));
    }
    let reclaimed = 0;
    for (const item of deleted) if (item.Deleted !== undefined) reclaimed += sizes.get(item.Deleted as Digest) ?? 0;
    return { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
  } finally {
    running = false;
  }
}

async function quietDelete(ctx: ImageContext, name: string): Promise<DeleteResponseItem[]> {
  try {
    return await deleteImage(ctx, name, { force: false, prune: true });
  } catch (err) {
    if (isBerthError(err, 'Conflict') || isBerthError(err, 'NotFound')) return [];
    throw err;
  }
}

/** `label!=k` / `label!=k=v`: true when the image has the label (so it is kept). */
function negLabelHit(filters: Filters, labels: Record<string, string> | null | undefined): boolean {
  const have = labels ?? {};
  return (filters.get('label!') ?? []).some((v) => {
    const eq = v.indexOf('=');
    return eq < 0 ? v in have : have[v.slice(0, eq)] === v.slice(eq + 1);
  });
}
