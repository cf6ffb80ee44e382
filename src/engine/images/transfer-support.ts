import { familiarString, notFound, parseNormalizedNamed, referenceName, referenceString, withDefaultTag, type Descriptor, type Digest, type Reference } from '../../core/index.js';
import { readConfig, readManifest, type ImageContext } from './context.js';

/** An image as the registry client pushes it. */
export interface LocalImage {
  id: Digest;
  config: Buffer;
  diffIds: Digest[];
  /** One blob per layer, present in the content store. */
  layers: Descriptor[];
}

/**
 * A blob holding the layer with `diffId`: the image's own if present, else
 * any other image's (a pulled layer that already existed locally keeps the
 * blob it was first stored with).
 */
export async function findLayerBlob(ctx: ImageContext, diffId: Digest, preferred?: Descriptor): Promise<Descriptor | undefined> {
  if (preferred && (await ctx.content.has(preferred.digest))) return preferred;
  if (await ctx.content.has(diffId)) return { mediaType: 'application/vnd.docker.image.rootfs.diff.tar', digest: diffId, size: (await ctx.content.info(diffId)).size };
  for (const rec of ctx.db.images()) {
    const cfg = await readConfig(ctx, rec.id);
    const i = cfg.rootfs.diff_ids.indexOf(diffId);
    if (i < 0) continue;
    const blob = (await readManifest(ctx, rec)).layers[i];
    if (blob && (await ctx.content.has(blob.digest))) return blob;
  }
  return undefined;
}

export async function localImage(ctx: ImageContext, ref: Reference): Promise<LocalImage> {
  const id = ctx.db.refTarget(referenceString(withDefaultTag(ref)));
  const rec = id ? ctx.db.get(id) : undefined;
  if (!rec) throw notFound(`An image does not exist locally with the tag: ${familiarString(ref)}`);
  const cfg = await readConfig(ctx, rec.id);
  const manifest = await readManifest(ctx, rec);
  const layers: Descriptor[] = [];
  for (let i = 0; i < cfg.rootfs.diff_ids.length; i++) {
    const diffId = cfg.rootfs.diff_ids[i]!;
    const blob = await findLayerBlob(ctx, diffId, manifest.layers[i]);
    if (!blob) throw notFound(`layer ${diffId} has no blob to push`);
    layers.push(blob);
  }
  return { id: rec.id, config: await ctx.content.readBuffer(rec.id), diffIds: cfg.rootfs.diff_ids, layers };
}

/** Tags of one repository (push without a tag pushes them all). */
export function repositoryTags(ctx: ImageContext, name: Reference): Reference[] {
  return ctx.db
    .allRefs()
    .map(([r]) => parseNormalizedNamed(r))
    .filter((r) => r.digest === undefined && referenceName(r) === referenceName(name))
    .sort((a, b) => ((a.tag ?? '') < (b.tag ?? '') ? -1 : 1));
}

/** Records `name@digest` for an image (after a push, as Docker shows RepoDigests). */
export async function addDigestRef(ctx: ImageContext, ref: Reference, id: Digest): Promise<void> {
  await ctx.db.update((draft) => {
    if (draft.images[id]) draft.refs[referenceString({ domain: ref.domain, path: ref.path, ...(ref.digest ? { digest: ref.digest } : {}) })] = id;
  });
}
