import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { invalidArgument } from '../../core/index.js';

const MAX_LINKS = 255;

/**
 * Resolves `path` inside the directory `root` the way the container will
 * see it: symlinks are followed, but absolute targets and `..` never leave
 * root (Docker's FollowSymlinkInScope). Missing components are kept as
 * they are. Returns a host path under root.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  let resolved = '/';
  let pending = posix.normalize('/' + path).split('/').filter((c) => c !== '');
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved = posix.dirname(resolved);
      continue;
    }
    const candidate = posix.join(resolved, part);
    const info = await lstat(posix.join(root, candidate)).catch(() => undefined);
    if (!info?.isSymbolicLink()) {
      resolved = candidate;
      continue;
    }
    if (++links > MAX_LINKS) throw invalidArgument(`too many symlinks in ${path}`);
    const target = await readlink(posix.join(root, candidate));
    if (posix.isAbsolute(target)) resolved = '/';
    pending = [...target.split('/').filter((c) => c !== ''), ...pending];
  }
  return posix.join(root, resolved);
}
