import { conflict, familiarString, invalidArgument, parseNormalizedNamed, referenceName, referenceString, shortId, validateTag, withDefaultTag, type Digest, type Reference } from '../../core/index.js';
import { nowGoTime } from './config-render.js';
import { layerChains, publish, readConfig, resolveRecord, type ImageContext } from './context.js';
import { collectUnused } from './image-gc.js';
import { checkTaggable } from './store-image.js';
import type { DeleteResponseItem } from './types.js';

/** `docker tag`: points repo[:tag] at the image (Docker's TagImage). Returns the familiar tag. */
export async function tagImage(ctx: ImageContext, name: string, repo: string, tag?: string): Promise<string> {
  const rec = resolveRecord(ctx, name);
  let ref: Reference = parseNormalizedNamed(repo);
  if (tag !== undefined && tag !== '') {
    validateTag(tag);
    ref = { domain: ref.domain, path: ref.path, tag };
  }
  checkTaggable(ref);
  ref = withDefaultTag(ref);
  await ctx.db.update((draft) => {
    draft.refs[referenceString(ref)] = rec.id;
    const r = draft.images[rec.id];
    if (r) r.lastTagTime = nowGoTime();
  });
  const familiar = familiarString(ref);
  publish(ctx, 'tag', rec.id, familiar);
  return familiar;
}

/** Docker's isSingleReference: at most one tag, and every digest ref in that tag's repository. */
function isSingleReference(refs: Reference[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  let single: Reference | undefined;
  const canonical = new Set<string>();
  for (const r of refs) {
    if (r.digest !== undefined) canonical.add(referenceName(r));
    else if (single === undefined) single = r;
    else return false;
  }
  single ??= refs[0]!;
  return canonical.size === 1 && canonical.has(referenceName(single));
}

function isIdPrefix(id: string, s: string): boolean {
  return id.startsWith(s) || id.slice(7).startsWith(s);
}

interface Conflict {
  hard: boolean;
  used: boolean;
  message: string;
}

async function findConflict(ctx: ImageContext, id: Digest, hard: boolean, soft: boolean, activeRefs: boolean): Promise<Conflict | undefined> {
  if (hard && ctx.db.children(id).length > 0) return { hard: true, used: false, message: 'image has dependent child images' };
  const users = await ctx.usage(id);
  const running = users.find((u) => u.running);
  if (hard && running) return { hard: true, used: true, message: `image is being used by running container ${shortId(running.id)}` };
  if (soft && activeRefs && ctx.db.refsOf(id).length > 0) return { hard: false, used: false, message: 'image is referenced in multiple repositories' };
  const stopped = users.find((u) => !u.running);
  if (soft && stopped) return { hard: false, used: true, message: `image is being used by stopped container ${shortId(stopped.id)}` };
  return undefined;
}

function conflictError(id: Digest, c: Conflict): Error {
  return conflict(`conflict: unable to delete ${shortId(id)} (${c.hard ? 'cannot be forced' : 'must be forced'}) - ${c.message}`);
}

async function untag(ctx: ImageContext, refs: string[], id: Digest, records: DeleteResponseItem[]): Promise<void> {
  if (refs.length === 0) return;
  await ctx.db.update((draft) => {
    for (const r of refs) delete draft.refs[r];
  });
  for (const r of refs) {
    records.push({ Untagged: familiarString(parseNormalizedNamed(r)) });
    publish(ctx, 'untag', id);
  }
}

/**
 * `docker rmi` with Docker's rules: a name untags first (refusing when a
 * container uses the image through its only reference), an ID deletes;
 * hard conflicts (child images, running containers) always refuse, soft
 * ones (stopped containers, other references) unless forced.
 */
export async function deleteImage(ctx: ImageContext, name: string, opts: { force?: boolean; prune?: boolean } = {}): Promise<DeleteResponseItem[]> {
  const force = opts.force ?? false;
  const prune = opts.prune ?? true;
  const rec = resolveRecord(ctx, name);
  const id = rec.id;
  const records: DeleteResponseItem[] = [];
  let refs = ctx.db.refsOf(id).map((r) => parseNormalizedNamed(r));
  let quiet = false;
  if (!isIdPrefix(id, name)) {
    if (!force && isSingleReference(refs)) {
      const user = (await ctx.usage(id))[0];
      if (user) throw conflict(`conflict: unable to remove repository reference "${name}" (must force) - container ${shortId(user.id)} is using its referenced image ${shortId(id)}`);
    }
    const parsed = withDefaultTag(parseNormalizedNamed(name));
    const toRemove = [referenceString(parsed)];
    const remaining = refs.filter((r) => referenceString(r) !== referenceString(parsed));
    if (parsed.digest === undefined && !remaining.some((r) => r.digest === undefined && referenceName(r) === referenceName(parsed))) {
      for (const r of remaining) if (r.digest !== undefined && referenceName(r) === referenceName(parsed)) toRemove.push(referenceString(r));
    }
    // Docker reports the named reference as untagged even when only an ID prefix matched it.
    await untag(ctx, toRemove.filter((r, i) => i === 0 || ctx.db.refTarget(r) !== undefined), id, records);
    refs = ctx.db.refsOf(id).map((r) => parseNormalizedNamed(r));
    if (refs.length > 0) return records;
    quiet = true;
  } else if (isSingleReference(refs)) {
    const c = await findConflict(ctx, id, true, !force, false);
    if (c) throw conflictError(id, c);
    await untag(ctx, ctx.db.refsOf(id), id, records);
  }
  await deleteHelper(ctx, id, records, force, prune, quiet);
  return records;
}

async function deleteHelper(ctx: ImageContext, id: Digest, records: DeleteResponseItem[], force: boolean, prune: boolean, quiet: boolean): Promise<void> {
  const c = await findConflict(ctx, id, true, !force, true);
  if (c) {
    const dangling = ctx.db.refsOf(id).length === 0 && ctx.db.children(id).length === 0;
    if (quiet && (!dangling || c.used)) return;
    throw conflictError(id, c);
  }
  const rec = ctx.db.get(id);
  if (!rec) return;
  await untag(ctx, ctx.db.refsOf(id), id, records);
  const cfg = await readConfig(ctx, id);
  await ctx.db.update((draft) => {
    delete draft.images[id];
  });
  publish(ctx, 'delete', id);
  records.push({ Deleted: id });
  const removed = await collectUnused(ctx, layerChains(cfg));
  for (const l of removed) records.push({ Deleted: l.chainId });
  if (prune && rec.parent !== undefined && ctx.db.get(rec.parent)) await deleteHelper(ctx, rec.parent, records, false, true, true);
}

/** Validates a `?repo=` for tag/commit/import like Docker (canonical refs refused). */
export function parseRepoTag(repo: string, tag?: string): Reference {
  let ref = parseNormalizedNamed(repo);
  if (ref.digest !== undefined) throw invalidArgument('cannot import digest reference');
  if (tag !== undefined && tag !== '') {
    validateTag(tag);
    ref = { domain: ref.domain, path: ref.path, tag };
  }
  return withDefaultTag(ref);
}
