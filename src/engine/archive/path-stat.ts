import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { notFound } from '../../core/errors.js';
import { goFileMode, goTime } from './file-mode.js';
import { secureJoin } from './secure-join.js';
import { packTree, tarStream } from './tar-pack.js';

/** Docker's ContainerPathStat, base64-JSON in `X-Docker-Container-Path-Stat`. */
export interface PathStat {
  name: string;
  size: number;
  /** Go os.FileMode bits. */
  mode: number;
  /** RFC3339Nano. */
  mtime: string;
  /** For symlinks: the fully resolved target inside the container, absolute. */
  linkTarget: string;
}

export interface PathOptions {
  /** Container name or ID, for "Could not find the file /x in container c". */
  containerName?: string;
}

interface Resolved {
  absPath: string;
  resolvedPath: string;
}

/** archive.PreserveTrailingDotOrSeparator on a cleaned absolute path. */
function absolutize(path: string): string {
  const clean = posix.normalize('/' + path).replace(/(.)\/+$/, '$1');
  if ((path.endsWith('/.') || path === '.') && !clean.endsWith('/.')) return clean === '/' ? '/.' : `${clean}/.`;
  if (path.endsWith('/') && !clean.endsWith('/')) return `${clean}/`;
  return clean;
}

/** container.ResolvePath: the directory part resolved in the root, the last element kept. */
async function resolvePath(root: string, path: string): Promise<Resolved> {
  const absPath = absolutize(path);
  const slash = absPath.lastIndexOf('/');
  const dir = absPath.slice(0, slash + 1);
  const base = absPath.slice(slash + 1);
  const resolvedDir = (await secureJoin(root, dir)).replace(/\/+$/, '');
  return { absPath, resolvedPath: `${resolvedDir}/${base}` };
}

function notFoundIn(path: string, opts: PathOptions): Error {
  return notFound(`Could not find the file ${path} in container ${opts.containerName ?? ''}`.trimEnd());
}

/** Stats a path inside a container's rootfs the way `HEAD /containers/{id}/archive` does. */
export async function statPath(root: string, path: string, opts: PathOptions = {}): Promise<PathStat> {
  const { absPath, resolvedPath } = await resolvePath(root, path);
  return statResolved(root, absPath, resolvedPath, path, opts);
}

async function statResolved(root: string, absPath: string, resolvedPath: string, path: string, opts: PathOptions): Promise<PathStat> {
  let st;
  try {
    st = await lstat(resolvedPath, { bigint: true });
  } catch {
    throw notFoundIn(path, opts);
  }
  let linkTarget = '';
  if (st.isSymbolicLink()) {
    const host = await secureJoin(root, absPath);
    linkTarget = posix.normalize('/' + host.slice(root.replace(/\/+$/, '').length));
  }
  return { name: posix.basename(absPath) || '/', size: Number(st.size), mode: goFileMode(st), mtime: goTime(st.mtimeNs), linkTarget };
}

/**
 * `GET /containers/{id}/archive`: the stat plus a tar of the resource whose
 * top entry is named after the requested path's last element (Docker's
 * TarResourceRebase), whatever a symlinked directory resolved to.
 */
export async function tarPath(root: string, path: string, opts: PathOptions = {}): Promise<{ stat: PathStat; stream: Readable }> {
  const { absPath, resolvedPath } = await resolvePath(root, path);
  const stat = await statResolved(root, absPath, resolvedPath, path, opts);
  let source = resolvedPath.replace(/\/+$/, '') || '/';
  if (resolvedPath.endsWith('/.')) source = resolvedPath.slice(0, -2);
  try {
    await lstat(resolvedPath);
  } catch {
    throw notFoundIn(path, opts);
  }
  const base = posix.basename(absPath);
  const rebase = absPath === '/' ? '/' : base === '' ? posix.basename(absPath.replace(/\/+$/, '')) : base;
  const stream = tarStream((pack) => packTree(pack, source, rebase));
  return { stat, stream };
}
