import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { invalidArgument } from '../../core/errors.js';

const MAX_SYMLINKS = 255;

/**
 * Joins `unsafePath` onto `root` resolving every symlink as if `root` were
 * `/` (like filepath-securejoin / FollowSymlinkInScope): `..` stops at the
 * root and absolute link targets restart from it, so the result is always
 * inside `root`. Components that do not exist are joined lexically.
 */
export async function secureJoin(root: string, unsafePath: string): Promise<string> {
  const rel = await resolveInRoot(root, unsafePath, true);
  return rel === '' ? root : `${root.replace(/\/+$/, '')}/${rel}`;
}

/**
 * Like secureJoin, but the last element is not followed when it is a
 * symlink (Docker's ResolvePath: the parent is resolved, the name kept).
 */
export async function secureJoinParent(root: string, unsafePath: string): Promise<string> {
  const clean = posix.normalize('/' + unsafePath);
  if (clean === '/') return root;
  const parent = await secureJoin(root, posix.dirname(clean));
  return `${parent.replace(/\/+$/, '')}/${posix.basename(clean)}`;
}

async function resolveInRoot(root: string, unsafePath: string, followLast: boolean): Promise<string> {
  let resolved: string[] = [];
  let pending = unsafePath.split('/');
  let links = 0;
  while (pending.length > 0) {
    const comp = pending.shift()!;
    if (comp === '' || comp === '.') continue;
    if (comp === '..') {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, comp];
    const isLast = pending.every((c) => c === '' || c === '.');
    if (isLast && !followLast) {
      resolved = candidate;
      continue;
    }
    let st;
    try {
      st = await lstat(`${root}/${candidate.join('/')}`);
    } catch {
      resolved = candidate;
      continue;
    }
    if (!st.isSymbolicLink()) {
      resolved = candidate;
      continue;
    }
    if (++links > MAX_SYMLINKS) throw invalidArgument(`too many levels of symbolic links in ${unsafePath}`);
    const target = await readlink(`${root}/${candidate.join('/')}`);
    if (target.startsWith('/')) resolved = [];
    pending = [...target.split('/'), ...pending];
  }
  return resolved.join('/');
}

/** Lexical check: true when `name` (a tar entry path) stays inside its root. */
export function staysInside(name: string): boolean {
  const clean = posix.normalize(name);
  return !(clean === '..' || clean.startsWith('../') || clean.startsWith('/'));
}
