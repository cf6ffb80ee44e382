import { Transform } from 'node:stream';
import {
  familiarString, invalidArgument, isIndexMediaType, isManifestMediaType, notFound, parseNormalizedNamed, shortId, validateTag, withDefaultTag,
  type Digest, type ImageConfig, type ImageIndex, type ImageManifest, type Reference,
} from '../../core/index.js';
import type { ImagesService, ProgressSink } from '../../engine/images/index.js';
import { chainFrom, DiffIdMismatch, hostPlatform } from '../../engine/images/index.js';
import type { AuthConfig } from './auth.js';
import { LayerProgress } from './progress.js';
import { RegistryRepository } from './registry-repository.js';

export interface PullRequest {
  image: string;
  tag?: string;
  /** `os/arch[/variant]`, default the host's. */
  platform?: string;
}

export interface PullOptions {
  auth?: AuthConfig;
  insecure?: readonly string[];
  signal?: AbortSignal;
}

/** `os/arch[/variant]` from the request, or this host's platform. */
function hostPlatformOf(spec: string | undefined): { os: string; architecture: string; variant?: string } {
  if (!spec) return hostPlatform();
  const [os = 'linux', architecture = hostPlatform().architecture, variant] = spec.split('/');
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** What `/images/create?fromImage=…&tag=…` names: a tag, or a digest given as the tag. */
export function pullReference(req: PullRequest): Reference {
  const ref = parseNormalizedNamed(req.image);
  if (req.tag) {
    if (req.tag.startsWith('sha256:')) return { domain: ref.domain, path: ref.path, digest: parseNormalizedNamed(`x@${req.tag}`).digest! };
    validateTag(req.tag);
    return { domain: ref.domain, path: ref.path, tag: req.tag };
  }
  return withDefaultTag(ref);
}

/**
 * `docker pull`: resolve the tag (an index picks this platform's manifest),
 * fetch and verify config and layer blobs into the content store, unpack the
 * layers not yet present, then record the image with its tag and repo
 * digest. Progress lines follow dockerd's.
 */
export async function pullImage(images: ImagesService, req: PullRequest, progress: ProgressSink, opts: PullOptions = {}): Promise<Digest> {
  const ref = pullReference(req);
  const repo = new RegistryRepository(ref.domain, ref.path, 'pull', opts);
  const wanted = ref.digest ?? ref.tag ?? 'latest';
  const top = await repo.getManifest(wanted);
  if (!top) throw notFound(`manifest for ${familiarString(ref)} not found: manifest unknown: manifest unknown`);
  progress.write({ status: `Pulling from ${ref.path}`, id: wanted });
  let manifest = top;
  if (isIndexMediaType(top.mediaType) || (JSON.parse(top.bytes.toString('utf8')) as { manifests?: unknown }).manifests) {
    const index = JSON.parse(top.bytes.toString('utf8')) as ImageIndex;
    const platform = hostPlatformOf(req.platform);
    const pick = index.manifests.find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture && (!platform.variant || m.platform.variant === platform.variant));
    if (!pick) throw notFound(`no matching manifest for ${platform.os}/${platform.architecture} in the manifest list entries`);
    const child = await repo.getManifest(pick.digest);
    if (!child) throw notFound(`manifest for ${familiarString(ref)} not found: manifest unknown: manifest unknown`);
    manifest = child;
  }
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest;
  if (!isManifestMediaType(manifest.mediaType) && !isManifestMediaType(parsed.mediaType) && !(parsed.config && parsed.layers)) {
    throw invalidArgument(`unsupported manifest format: ${manifest.mediaType || 'unknown'}`);
  }
  const content = images.internals.content;
  const layers = images.internals.layers;
  const lease = content.lease();
  const unpins: (() => void)[] = [];
  try {
    const existed = await images.resolve(familiarString(ref)).then((r) => r.id, () => undefined);
    const configBlob = await repo.getBlob(parsed.config.digest);
    const config = await content.ingest(configBlob.stream, { digest: parsed.config.digest });
    lease.add(config.digest);
    const cfg = JSON.parse((await content.readBuffer(config.digest)).toString('utf8')) as ImageConfig;
    const diffIds = cfg.rootfs?.diff_ids ?? [];
    if (diffIds.length !== parsed.layers.length) throw invalidArgument('layers from manifest don\'t match image configuration');
    // An image already present is only re-tagged: Docker prints no layer lines then.
    const known = images.internals.db.get(config.digest) !== undefined;
    const quiet: ProgressSink = { write: () => undefined };
    let parent: Digest | undefined;
    for (let i = 0; i < parsed.layers.length; i++) {
      const desc = parsed.layers[i]!;
      const line = new LayerProgress(known ? quiet : progress, shortId(desc.digest));
      const chain = chainFrom(parent, diffIds[i]!);
      if (layers.get(chain)) line.status('Already exists');
      else {
        line.status('Pulling fs layer');
        if (!(await content.has(desc.digest))) {
          const blob = await repo.getBlob(desc.digest);
          const total = desc.size;
          let seen = 0;
          const counter = new Transform({
            transform(chunk: Buffer, _e, cb) {
              seen += chunk.length;
              line.bytes('Downloading', seen, total);
              cb(null, chunk);
            },
          });
          await content.ingest(blob.stream.pipe(counter), { digest: desc.digest, size: desc.size }).catch((err: Error & { details?: Record<string, unknown> }) => {
            throw err.details?.['mismatch'] ? invalidArgument(`filesystem layer verification failed for digest ${desc.digest}`) : err;
          });
          line.status('Verifying Checksum');
          line.status('Download complete');
        }
        lease.add(desc.digest);
        line.bytes('Extracting', 0, desc.size);
        try {
          await layers.register(parent, await layers.openUncompressed(desc), diffIds[i]!);
        } catch (err) {
          if (err instanceof DiffIdMismatch) throw invalidArgument(`failed to register layer: layer ${err.actual} does not match the diff ID ${err.expected} of its image config`);
          throw err;
        }
        line.bytes('Extracting', desc.size, desc.size);
        line.status('Pull complete');
      }
      unpins.push(layers.pin([chain]));
      parent = chain;
    }
    const manifestBlob = await content.ingest(manifest.bytes);
    lease.add(manifestBlob.digest);
    if (top.digest !== manifest.digest) lease.add((await content.ingest(top.bytes)).digest);
    const digestRef: Reference = { domain: ref.domain, path: ref.path, digest: top.digest };
    const { id } = await images.store({
      config: await content.readBuffer(config.digest),
      layers: parsed.layers,
      manifest: manifestBlob.digest,
      ...(ref.tag !== undefined ? { tags: [ref] } : {}),
      digestRefs: [digestRef],
    });
    progress.write({ status: `Digest: ${top.digest}` });
    progress.write({ status: existed === id ? `Status: Image is up to date for ${familiarString(ref)}` : `Status: Downloaded newer image for ${familiarString(ref)}` });
    images.event('pull', familiarString(ref), familiarString(ref));
    return id;
  } finally {
    for (const u of unpins) u();
    lease.release();
  }
}
