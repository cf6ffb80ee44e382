import { constants } from 'node:fs';
import { chmod, lchown, link, lutimes, mkdir, open, symlink, utimes } from 'node:fs/promises';
import { invalidArgument } from '../../core/errors.js';
import { run } from '../../platform/linux/exec.js';
import type { EntryBody, TarHeader } from './tar-pack.js';

export interface WriteEntryOptions {
  /** For hard links: the host path of the link target, already checked. */
  linkTarget?: string;
  /** Skip lchown (non-root callers, tests). */
  noChown?: boolean;
}

/**
 * Creates one tar entry at `path` (which the caller has resolved and
 * cleared): files are opened with O_EXCL|O_NOFOLLOW so a planted symlink
 * can never redirect the write. Directory times are left to the caller,
 * because later entries change them.
 */
export async function writeEntry(path: string, header: TarHeader, body: EntryBody, opts: WriteEntryOptions = {}): Promise<void> {
  const mode = (header.mode ?? 0o644) & 0o7777;
  switch (header.type) {
    case 'directory':
      await mkdir(path, { mode: 0o755 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      break;
    case 'file':
    case 'contiguous-file':
    case undefined:
    case null: {
      const fd = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
      try {
        for await (const chunk of body) await fd.write(chunk as Uint8Array);
      } finally {
        await fd.close();
      }
      break;
    }
    case 'symlink':
      await symlink(header.linkname ?? '', path);
      break;
    case 'link':
      if (opts.linkTarget === undefined) throw invalidArgument(`hard link ${header.name} has no target`);
      await link(opts.linkTarget, path);
      break;
    case 'character-device':
    case 'block-device':
      await run('mknod', ['-m', mode.toString(8), path, header.type === 'character-device' ? 'c' : 'b', String(header.devmajor ?? 0), String(header.devminor ?? 0)]);
      break;
    case 'fifo':
      await run('mkfifo', ['-m', mode.toString(8), path]);
      break;
    default:
      // pax/gnu meta entries are folded into headers by tar-stream; others are skipped like Docker does.
      body.resume();
      return;
  }
  body.resume();
  if (header.type === 'link') return;
  if (!opts.noChown) await lchown(path, header.uid ?? 0, header.gid ?? 0);
  if (header.type !== 'symlink') await chmod(path, mode);
  await applyXattrs(path, header);
  if (header.type !== 'directory') await setTimes(path, header);
}

export async function setTimes(path: string, header: TarHeader): Promise<void> {
  const t = header.mtime ?? new Date();
  if (header.type === 'symlink') await lutimes(path, t, t);
  else await utimes(path, t, t);
}

/** PAX `SCHILY.xattr.*` records (e.g. security.capability) become xattrs. */
async function applyXattrs(path: string, header: TarHeader): Promise<void> {
  const pax = header.pax;
  if (!pax) return;
  for (const [key, value] of Object.entries(pax)) {
    if (!key.startsWith('SCHILY.xattr.')) continue;
    const name = key.slice('SCHILY.xattr.'.length);
    if (name.startsWith('trusted.overlay.')) continue;
    await run('setfattr', ['-h', '-n', name, '-v', `0x${Buffer.from(value, 'latin1').toString('hex')}`, path]).catch(() => undefined);
  }
}
