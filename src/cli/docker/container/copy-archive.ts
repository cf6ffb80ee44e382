/**
 * The client half of `docker cp`: where a copy lands (archive.PrepareArchiveCopy's
 * rules: into an existing directory, or renamed to the destination's
 * basename in its parent), packing a local path into a tar with its root
 * renamed, and extracting a container's tar with its root renamed, never
 * writing outside the target directory and never replacing a directory by
 * a file or the reverse (NoOverwriteDirNonDir).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { chmod, lchown, link, lstat, lutimes, mkdir, readdir, readlink, rm, symlink, utimes } from 'node:fs/promises';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
}

export interface CopyPlan {
  /** Directory the archive is extracted into. */
  dir: string;
  /** New name of the archive's root entry, or undefined to keep it. */
  rename: string | undefined;
}

/** A path naming "the contents of" a directory: `dir/.` or `dir/./`. */
export function isContents(p: string): boolean {
  return /(^|\/)\.\/?$/.test(p);
}

/** Ends with a separator or `/.`: must be a directory. */
export function assertsDirectory(p: string): boolean {
  return p.endsWith('/') || isContents(p);
}

/** Splits into the directory and the last entry, keeping "." for `dir/.`. */
export function splitPathDirEntry(p: string): [dir: string, base: string] {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const dir = posix.dirname(trimmed);
  const base = trimmed.endsWith('/.') || trimmed === '.' ? '.' : posix.basename(trimmed);
  return [dir, base];
}

/** archive.PrepareArchiveCopy: where to extract and how to rename the root. */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): CopyPlan {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  if (dst.exists && dst.isDir) return { dir: dst.path, rename: undefined };
  if (dst.exists && src.isDir) throw new Error('cannot copy directory');
  if (dst.exists || src.isDir) return { dir: dstDir, rename: dstBase };
  if (assertsDirectory(dst.path)) throw new Error('no such directory');
  return { dir: dstDir, rename: dstBase };
}

/** archive.RebaseArchiveEntries on one name: the first component `oldBase` becomes `newBase`. */
export function rebaseName(name: string, oldBase: string, newBase: string): string {
  const n = name.replace(/^\.\/(?=.)/, oldBase === '.' ? './' : '');
  if (oldBase === '.') {
    if (n === '.' || n === './') return `${newBase}/`;
    if (n.startsWith('./')) return `${newBase}/${n.slice(2)}`;
    return `${newBase}/${n}`;
  }
  if (n === oldBase || n === `${oldBase}/`) return n.replace(oldBase, newBase);
  if (n.startsWith(`${oldBase}/`)) return newBase + n.slice(oldBase.length);
  return n;
}

interface PackOptions {
  /** The name the source's root gets in the archive ("" for its contents at the top). */
  rootName: string;
}

/** Tars a local file or directory (symlinks as links, hard links once). */
export function packPath(source: string, options: PackOptions): Readable {
  const pack = tar.pack();
  const seen = new Map<string, string>();
  type Header = Parameters<typeof pack.entry>[0];
  const entry = (header: Header, body?: string): Promise<void> =>
    new Promise((res, rej) => {
      const cb = (e?: Error | null): void => (e ? rej(e) : res());
      if (body === undefined) pack.entry(header, cb);
      else pack.entry(header, body, cb);
    });
  const add = async (abs: string, name: string): Promise<void> => {
    const st = await lstat(abs);
    const base = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      if (name !== '') await entry({ ...base, name: `${name}/`, type: 'directory' });
      for (const child of (await readdir(abs)).sort()) await add(join(abs, child), name === '' ? child : `${name}/${child}`);
    } else if (st.isSymbolicLink()) {
      await entry({ ...base, name, type: 'symlink', linkname: await readlink(abs) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      const first = st.nlink > 1 ? seen.get(key) : undefined;
      if (first !== undefined) return entry({ ...base, name, type: 'link', linkname: first });
      if (st.nlink > 1) seen.set(key, name);
      let finished!: Promise<void>;
      const sink = pack.entry({ ...base, name, type: 'file', size: st.size });
      finished = new Promise((res, rej) => {
        sink.on('finish', () => res());
        sink.on('error', rej);
      });
      for await (const chunk of createReadStream(abs)) {
        if (!sink.write(chunk as Buffer)) await new Promise<void>((r) => sink.once('drain', () => r()));
      }
      sink.end(null); // streamx: end(data)
      await finished;
    }
  };
  add(source, options.rootName).then(
    () => pack.finalize(),
    (err: Error) => pack.destroy(err),
  );
  return Readable.from(pack);
}

export interface ExtractOptions {
  /** Rename the archive root `from` to `to`. */
  rebase?: { from: string; to: string } | undefined;
  /** Keep uid/gid from the archive (docker cp -a). */
  preserveOwner: boolean;
}

/** Extracts a tar stream under `dir`; returns the number of content bytes written. */
export async function extractTo(source: NodeJS.ReadableStream, dir: string, options: ExtractOptions): Promise<number> {
  const root = resolve(dir);
  const extract = tar.extract();
  const times: { path: string; mtime: Date; symlink: boolean }[] = [];
  let bytes = 0;
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      let name = options.rebase ? rebaseName(h.name, options.rebase.from, options.rebase.to) : h.name;
      name = name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
      const target = resolve(root, name);
      if (name === '' || name === '.' || name === './') {
        entry.resume();
        continue;
      }
      if (target !== root && !target.startsWith(root + sep)) throw new Error(`invalid archive entry outside the destination: ${h.name}`);
      await mkdir(dirname(target), { recursive: true });
      const existing = await lstat(target).catch(() => undefined);
      const isDirEntry = h.type === 'directory';
      if (existing?.isDirectory() && !isDirEntry) throw new Error(`cannot overwrite directory "${target}" with non-directory "${name}"`);
      if (existing && !existing.isDirectory() && isDirEntry) throw new Error(`cannot overwrite non-directory "${target}" with directory "${name}"`);
      if (existing && !isDirEntry) await rm(target, { force: true });
      const mode = (h.mode ?? 0o644) & 0o7777;
      switch (h.type) {
        case 'directory':
          await mkdir(target, { recursive: true });
          await chmod(target, mode);
          entry.resume();
          break;
        case 'symlink':
          await symlink(h.linkname ?? '', target);
          entry.resume();
          break;
        case 'link': {
          const linkName = options.rebase ? rebaseName(h.linkname ?? '', options.rebase.from, options.rebase.to) : h.linkname ?? '';
          const src = resolve(root, linkName.replace(/^(\.\/)+/, '').replace(/^\/+/, ''));
          if (!src.startsWith(root + sep)) throw new Error(`invalid hardlink outside the destination: ${h.linkname ?? ''}`);
          await link(src, target);
          entry.resume();
          break;
        }
        case 'file':
        case 'contiguous-file':
        case undefined:
        case null:
          await writeEntry(entry as unknown as AsyncIterable<Buffer>, target, mode);
          await chmod(target, mode);
          bytes += h.size ?? 0;
          break;
        default:
          entry.resume();
          continue;
      }
      if (options.preserveOwner) await lchown(target, h.uid ?? 0, h.gid ?? 0).catch(() => {});
      if (h.mtime) times.push({ path: target, mtime: h.mtime, symlink: h.type === 'symlink' });
    }
  })();
  const feed = (async () => {
    for await (const chunk of source) {
      if (!extract.write(chunk as Buffer)) await new Promise<void>((r) => extract.once('drain', () => r()));
    }
    extract.end(null); // streamx: end(data)
  })();
  await Promise.all([feed, done]);
  // Directory times last, deepest first, so later writes do not change them.
  for (const t of times.reverse()) {
    await (t.symlink ? lutimes(t.path, t.mtime, t.mtime) : utimes(t.path, t.mtime, t.mtime)).catch(() => {});
  }
  return bytes;
}

async function writeEntry(entry: AsyncIterable<Buffer>, target: string, mode: number): Promise<void> {
  const out = createWriteStream(target, { mode });
  for await (const chunk of entry) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** The local side's CopyInfo (lstat, following a final symlink when asked). */
export async function localCopyInfo(path: string): Promise<CopyInfo> {
  const st = await lstat(path).catch(() => undefined);
  return { path, exists: st !== undefined, isDir: st?.isDirectory() ?? false };
}
