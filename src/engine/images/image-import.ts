import type { Readable } from 'node:stream';
import { familiarString, MediaType, type Digest, type ImageConfig } from '../../core/index.js';
import { decompressStream } from '../archive/index.js';
import { applyChanges } from './change-parser.js';
import { marshalImageConfig, nowGoTime } from './config-render.js';
import { publish, type ImageContext } from './context.js';
import { parseRepoTag } from './image-delete.js';
import { teeToWriter } from './layer-store.js';
import { DOCKER_VERSION, hostPlatform } from './merge-config.js';
import { storeImage } from './store-image.js';
import type { ImportOptions } from './types.js';

/**
 * `docker import`: one tar (plain or gzip) becomes a one-layer image. The
 * stream is written to the content store and unpacked in the same pass;
 * the image exists only once its record is stored (Docker's ImportImage).
 */
export async function importImage(ctx: ImageContext, input: Readable, opts: ImportOptions = {}): Promise<Digest> {
  const ref = opts.repo ? parseRepoTag(opts.repo, opts.tag) : undefined;
  const config = applyChanges({}, opts.changes);
  const platform = { ...hostPlatform(), ...(opts.platform ?? {}) };
  const message = opts.message || `Imported from ${opts.source ?? '-'}`;
  const lease = ctx.content.lease();
  const writer = await ctx.content.writer();
  let unpin = (): void => undefined;
  try {
    const { stream } = await decompressStream(input);
    const layer = await ctx.layers.register(undefined, teeToWriter(stream, writer));
    unpin = ctx.layers.pin([layer.chainId]);
    const blob = await writer.commit({ digest: layer.diffId });
    lease.add(blob.digest);
    const created = nowGoTime();
    const img: ImageConfig = {
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
      comment: message,
      config,
      container_config: {},
      created,
      docker_version: DOCKER_VERSION,
      history: [{ created, comment: message }],
      os: platform.os,
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    };
    const { id } = await storeImage(ctx, {
      config: marshalImageConfig(img),
      layers: [{ mediaType: MediaType.DockerLayer, digest: blob.digest, size: blob.size }],
      ...(ref ? { tags: [ref] } : {}),
    });
    if (ref) publish(ctx, 'tag', id, familiarString(ref));
    publish(ctx, 'import', id);
    return id;
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    unpin();
    lease.release();
  }
}

