import { invalidArgument, MediaType, referenceString, familiarName, type Descriptor, type Digest, type Reference } from '../../core/index.js';
import type { ImageContext } from './context.js';
import type { ImageRecord } from './image-db.js';
import { nowGoTime } from './config-render.js';

export interface NewImage {
  /** Config blob bytes; their digest is the image ID. */
  config: Buffer;
  /** Layer blobs already in the content store, aligned with the config's diff_ids. */
  layers: Descriptor[];
  parent?: Digest;
  /** Tags to point at the image (moved from other images if needed). */
  tags?: Reference[];
  /** Canonical `name@digest` references (pulls). */
  digestRefs?: Reference[];
  /** A manifest already in the content store (pull); otherwise a schema2 one is written. */
  manifest?: Digest;
}

export interface StoredImage {
  id: Digest;
  /** Tag → image the tag pointed at before (load reports these). */
  moved: Map<string, Digest>;
}

/** Docker's refusals for references that cannot be tags. */
export function checkTaggable(ref: Reference): void {
  if (ref.digest !== undefined) throw invalidArgument('refusing to create a tag with a digest reference');
  if (familiarName(ref) === 'sha256') throw invalidArgument('refusing to create an ambiguous tag using digest algorithm as name');
}

/**
 * Writes the config and manifest blobs, then records the image and its
 * references in one atomic metadata update: this is the moment the image
 * exists. Layers must already be unpacked.
 */
export async function storeImage(ctx: ImageContext, img: NewImage): Promise<StoredImage> {
  for (const t of img.tags ?? []) checkTaggable(t);
  const lease = ctx.content.lease();
  try {
    const config = await ctx.content.ingest(img.config);
    lease.add(config.digest);
    const id = config.digest;
    let manifestDigest = img.manifest;
    if (manifestDigest === undefined) {
      const manifest = {
        schemaVersion: 2,
        mediaType: MediaType.DockerManifest,
        config: { mediaType: MediaType.DockerConfig, size: config.size, digest: id },
        layers: img.layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest })),
      };
      const m = await ctx.content.ingest(Buffer.from(JSON.stringify(manifest, null, 3)));
      manifestDigest = m.digest;
    }
    lease.add(manifestDigest);
    const manifest = manifestDigest;
    const moved = new Map<string, Digest>();
    const now = nowGoTime();
    await ctx.db.update((draft) => {
      const existing = draft.images[id];
      const record: ImageRecord = existing ?? { id, manifest };
      if (img.parent !== undefined && record.parent === undefined && img.parent !== id) record.parent = img.parent;
      if ((img.tags ?? []).length > 0) record.lastTagTime = now;
      draft.images[id] = record;
      for (const t of img.tags ?? []) {
        const key = referenceString(t);
        const prev = draft.refs[key];
        if (prev !== undefined && prev !== id) moved.set(key, prev);
        draft.refs[key] = id;
      }
      for (const d of img.digestRefs ?? []) draft.refs[referenceString(d)] = id;
    });
    return { id, moved };
  } finally {
    lease.release();
  }
}
