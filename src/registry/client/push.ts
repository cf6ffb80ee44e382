import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import {
  familiarString, isGzipLayer, MediaType, notFound, parseNormalizedNamed, referenceName, shortId, validateTag,
  type Descriptor, type Digest, type Reference,
} from '../../core/index.js';
import type { ImagesService, ProgressSink } from '../../engine/images/index.js';
import type { AuthConfig } from './auth.js';
import { LayerProgress } from './progress.js';
import { RegistryRepository } from './registry-repository.js';

export interface PushRequest {
  name: string;
  tag?: string;
}

export interface PushOptions {
  auth?: AuthConfig;
  insecure?: readonly string[];
  signal?: AbortSignal;
}

/** Uncompressed layers are gzipped once per daemon run (same input, same bytes, same digest). */
const compressed = new WeakMap<ImagesService, Map<Digest, Descriptor>>();

async function gzipLayer(images: ImagesService, blob: Descriptor, diffId: Digest): Promise<Descriptor> {
  if (isGzipLayer(blob.mediaType)) return blob;
  const cache = compressed.get(images) ?? new Map<Digest, Descriptor>();
  compressed.set(images, cache);
  const hit = cache.get(diffId);
  const content = images.internals.content;
  if (hit && (await content.has(hit.digest))) return hit;
  const source = await images.internals.layers.openUncompressed(blob);
  const info = await content.ingest(source.pipe(createGzip()));
  const desc = { mediaType: MediaType.DockerLayerGzip, digest: info.digest, size: info.size };
  cache.set(diffId, desc);
  return desc;
}

/**
 * `docker push`: every tag of the repository (or the one given), layers
 * gzip-compressed, existing blobs skipped, then a schema2 manifest; the
 * pushed digest is recorded as a repo digest. Progress lines follow
 * dockerd's, ending with the `aux` Tag/Digest/Size record.
 */
export async function pushImage(images: ImagesService, req: PushRequest, progress: ProgressSink, opts: PushOptions = {}): Promise<void> {
  const named = parseNormalizedNamed(req.name);
  if (req.tag) validateTag(req.tag);
  const tags: Reference[] = req.tag ? [{ domain: named.domain, path: named.path, tag: req.tag }] : named.tag ? [named] : images.repositoryTags(named);
  if (tags.length === 0) throw notFound(`An image does not exist locally with the tag: ${familiarString(named)}`);
  const repo = new RegistryRepository(named.domain, named.path, 'pull,push', opts);
  progress.write({ status: `The push refers to repository [${referenceName(named)}]` });
  const lease = images.internals.content.lease();
  try {
    for (const tag of tags) {
      const local = await images.localImage(tag);
      const lines = local.diffIds.map((d) => new LayerProgress(progress, shortId(d)));
      for (const l of [...lines].reverse()) l.status('Preparing');
      const pushed: Descriptor[] = [];
      for (let i = local.layers.length - 1; i >= 0; i--) {
        const line = lines[i]!;
        const desc = await gzipLayer(images, local.layers[i]!, local.diffIds[i]!);
        lease.add(desc.digest);
        pushed[i] = desc;
        if (await repo.blobExists(desc.digest)) {
          line.status('Layer already exists');
          continue;
        }
        let sent = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _e, cb) {
            sent += chunk.length;
            line.bytes('Pushing', sent, desc.size);
            cb(null, chunk);
          },
        });
        await repo.uploadBlob(desc.digest, images.internals.content.readStream(desc.digest).pipe(counter));
        line.status('Pushed');
      }
      if (!(await repo.blobExists(local.id))) await repo.uploadBlob(local.id, images.internals.content.readStream(local.id));
      const manifest = {
        schemaVersion: 2,
        mediaType: MediaType.DockerManifest,
        config: { mediaType: MediaType.DockerConfig, size: local.config.length, digest: local.id },
        layers: pushed.map((d) => ({ mediaType: d.mediaType, size: d.size, digest: d.digest })),
      };
      const bytes = Buffer.from(JSON.stringify(manifest, null, 3));
      const digest = await repo.putManifest(tag.tag ?? 'latest', bytes, MediaType.DockerManifest);
      lease.add((await images.internals.content.ingest(bytes)).digest);
      await images.addDigestRef({ domain: tag.domain, path: tag.path, digest }, local.id);
      progress.write({ status: `${tag.tag}: digest: ${digest} size: ${bytes.length}` });
      progress.write({ progressDetail: {}, aux: { Tag: tag.tag, Digest: digest, Size: bytes.length } });
      images.event('push', familiarString(tag), familiarString(tag));
    }
  } finally {
    lease.release();
  }
}
