import { createReadStream, constants, type Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { errorMessage, logger } from '../../core/index.js';

const log = logger('engine.archive');

/** A tar entry header (tar-stream's, with PAX records when present). */
export interface TarHeader {
  name: string;
  size?: number;
  mode?: number;
  mtime?: Date;
  type?: 'file' | 'link' | 'symlink' | 'directory' | 'block-device' | 'character-device' | 'fifo' | 'contiguous-file' | 'pax-header' | 'pax-global-header' | 'gnu-long-path' | 'gnu-long-link-path' | null;
  linkname?: string | null;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string> | null;
}

/** An entry's content as tar-stream yields it while extracting. */
export type EntryBody = AsyncIterable<unknown> & { resume(): unknown };

export type TarPack = tar.Pack;

/**
 * Runs `build` against a fresh tar packer and returns the tar as a Node
 * stream; an error while building destroys the stream (the reader sees it).
 */
export function tarStream(build: (pack: TarPack) => Promise<void>): Readable {
  const pack = tar.pack();
  build(pack).then(
    () => pack.finalize(),
    (err: unknown) => {
      log.debug('tar stream failed', { err: errorMessage(err) });
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
    },
  );
  return Readable.from(pack as AsyncIterable<Buffer>, { objectMode: false });
}

/** A tar header for a file as lstat sees it (numeric owners, Docker-like). */
export function headerFromStat(name: string, st: Stats, linkTarget?: string): TarHeader {
  const type = st.mode & constants.S_IFMT;
  const h: TarHeader = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime, size: 0 };
  if (type === constants.S_IFDIR) h.type = 'directory';
  else if (type === constants.S_IFLNK) {
    h.type = 'symlink';
    h.linkname = linkTarget ?? '';
  } else if (type === constants.S_IFCHR || type === constants.S_IFBLK) {
    h.type = type === constants.S_IFCHR ? 'character-device' : 'block-device';
    h.devmajor = Math.floor(st.rdev / 256) & 0xfff;
    h.devminor = (st.rdev & 0xff) | (Math.floor(st.rdev / 4096) & 0xfff00);
  } else if (type === constants.S_IFIFO) h.type = 'fifo';
  else {
    h.type = 'file';
    h.size = st.size;
  }
  return h;
}

/** Adds one entry; regular files stream their content from `source` (a path or a stream). */
export async function addEntry(pack: TarPack, header: TarHeader, source?: string | AsyncIterable<Uint8Array>): Promise<void> {
  const isFile = header.type === 'file' || header.type === undefined || header.type === null;
  // Directory names end with a slash in Docker's tars (tar-stream only adds it when given a typeflag).
  const name = header.type === 'directory' && !header.name.endsWith('/') ? `${header.name}/` : header.name;
  const h = { ...header, name, size: isFile ? header.size ?? 0 : 0 } as Parameters<TarPack['entry']>[0];
  if (!isFile) {
    await new Promise<void>((resolve, reject) => pack.entry(h, (err) => (err ? reject(err) : resolve())));
    return;
  }
  if (source === undefined || !header.size) {
    // A file entry without a buffer waits for end(); an empty buffer closes it at once.
    await new Promise<void>((resolve, reject) => pack.entry(h, Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const sink = pack.entry(h, (err) => (err ? reject(err) : resolve()));
    // A reader that goes away destroys the pack and this entry; the callback above reports it.
    sink.on('error', () => {});
    void (async () => {
      try {
        const input = typeof source === 'string' ? createReadStream(source) : source;
        for await (const chunk of input) {
          if (!sink.write(chunk)) await new Promise<void>((r) => sink.once('drain', () => r()));
        }
        sink.end(undefined);
      } catch (err) {
        sink.destroy(err as Error);
        reject(err as Error);
      }
    })();
  });
}

export interface PackTreeOptions {
  /** Hard link detection across one archive: `dev:ino` → first entry name. */
  hardlinks?: Map<string, string>;
}

/**
 * Adds `hostPath` (file, link or directory tree) under `entryName`, in
 * lexical order like Go's filepath.Walk. Hard-linked files become tar
 * links to the first name seen.
 */
export async function packTree(pack: TarPack, hostPath: string, entryName: string, opts: PackTreeOptions = {}): Promise<void> {
  const hardlinks = opts.hardlinks ?? new Map<string, string>();
  const st = await lstat(hostPath);
  const link = st.isSymbolicLink() ? await readlink(hostPath) : undefined;
  const header = headerFromStat(entryName, st, link);
  if (st.isFile() && st.nlink > 1) {
    const key = `${st.dev}:${st.ino}`;
    const first = hardlinks.get(key);
    if (first !== undefined) {
      await addEntry(pack, { ...header, type: 'link', linkname: first, size: 0 });
      return;
    }
    hardlinks.set(key, entryName);
  }
  await addEntry(pack, header, hostPath);
  if (!st.isDirectory()) return;
  const names = (await readdir(hostPath)).sort(byteOrder);
  const prefix = entryName === '' || entryName.endsWith('/') ? entryName : `${entryName}/`;
  for (const name of names) await packTree(pack, `${hostPath}/${name}`, `${prefix}${name}`, { hardlinks });
}

/** Go sorts names by bytes; compare UTF-8 encodings. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
