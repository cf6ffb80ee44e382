import { Readable } from 'node:stream';
import {
  familiarName, isNameOnly, notFound, parseAnyReference, parseNormalizedNamed, referenceName, referenceString, sha256Digest, withDefaultTag, invalidArgument,
  type Digest, type ImageConfig, type Reference,
} from '../../core/index.js';
import { addEntry, tarStream, type TarHeader } from '../archive/index.js';
import { goContainerConfig } from './config-render.js';
import { findLayerBlob } from './transfer-support.js';
import { layerChains, noSuchImage, publish, readConfig, readManifest, resolveRecord, searchId, type ImageContext } from './context.js';

interface Selected {
  id: Digest;
  refs: Reference[];
}

/** Docker's parseNames for `docker save`: IDs, tags, or a bare repository (all its tags). */
function selectImages(ctx: ImageContext, names: readonly string[]): Selected[] {
  const out = new Map<Digest, Selected>();
  const add = (id: Digest, ref?: Reference): void => {
    const entry = out.get(id) ?? { id, refs: [] };
    out.set(id, entry);
    if (ref && ref.digest === undefined && !entry.refs.some((r) => referenceString(r) === referenceString(ref))) entry.refs.push(ref);
  };
  for (const name of names) {
    const any = parseAnyReference(name);
    if (any.kind === 'digest') {
      add(resolveRecord(ctx, any.digest).id);
      continue;
    }
    const ref = any.ref;
    if (familiarName(ref) === 'sha256' || isNameOnly(ref)) {
      const byName = isNameOnly(ref) ? ctx.db.allRefs().filter(([r]) => referenceName(parseNormalizedNamed(r)) === referenceName(ref)) : [];
      for (const [r, id] of byName.sort(([a], [b]) => (a < b ? -1 : 1))) add(id, parseNormalizedNamed(r));
      if (byName.length === 0) {
        const rec = searchId(ctx, name);
        if (!rec) throw noSuchImage(name);
        add(rec.id);
      }
      continue;
    }
    const target = ctx.db.refTarget(referenceString(withDefaultTag(ref)));
    if (!target) throw notFound('reference does not exist');
    add(target, withDefaultTag(ref));
  }
  return [...out.values()];
}

interface PlannedEntry {
  header: TarHeader;
  source?: () => Promise<AsyncIterable<Uint8Array>>;
}

const EPOCH = new Date(0);

/**
 * `docker save`: a docker-archive as Docker 20.10 writes it — per layer a
 * `<v1 id>/` directory with VERSION, json and layer.tar (a symlink when the
 * same layer was already written), `<config hex>.json`, manifest.json and
 * repositories — streamed straight from the content store.
 */
export async function saveImages(ctx: ImageContext, names: readonly string[]): Promise<Readable> {
  const selected = selectImages(ctx, names);
  const entries: PlannedEntry[] = [];
  const manifest: Record<string, unknown>[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const savedDiff = new Map<Digest, string>();
  const savedV1 = new Set<string>();
  for (const sel of selected) {
    const rec = ctx.db.get(sel.id)!;
    const cfgBytes = await ctx.content.readBuffer(sel.id);
    const cfg = await readConfig(ctx, sel.id);
    const diffIds = cfg.rootfs.diff_ids;
    if (diffIds.length === 0) throw invalidArgument('empty export - not implemented');
    const blobs = (await readManifest(ctx, rec)).layers;
    const created = cfg.created ? new Date(cfg.created) : EPOCH;
    const chains = layerChains(cfg);
    const layerPaths: string[] = [];
    let parentV1: string | undefined;
    for (let i = 0; i < diffIds.length; i++) {
      const top = i === diffIds.length - 1;
      const v1 = v1Image(cfg, top, chains[i]!, parentV1);
      const dir = v1.id as string;
      layerPaths.push(`${dir}/layer.tar`);
      if (!savedV1.has(dir)) {
        savedV1.add(dir);
        entries.push({ header: { name: `${dir}/`, type: 'directory', mode: 0o755, mtime: created } });
        entries.push(file(`${dir}/VERSION`, Buffer.from('1.0'), created));
        entries.push(file(`${dir}/json`, Buffer.from(JSON.stringify(v1)), created));
        const first = savedDiff.get(diffIds[i]!);
        if (first !== undefined) entries.push({ header: { name: `${dir}/layer.tar`, type: 'symlink', linkname: `../${first}/layer.tar`, mode: 0o777, mtime: created } });
        else {
          savedDiff.set(diffIds[i]!, dir);
          const blob = await findLayerBlob(ctx, diffIds[i]!, blobs[i]);
          if (!blob) throw notFound(`layer ${diffIds[i]} of ${sel.id} has no blob`);
          const size = await uncompressedSize(ctx, blob, diffIds[i]!);
          entries.push({ header: { name: `${dir}/layer.tar`, type: 'file', size, mode: 0o644, mtime: created }, source: async () => ctx.layers.openUncompressed(blob) });
        }
      }
      parentV1 = dir;
    }
    entries.push(file(`${sel.id.slice(7)}.json`, cfgBytes, created));
    const tags = sel.refs.map((r) => withDefaultTag(r));
    for (const t of tags) (repositories[familiarName(t)] ??= {})[t.tag ?? 'latest'] = parentV1!;
    manifest.push({ Config: `${sel.id.slice(7)}.json`, RepoTags: tags.length > 0 ? tags.map((t) => `${familiarName(t)}:${t.tag}`) : null, Layers: layerPaths, ...parentLink(ctx, rec.parent, selected) });
    publish(ctx, 'save', sel.id);
  }
  entries.push(file('manifest.json', Buffer.from(JSON.stringify(manifest) + '\n'), EPOCH));
  if (Object.keys(repositories).length > 0) entries.push(file('repositories', Buffer.from(JSON.stringify(repositories) + '\n'), EPOCH));
  entries.sort((a, b) => Buffer.compare(Buffer.from(a.header.name), Buffer.from(b.header.name)));
  return tarStream(async (pack) => {
    for (const e of entries) await addEntry(pack, { uid: 0, gid: 0, uname: 'root', gname: 'root', ...e.header }, e.source ? await e.source() : undefined);
  });
}

function file(name: string, data: Buffer, mtime: Date): PlannedEntry {
  return { header: { name, type: 'file', size: data.length, mode: 0o644, mtime }, source: async () => Readable.from([data]) };
}

function parentLink(ctx: ImageContext, parent: Digest | undefined, selected: Selected[]): { Parent?: string } {
  return parent !== undefined && selected.some((s) => s.id === parent) ? { Parent: parent } : {};
}

/** The legacy v1 image JSON Docker writes next to each layer; its ID is derived deterministically. */
function v1Image(cfg: ImageConfig, top: boolean, chain: Digest, parent: string | undefined): Record<string, unknown> {
  const base: Record<string, unknown> = top
    ? {
        ...(cfg.comment ? { comment: cfg.comment } : {}),
        created: cfg.created ?? '0001-01-01T00:00:00Z',
        ...(cfg.container ? { container: cfg.container } : {}),
        container_config: goContainerConfig(cfg.container_config),
        ...(cfg.docker_version ? { docker_version: cfg.docker_version } : {}),
        ...(cfg.author ? { author: cfg.author } : {}),
        ...(cfg.config ? { config: goContainerConfig(cfg.config) } : {}),
        architecture: cfg.architecture,
        ...(cfg.variant ? { variant: cfg.variant } : {}),
        os: cfg.os,
      }
    : { created: '1970-01-01T00:00:00Z', container_config: goContainerConfig(null), os: cfg.os };
  const id = sha256Digest(JSON.stringify({ ...base, layer_id: chain, ...(parent ? { parent: `sha256:${parent}` } : {}) })).slice(7);
  return { id, ...(parent ? { parent } : {}), ...base };
}

/** Tar headers need sizes up front: plain blobs know theirs, gzip ones are measured once. */
async function uncompressedSize(ctx: ImageContext, blob: { mediaType: string; digest: Digest; size: number }, diffId: Digest): Promise<number> {
  if (blob.digest === diffId) return blob.size;
  let n = 0;
  for await (const c of await ctx.layers.openUncompressed(blob)) n += (c as Buffer).length;
  return n;
}
