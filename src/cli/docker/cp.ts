/**
 * `berth cp`: copies between a container and the local filesystem with
 * `docker cp` semantics. From a container: GET …/archive (the stat comes in
 * the X-Docker-Container-Path-Stat header), extracted locally or written
 * to stdout for `-`. To a container: HEAD …/archive to stat the destination,
 * then PUT …/archive with a tar whose root is renamed as Docker would.
 */
import { lstat, stat as statFile } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { EngineClient } from '../engine-client/engine-client.js';
import { ApiError, isNotFound } from '../engine-client/api-error.js';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec, type Io } from './common/command.js';
import { extractTo, isContents, localCopyInfo, packPath, prepareArchiveCopy, splitPathDirEntry, type CopyInfo } from './container/copy-archive.js';
import { humanSize } from './format/units.js';

export const spec: CommandSpec = {
  name: 'cp',
  usage: 'berth cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\nberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  summary: 'Copy files/folders between a container and the local filesystem',
  flags: {
    archive: { type: 'bool', short: 'a', help: 'Archive mode (copy all uid/gid information)' },
    'follow-link': { type: 'bool', short: 'L', help: 'Always follow symbol link in SRC_PATH' },
    quiet: { type: 'bool', short: 'q', help: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  },
  args: { exact: 2 },
};

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

const GO_MODE_DIR = 0x80000000;
const GO_MODE_SYMLINK = 0x08000000;

/** splitCpArg: `container:path`, unless the argument is a local path. */
export function splitCpArg(arg: string): { container: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.')) return { container: '', path: arg };
  const i = arg.indexOf(':');
  if (i < 0) return { container: '', path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

/** Decodes X-Docker-Container-Path-Stat (base64 JSON). */
export function decodePathStat(header: string | string[] | undefined): PathStat | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
}

async function statPath(client: EngineClient, container: string, path: string): Promise<PathStat> {
  const res = await client.request('HEAD', `/containers/${encodeURIComponent(container)}/archive`, { query: { path } });
  res.resume();
  const stat = decodePathStat(res.headers['x-docker-container-path-stat']);
  if (!stat) throw new Error('unable to decode container path stat header');
  return stat;
}

async function copyFromContainer(client: EngineClient, container: string, srcPath: string, dstPath: string, opts: { followLink: boolean; archive: boolean; quiet: boolean }, io: Io): Promise<void> {
  let src = srcPath;
  if (opts.followLink) {
    const st = await statPath(client, container, src);
    if ((st.mode & GO_MODE_SYMLINK) !== 0 && st.linkTarget) src = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(posix.dirname(src), st.linkTarget);
  }
  const res = await client.request('GET', `/containers/${encodeURIComponent(container)}/archive`, { query: { path: src } });
  if (dstPath === '-') {
    for await (const chunk of res) if (!io.stdout.write(chunk as Buffer)) await new Promise((r) => io.stdout.once('drain', r));
    return;
  }
  const stat = decodePathStat(res.headers['x-docker-container-path-stat']);
  const srcInfo: CopyInfo = { path: src, exists: true, isDir: stat !== undefined && (stat.mode & GO_MODE_DIR) !== 0 };
  const dst = await localCopyInfo(dstPath);
  if (!dst.exists) {
    const parent = posix.dirname(resolve(dstPath.replace(/\/+$/, '') || '/'));
    const st = await lstat(parent).catch(() => undefined);
    if (!st?.isDirectory()) {
      res.resume();
      throw new CliError(`invalid output path: directory "${posix.dirname(dstPath.replace(/\/+$/, ''))}" does not exist`);
    }
  }
  let plan;
  try {
    plan = prepareArchiveCopy(srcInfo, dst);
  } catch (err) {
    res.resume();
    throw new CliError((err as Error).message);
  }
  const [, srcBase] = splitPathDirEntry(src);
  const bytes = await extractTo(res, plan.dir, { rebase: plan.rename === undefined ? undefined : { from: srcBase, to: plan.rename }, preserveOwner: opts.archive });
  if (!opts.quiet && (io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write(`Successfully copied ${humanSize(bytes)} to ${dstPath}\n`);
}

async function copyToContainer(client: EngineClient, srcPath: string, container: string, dstPath: string, opts: { followLink: boolean; archive: boolean; quiet: boolean }, io: Io): Promise<void> {
  let dst: CopyInfo = { path: dstPath, exists: false, isDir: false };
  try {
    let st = await statPath(client, container, dstPath);
    if ((st.mode & GO_MODE_SYMLINK) !== 0 && st.linkTarget) {
      const target = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(posix.dirname(dstPath), st.linkTarget);
      dst = { path: target, exists: false, isDir: false };
      st = await statPath(client, container, target);
    }
    dst = { ...dst, exists: true, isDir: (st.mode & GO_MODE_DIR) !== 0 };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const query = (path: string): Record<string, string | undefined> => ({ path, noOverwriteDirNonDir: 'true', copyUIDGID: opts.archive ? 'true' : undefined });
  if (srcPath === '-') {
    if (!dst.isDir) throw new CliError(`destination "${container}:${dstPath}" must be a directory`);
    await client.discard('PUT', `/containers/${encodeURIComponent(container)}/archive`, { query: query(dst.path), body: process.stdin, contentType: 'application/x-tar' });
    return;
  }
  const local = opts.followLink ? resolve(srcPath) : srcPath;
  const st = await (opts.followLink ? statFile(local) : lstat(local)).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`lstat ${resolve(srcPath)}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'ENOTDIR' ? 'not a directory' : err.message}`);
  });
  const srcInfo: CopyInfo = { path: srcPath, exists: true, isDir: st.isDirectory() };
  if (isContents(srcPath) && !srcInfo.isDir) throw new CliError(`lstat ${resolve(srcPath)}: not a directory`);
  let plan;
  try {
    plan = prepareArchiveCopy(srcInfo, dst);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  // Into an existing directory the root keeps its name ("." means its contents).
  const [, srcBase] = splitPathDirEntry(srcPath);
  const rootName = plan.rename ?? (srcBase === '.' ? '' : srcBase);
  const body: Readable = packPath(resolve(srcPath), { rootName });
  let bytes = 0;
  body.on('data', (c: Buffer) => (bytes += c.length));
  await client.discard('PUT', `/containers/${encodeURIComponent(container)}/archive`, { query: query(plan.dir), body, contentType: 'text/plain' });
  if (!opts.quiet && (io.stderr as NodeJS.WriteStream).isTTY) io.stderr.write(`Successfully copied ${humanSize(bytes)} to ${container}:${dstPath}\n`);
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const src = splitCpArg(inv.args[0]!);
    const dst = splitCpArg(inv.args[1]!);
    const opts = { followLink: inv.bool('follow-link'), archive: inv.bool('archive'), quiet: inv.bool('quiet') };
    if (src.container !== '' && dst.container !== '') throw new CliError('copying between containers is not supported');
    if (src.container === '' && dst.container === '') throw new CliError('must specify at least one container source');
    if (src.container !== '' && src.path === '') throw new CliError('source can not be empty');
    if (dst.container !== '' && dst.path === '') throw new CliError('destination can not be empty');
    try {
      if (src.container !== '') await copyFromContainer(inv.client(), src.container, src.path, dst.path, opts, io);
      else await copyToContainer(inv.client(), src.path, dst.container, dst.path, opts, io);
    } catch (err) {
      if (err instanceof ApiError || err instanceof CliError) throw err;
      throw new CliError((err as Error).message);
    }
    return 0;
  });
}
