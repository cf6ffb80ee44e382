import { lstat, mkdir, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import tar from 'tar-stream';
import { Digester, type Digest } from '../../core/digest.js';
import { BerthError, invalidArgument } from '../../core/errors.js';
import { run } from '../../platform/linux/exec.js';
import { setTimes, writeEntry, type EntryBody, type TarHeader } from '../archive/index.js';
import { markOpaque } from './overlay-xattr.js';

const WHITEOUT_PREFIX = '.wh.';
const WHITEOUT_META_PREFIX = '.wh..wh.';
const WHITEOUT_OPAQUE = '.wh..wh..opq';

export interface AppliedLayer {
  /** sha256 of the uncompressed tar: the layer's DiffID. */
  diffId: Digest;
  /** Bytes of the layer's files (Docker's DiffSize: regular files and link targets, hard links once). */
  size: number;
}

export interface ApplyOptions {
  noChown?: boolean;
}

/** Docker-like wording, so that a refused layer reads the same everywhere. */
function refused(detail: string): BerthError {
  return invalidArgument(`failed to register layer: ${detail}`);
}

/**
 * Unpacks an uncompressed layer tar into `dir` (an empty snapshot dir),
 * converting OCI whiteouts to overlayfs ones (`.wh.x` → char 0/0 device,
 * `.wh..wh..opq` → opaque xattr) and hashing the stream on the way.
 * Entries that would land outside `dir` — `..`, absolute names, writes
 * through a symlink, links pointing out — are refused; the caller throws
 * the directory away on error.
 */
export async function applyLayer(dir: string, input: Readable, opts: ApplyOptions = {}): Promise<AppliedLayer> {
  const digester = new Digester();
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      digester.update(chunk);
      cb(null, chunk);
    },
  });
  const extract = tar.extract();
  const failure = new Promise<never>((_, reject) => {
    input.on('error', reject);
    hasher.on('error', reject);
  });
  failure.catch(() => undefined);
  input.pipe(hasher).pipe(extract as unknown as NodeJS.WritableStream);
  let size = 0;
  const inodes = new Set<string>();
  const dirs: { path: string; header: TarHeader }[] = [];
  try {
    for await (const entry of extract) {
      const header = entry.header as unknown as TarHeader;
      size += await Promise.race([applyEntry(dir, header, entry, dirs, inodes, opts), failure]);
    }
    // The digest covers every byte, including what follows the end-of-archive blocks.
    await Promise.race([new Promise<void>((resolve) => (hasher.readableEnded ? resolve() : hasher.once('end', () => resolve()))), failure]);
  } catch (err) {
    input.unpipe();
    input.destroy();
    if (err instanceof BerthError) throw err;
    throw refused(`Error processing tar file: ${(err as Error).message}`);
  }
  for (const d of dirs.reverse()) await setTimes(d.path, d.header);
  return { diffId: digester.digest(), size };
}

async function applyEntry(root: string, header: TarHeader, body: EntryBody, dirs: { path: string; header: TarHeader }[], inodes: Set<string>, opts: ApplyOptions): Promise<number> {
  if (header.type === 'pax-global-header' || header.type === 'pax-header') {
    body.resume();
    return 0;
  }
  if (header.name.startsWith('/')) throw refused(`absolute path "${header.name}" in layer tar`);
  const name = posix.normalize(header.name);
  if (name === '..' || name.startsWith('../')) throw refused(`path "${header.name}" escapes the layer root`);
  const clean = name.replace(/\/+$/, '');
  if (clean === '.' || clean === '') {
    body.resume();
    return 0;
  }
  const parentRel = posix.dirname(clean);
  const base = posix.basename(clean);
  await ensureRealParent(root, parentRel, header.name);
  const parent = parentRel === '.' ? root : `${root}/${parentRel}`;

  if (base.startsWith(WHITEOUT_PREFIX)) {
    body.resume();
    if (base === WHITEOUT_OPAQUE) await markOpaque(parent);
    else if (!base.startsWith(WHITEOUT_META_PREFIX)) {
      const target = `${parent}/${base.slice(WHITEOUT_PREFIX.length)}`;
      await rm(target, { recursive: true, force: true });
      await run('mknod', ['-m', '000', target, 'c', '0', '0']);
      if (!opts.noChown) await run('chown', ['-h', `${header.uid ?? 0}:${header.gid ?? 0}`, target]);
    }
    return 0;
  }

  const path = `${parent}/${base}`;
  const existing = await lstat(path).catch(() => undefined);
  if (existing && !(existing.isDirectory() && header.type === 'directory')) await rm(path, { recursive: true, force: true });

  let linkTarget: string | undefined;
  if (header.type === 'link') {
    const target = posix.normalize(header.linkname ?? '');
    if (target.startsWith('/') || target === '..' || target.startsWith('../')) throw refused(`invalid hardlink "${header.name}" -> "${header.linkname ?? ''}"`);
    await ensureRealParent(root, posix.dirname(target), header.name);
    const st = await lstat(`${root}/${target}`).catch(() => undefined);
    if (!st) throw refused(`hardlink "${header.name}" points to "${header.linkname ?? ''}", which is not in the layer`);
    linkTarget = `${root}/${target}`;
  }
  if (header.type === 'symlink') {
    const target = header.linkname ?? '';
    const joined = posix.normalize(posix.join('/', parentRel, target));
    if (!target.startsWith('/') && posix.normalize(posix.join(parentRel, target)).startsWith('../')) {
      throw refused(`invalid symlink "${header.name}" -> "${target}" (resolves to ${joined} outside the layer)`);
    }
  }
  await writeEntry(path, header, body, { ...(linkTarget !== undefined ? { linkTarget } : {}), ...(opts.noChown ? { noChown: true } : {}) });
  if (header.type === 'directory') {
    dirs.push({ path, header });
    return 0;
  }
  if (header.type === 'symlink') return Buffer.byteLength(header.linkname ?? '');
  if (header.type === 'file' || header.type === 'contiguous-file' || header.type === undefined || header.type === null) {
    const st = await lstat(path);
    const key = `${st.dev}:${st.ino}`;
    if (inodes.has(key)) return 0;
    inodes.add(key);
    return st.size;
  }
  return 0;
}

/**
 * Makes sure every component of `rel` under `root` is a real directory,
 * creating missing ones; a symlink (or file) on the way means the entry
 * would be written somewhere else, which is refused.
 */
async function ensureRealParent(root: string, rel: string, entryName: string): Promise<void> {
  if (rel === '.' || rel === '') return;
  let current = root;
  for (const comp of rel.split('/')) {
    if (comp === '' || comp === '.') continue;
    current = `${current}/${comp}`;
    const st = await lstat(current).catch(() => undefined);
    if (!st) {
      await mkdir(current, { mode: 0o755 });
      continue;
    }
    if (st.isSymbolicLink()) throw refused(`"${entryName}" would be written through the symlink ${current.slice(root.length)}`);
    if (!st.isDirectory()) throw refused(`"${entryName}" has a non-directory parent ${current.slice(root.length)}`);
  }
}
