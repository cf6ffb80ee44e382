import { lstat, mkdir, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { BerthError, invalidArgument, notFound } from '../../core/errors.js';
import { decompressStream } from './decompress.js';
import { secureJoin, secureJoinParent, staysInside } from './secure-join.js';
import type { EntryBody, TarHeader } from './tar-pack.js';
import { setTimes, writeEntry } from './write-entry.js';

/** Docker runs untar in a child process; its errors carry this prefix. */
const TAR_ERROR = 'Error processing tar file(exit status 1): ';

export interface ExtractOptions {
  /** Refuse replacing a directory with a non-directory and vice versa (`docker cp` sets it). */
  noOverwriteDirNonDir?: boolean;
  /** Container name or ID, for Docker's "Could not find the file" message. */
  containerName?: string;
  noChown?: boolean;
}

/**
 * Extracts a (possibly gzipped) tar into `destDir` of the filesystem rooted
 * at `root` (a container's mounted rootfs), as `PUT /containers/{id}/archive`
 * does. Every path, link target and symlink is resolved inside `root`, like
 * Docker's chroot'ed untar: nothing is ever written outside it.
 */
export async function extractArchive(root: string, destDir: string, input: Readable, opts: ExtractOptions = {}): Promise<void> {
  const absDest = posix.normalize('/' + destDir);
  const resolvedDest = await secureJoin(root, absDest);
  let st;
  try {
    st = await lstat(resolvedDest);
  } catch {
    throw notFound(`Could not find the file ${destDir} in container ${opts.containerName ?? ''}`.trimEnd());
  }
  if (!st.isDirectory()) throw invalidArgument('extraction point is not a directory');
  const destInRoot = '/' + posix.relative('/', resolvedDest.slice(root.replace(/\/+$/, '').length) || '/');
  const { stream } = await decompressStream(input);
  const dirs: { path: string; header: TarHeader }[] = [];
  const extract = tar.extract();
  const pipeErr = new Promise<never>((_, reject) => stream.on('error', reject));
  pipeErr.catch(() => undefined);
  stream.pipe(extract);
  try {
    for await (const entry of extract) {
      const header = entry.header as unknown as TarHeader;
      await Promise.race([extractOne(root, destInRoot, header, entry, opts, dirs), pipeErr]);
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof BerthError) throw err;
    throw invalidArgument(`${TAR_ERROR}${(err as Error).message}`, { cause: err });
  }
  for (const d of dirs.reverse()) await setTimes(d.path, d.header);
}

async function extractOne(root: string, destInRoot: string, header: TarHeader, body: EntryBody, opts: ExtractOptions, dirs: { path: string; header: TarHeader }[]): Promise<void> {
  if (header.type === 'pax-global-header' || header.type === 'pax-header') {
    body.resume();
    return;
  }
  const name = posix.normalize(header.name.replace(/^\/+/, ''));
  if (!staysInside(name)) throw invalidArgument(`${TAR_ERROR}"${header.name}" is outside of "${destInRoot}"`);
  const inRoot = posix.join(destInRoot, name);
  const parent = await secureJoin(root, posix.dirname(inRoot));
  await mkdir(parent, { recursive: true });
  const path = inRoot === destInRoot && name === '.' ? await secureJoin(root, inRoot) : `${parent}/${posix.basename(inRoot)}`;
  const isDir = header.type === 'directory';
  const existing = await lstat(path).catch(() => undefined);
  if (existing) {
    if (opts.noOverwriteDirNonDir && existing.isDirectory() && !isDir) {
      throw invalidArgument(`${TAR_ERROR}cannot overwrite directory "${inRoot}" with non-directory "${destInRoot}"`);
    }
    if (opts.noOverwriteDirNonDir && !existing.isDirectory() && isDir) {
      throw invalidArgument(`${TAR_ERROR}cannot overwrite non-directory "${inRoot}" with directory "${destInRoot}"`);
    }
    if (existing.isDirectory() && name === '.') {
      body.resume();
      return;
    }
    if (!(existing.isDirectory() && isDir)) await rm(path, { recursive: true, force: true });
  }
  let linkTarget: string | undefined;
  if (header.type === 'link') {
    const linkName = posix.normalize((header.linkname ?? '').replace(/^\/+/, ''));
    if (!staysInside(linkName)) throw invalidArgument(`${TAR_ERROR}invalid hardlink "${header.name}" -> "${header.linkname ?? ''}"`);
    linkTarget = await secureJoinParent(root, posix.join(destInRoot, linkName));
  }
  await writeEntry(path, header, body, { ...(linkTarget !== undefined ? { linkTarget } : {}), ...(opts.noChown ? { noChown: true } : {}) });
  if (isDir) dirs.push({ path, header });
}
