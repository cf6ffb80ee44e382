import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { addEntry, byteOrder, headerFromStat, tarStream } from '../archive/index.js';
import { findOpaqueDirs } from './overlay-xattr.js';
import { ChangeKind, type Change, type DiffOptions } from './types.js';

interface Walked {
  /** Path relative to the upper dir, without leading slash. */
  rel: string;
  host: string;
  st: Awaited<ReturnType<typeof lstat>>;
}

async function* walk(root: string, rel = ''): AsyncGenerator<Walked> {
  const names = (await readdir(rel === '' ? root : `${root}/${rel}`)).sort(byteOrder);
  for (const name of names) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const host = `${root}/${childRel}`;
    const st = await lstat(host);
    yield { rel: childRel, host, st };
    if (st.isDirectory()) yield* walk(root, childRel);
  }
}

function isWhiteout(st: Walked['st']): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/**
 * An overlay upper dir as a layer tar (Docker's overlay2 Diff): whiteout
 * devices become `.wh.<name>` files, opaque directories get a
 * `.wh..wh..opq` entry right after their own header, hard links inside the
 * layer stay links. The root itself is not an entry.
 */
export function upperDiffTar(upper: string, options: DiffOptions = {}): Readable {
  return tarStream(async (pack) => {
    const opaque = await findOpaqueDirs(upper);
    const hardlinks = new Map<string, string>();
    for await (const e of walk(upper)) {
      const st = e.st as import('node:fs').Stats;
      if (options.skip?.(e.rel, st)) continue;
      if (isWhiteout(st)) {
        const slash = e.rel.lastIndexOf('/');
        const name = `${e.rel.slice(0, slash + 1)}.wh.${e.rel.slice(slash + 1)}`;
        await addEntry(pack, { name, type: 'file', mode: 0o600, uid: st.uid, gid: st.gid, mtime: st.mtime, size: 0 });
        continue;
      }
      const link = st.isSymbolicLink() ? await readlink(e.host) : undefined;
      const header = headerFromStat(e.rel, st, link);
      if (st.isFile() && st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = hardlinks.get(key);
        if (first !== undefined) {
          await addEntry(pack, { ...header, type: 'link', linkname: first, size: 0 });
          continue;
        }
        hardlinks.set(key, e.rel);
      }
      await addEntry(pack, header, e.host);
      if (st.isDirectory() && opaque.has(e.host)) {
        await addEntry(pack, { name: `${e.rel}/.wh..wh..opq`, type: 'file', mode: st.mode & 0o777, uid: st.uid, gid: st.gid, mtime: st.mtime, size: 0 });
      }
    }
  });
}

/**
 * `docker diff` for an overlay container (Docker's OverlayChanges): walk the
 * upper dir; whiteouts and opaque dirs are deletions, anything that exists
 * in a lower layer is a modification (directories only when their own
 * size, mode or mtime differ), the rest additions; the parent of an
 * addition or deletion is reported as modified once.
 */
export async function upperChanges(upper: string, lowers: readonly string[], options: DiffOptions = {}): Promise<Change[]> {
  const opaque = await findOpaqueDirs(upper);
  const changes: Change[] = [];
  const changedDirs = new Set<string>();
  for await (const e of walk(upper)) {
    const path = `/${e.rel}`;
    const st = e.st as import('node:fs').Stats;
    if (options.skip?.(e.rel, st)) continue;
    let kind: ChangeKind;
    if (isWhiteout(st) || (st.isDirectory() && opaque.has(e.host))) kind = ChangeKind.Delete;
    else {
      const k = await lowerKind(e.host, path, st, lowers);
      if (k === undefined) continue;
      kind = k;
    }
    if (st.isDirectory()) changedDirs.add(path);
    if (kind === ChangeKind.Add || kind === ChangeKind.Delete) {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      if (parent !== '/' && !changedDirs.has(parent)) {
        changes.push({ Path: parent, Kind: ChangeKind.Modify });
        changedDirs.add(parent);
      }
    }
    changes.push({ Path: path, Kind: kind });
  }
  return changes;
}

/** Add, Modify, or undefined for a directory identical to the one below it. */
async function lowerKind(host: string, path: string, st: import('node:fs').Stats, lowers: readonly string[]): Promise<ChangeKind | undefined> {
  for (const lower of lowers) {
    const ls = await stat(`${lower}${path}`, { bigint: true }).catch(() => undefined);
    if (!ls) continue;
    if (ls.isDirectory() && st.isDirectory()) {
      const us = await lstat(host, { bigint: true });
      if (ls.size === us.size && ls.mode === us.mode && sameFsTime(ls.mtimeNs, us.mtimeNs)) return undefined;
    }
    return ChangeKind.Modify;
  }
  return ChangeKind.Add;
}

/** Docker's sameFsTime: equal, or equal seconds when either side lacks nanoseconds. */
function sameFsTime(a: bigint, b: bigint): boolean {
  if (a === b) return true;
  const sec = 1_000_000_000n;
  return a / sec === b / sec && (a % sec === 0n || b % sec === 0n);
}
