import type { Readable } from 'node:stream';
import {
  ANNOTATION_CONTAINERD_IMAGE_NAME, ANNOTATION_REF_NAME, familiarString, invalidArgument, isIndexMediaType, MediaType, parseNormalizedNamed, shortId, withDefaultTag,
  type Descriptor, type Digest, type ImageConfig, type ImageIndex, type ImageManifest, type Reference,
} from '../../core/index.js';
import { detectCompression } from '../archive/index.js';
import { publish, type ImageContext } from './context.js';
import { chainFrom, DiffIdMismatch } from './layer-store.js';
import { hostPlatform } from './merge-config.js';
import { StagedArchive } from './staged-archive.js';
import { storeImage } from './store-image.js';
import type { LoadOptions, LoadResult, ProgressSink } from './types.js';

interface Candidate {
  config: Buffer;
  /** Layer files (docker-archive paths) or blob descriptors (OCI layout). */
  layers: { path: string; digest?: Digest }[];
  tags: Reference[];
  parent?: string;
  manifest?: { path: string; digest: Digest };
}

/**
 * `docker load`: a docker-archive as Docker 20.10 writes it (manifest.json,
 * `<id>.json`, `<layer>/layer.tar`, symlinked duplicate layers), or an OCI
 * image layout (index.json + blobs/sha256, names from the
 * io.containerd.image.name / org.opencontainers.image.ref.name annotations).
 */
export async function loadImages(ctx: ImageContext, input: Readable, opts: LoadOptions = {}, progress?: ProgressSink): Promise<LoadResult> {
  const lease = ctx.content.lease();
  const unpins: (() => void)[] = [];
  const say = (line: string): void => progress?.write({ stream: `${line}\n` });
  try {
    const staged = await StagedArchive.read(ctx.content, lease, input);
    const candidates = staged.has('manifest.json') ? await dockerArchive(staged) : staged.has('index.json') ? await ociLayout(staged) : undefined;
    if (!candidates) throw invalidArgument('open manifest.json: no such file or directory');
    const result: LoadResult = { lines: [], imageIds: [] };
    const idLines: string[] = [];
    const links: { id: Digest; parent?: string }[] = [];
    let tagged = 0;
    for (const c of candidates) {
      const cfg = JSON.parse(c.config.toString('utf8')) as ImageConfig;
      if ((cfg.os ?? 'linux') !== 'linux') throw invalidArgument(`cannot load ${cfg.os} image on linux`);
      const diffIds = cfg.rootfs?.diff_ids ?? [];
      if (c.layers.length !== diffIds.length) throw invalidArgument(`invalid manifest, layers length mismatch: expected ${c.layers.length}, got ${diffIds.length}`);
      const descs: Descriptor[] = [];
      let parent: Digest | undefined;
      for (let i = 0; i < diffIds.length; i++) {
        const diffId = diffIds[i]!;
        const blob = await staged.blob(c.layers[i]!.path, c.layers[i]!.digest);
        const head = await ctx.content.readHead(blob.digest, 6);
        descs.push({ mediaType: detectCompression(head) === 'gzip' ? MediaType.DockerLayerGzip : MediaType.DockerLayer, digest: blob.digest, size: blob.size });
        const chain = chainFrom(parent, diffId);
        if (!ctx.layers.get(chain)) {
          if (!opts.quiet) progress?.write({ status: 'Loading layer', progressDetail: { current: 0, total: blob.size }, id: shortId(diffId) });
          try {
            await ctx.layers.register(parent, await ctx.layers.openUncompressed(descs[i]!), diffId);
          } catch (err) {
            if (err instanceof DiffIdMismatch) throw invalidArgument(`invalid diffID for layer ${i}: expected "${err.expected}", got "${err.actual}"`);
            throw err;
          }
          if (!opts.quiet) progress?.write({ status: 'Loading layer', progressDetail: { current: blob.size, total: blob.size }, id: shortId(diffId) });
        }
        unpins.push(ctx.layers.pin([chain]));
        parent = chain;
      }
      const manifest = c.manifest ? (await staged.blob(c.manifest.path, c.manifest.digest)).digest : undefined;
      const { id, moved } = await storeImage(ctx, { config: c.config, layers: descs, tags: c.tags, ...(manifest ? { manifest } : {}) });
      for (const [ref, prev] of moved) say(`The image ${familiarString(parseNormalizedNamed(ref))} already exists, renaming the old one with ID ${prev} to empty string`);
      idLines.push(`Loaded image ID: ${id}`);
      tagged = 0;
      for (const t of c.tags) {
        const line = `Loaded image: ${familiarString(t)}`;
        result.lines.push(line);
        say(line);
        tagged++;
      }
      result.imageIds.push(id);
      links.push({ id, ...(c.parent ? { parent: c.parent } : {}) });
      publish(ctx, 'load', id);
    }
    await setParents(ctx, links);
    if (tagged === 0) for (const l of idLines) {
      result.lines.push(l);
      say(l);
    }
    return result;
  } finally {
    for (const u of unpins) u();
    lease.release();
  }
}

interface ManifestItem {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
  Parent?: string;
}

async function dockerArchive(staged: StagedArchive): Promise<Candidate[]> {
  const items = JSON.parse((await staged.read('manifest.json')).toString('utf8')) as ManifestItem[] | null;
  if (items === null) throw invalidArgument('invalid manifest, manifest cannot be null (but can be [])');
  const out: Candidate[] = [];
  for (const m of items) {
    const tags = (m.RepoTags ?? []).map((t) => {
      const ref = parseNormalizedNamed(t);
      if (ref.tag === undefined) throw invalidArgument(`invalid tag "${t}"`);
      return ref;
    });
    out.push({ config: await staged.read(m.Config), layers: m.Layers.map((path) => ({ path })), tags, ...(m.Parent ? { parent: m.Parent } : {}) });
  }
  return out;
}

const blobPath = (d: Digest): string => `blobs/sha256/${d.slice(7)}`;

async function ociLayout(staged: StagedArchive): Promise<Candidate[]> {
  const index = JSON.parse((await staged.read('index.json')).toString('utf8')) as ImageIndex;
  const out: Candidate[] = [];
  for (const desc of index.manifests ?? []) {
    const manifestDesc = await pickPlatform(staged, desc);
    const manifest = JSON.parse((await staged.read(blobPath(manifestDesc.digest))).toString('utf8')) as ImageManifest;
    const name = desc.annotations?.[ANNOTATION_CONTAINERD_IMAGE_NAME] ?? desc.annotations?.[ANNOTATION_REF_NAME];
    const tags: Reference[] = [];
    if (name !== undefined && /[:/]/.test(name)) {
      try {
        const ref = withDefaultTag(parseNormalizedNamed(name));
        if (ref.digest === undefined) tags.push(ref);
      } catch {
        // a bare tag (no repository) cannot name an image
      }
    }
    out.push({
      config: await staged.read(blobPath(manifest.config.digest)),
      layers: manifest.layers.map((l) => ({ path: blobPath(l.digest), digest: l.digest })),
      tags,
      manifest: { path: blobPath(manifestDesc.digest), digest: manifestDesc.digest },
    });
  }
  return out;
}

/** Indexes inside the layout: take the manifest for this host's platform. */
async function pickPlatform(staged: StagedArchive, desc: Descriptor): Promise<Descriptor> {
  if (!isIndexMediaType(desc.mediaType)) return desc;
  const idx = JSON.parse((await staged.read(blobPath(desc.digest))).toString('utf8')) as ImageIndex;
  const host = hostPlatform();
  const found = idx.manifests.find((m) => m.platform?.os === host.os && m.platform.architecture === host.architecture) ?? idx.manifests.find((m) => !m.platform);
  if (!found) throw invalidArgument(`no image for ${host.os}/${host.architecture} in the archive`);
  return pickPlatform(staged, found);
}

/** Docker's validatedParentLinks: only parents loaded in the same archive count. */
async function setParents(ctx: ImageContext, links: { id: Digest; parent?: string }[]): Promise<void> {
  const loaded = new Set(links.map((l) => l.id));
  const valid = links.filter((l) => l.parent !== undefined && l.parent !== l.id && loaded.has(l.parent as Digest));
  if (valid.length === 0) return;
  await ctx.db.update((draft) => {
    for (const l of valid) {
      const rec = draft.images[l.id];
      if (rec) rec.parent = l.parent as Digest;
    }
  });
}
