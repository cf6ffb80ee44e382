import { EMPTY_LAYER_DIFF_ID, familiarString, MediaType, notFound, type Digest, type HistoryEntry, type ImageConfig } from '../../core/index.js';
import { applyChanges } from './change-parser.js';
import { marshalImageConfig, nowGoTime } from './config-render.js';
import { layerChains, publish, readConfig, readManifest, topChain, type ImageContext } from './context.js';
import { containerKey, skipMountStubs } from './container-layer.js';
import { parseRepoTag } from './image-delete.js';
import { DOCKER_VERSION, mergeConfig } from './merge-config.js';
import { storeImage } from './store-image.js';
import type { CommitOptions } from './types.js';

/**
 * `docker commit`: the container's upper dir as a new layer on top of its
 * image (Docker's CreateImageFromContainer + CommitImage + NewChildImage).
 * The diff goes to the content store first; an empty diff adds no layer,
 * only a history entry marked empty_layer. Pausing is the caller's job.
 */
export async function commitContainer(ctx: ImageContext, containerId: string, opts: CommitOptions): Promise<Digest> {
  const key = containerKey(containerId);
  if (!ctx.snapshots.stat(key)) throw notFound(`No such container: ${containerId}`);
  const parentRec = ctx.db.get(opts.imageId as Digest);
  if (!parentRec) throw notFound(`No such image: ${opts.imageId}`);
  const parent = await readConfig(ctx, parentRec.id);
  const parentManifest = await readManifest(ctx, parentRec);
  const ref = opts.repo ? parseRepoTag(opts.repo, opts.tag) : undefined;
  const config = mergeConfig(applyChanges(opts.config ?? opts.containerConfig, opts.changes), opts.containerConfig);

  const lease = ctx.content.lease();
  const pinned = layerChains(parent);
  const unpins = [ctx.layers.pin(pinned)];
  const writer = await ctx.content.writer();
  try {
    for await (const chunk of ctx.snapshots.diff(key, skipMountStubs)) await writer.write(chunk as Buffer);
    const blob = await writer.commit();
    lease.add(blob.digest);
    const empty = blob.digest === EMPTY_LAYER_DIFF_ID;
    const layers = [...parentManifest.layers];
    const diffIds = [...parent.rootfs.diff_ids];
    if (!empty) {
      const info = await ctx.layers.register(topChain(parent), await ctx.layers.openUncompressed({ mediaType: MediaType.DockerLayer, digest: blob.digest, size: blob.size }), blob.digest);
      unpins.push(ctx.layers.pin([info.chainId]));
      layers.push({ mediaType: MediaType.DockerLayer, digest: blob.digest, size: blob.size });
      diffIds.push(blob.digest);
    }
    const created = nowGoTime();
    // Go's image.History field order: created, author, created_by, comment, empty_layer.
    const history: HistoryEntry = {
      created,
      ...(opts.author ? { author: opts.author } : {}),
      ...((opts.containerConfig.Cmd ?? []).length > 0 ? { created_by: (opts.containerConfig.Cmd ?? []).join(' ') } : {}),
      ...(opts.comment ? { comment: opts.comment } : {}),
      ...(empty ? { empty_layer: true } : {}),
    };
    const img: ImageConfig = {
      architecture: parent.architecture,
      ...(parent.variant ? { variant: parent.variant } : {}),
      ...(opts.author ? { author: opts.author } : {}),
      config,
      container: containerId,
      container_config: opts.containerConfig,
      created,
      docker_version: DOCKER_VERSION,
      history: [...(parent.history ?? []), history],
      os: parent.os,
      ...(parent['os.version'] ? { 'os.version': parent['os.version'] } : {}),
      rootfs: { type: 'layers', diff_ids: diffIds },
    };
    const { id } = await storeImage(ctx, { config: marshalImageConfig(img), layers, parent: parentRec.id, ...(ref ? { tags: [ref] } : {}) });
    if (ref) publish(ctx, 'tag', id, familiarString(ref));
    return id;
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    for (const u of unpins) u();
    lease.release();
  }
}
