import { readFile } from 'node:fs/promises';
import { run } from './exec.js';
import { MNT_DETACH, mountBySyscall, unmountBySyscall } from './mount-syscalls.js';

/**
 * A mount described, not performed (containerd's habit): snapshotters return
 * these, and whoever needs the filesystem performs them with mountAll().
 */
export interface Mount {
  type: string;
  source: string;
  options: string[];
}

/** Performs mounts in order on target (overlay, bind, tmpfs…). */
export async function mountAll(mounts: readonly Mount[], target: string): Promise<void> {
  for (const m of mounts) {
    if (await mountBySyscall(m, target)) continue;
    const recursive = m.options.includes('rbind');
    const isBind = m.type === 'bind' || recursive || m.options.includes('bind');
    const args = isBind ? [recursive ? '--rbind' : '--bind', m.source, target] : ['-t', m.type, m.source, target];
    const opts = m.options.filter((o) => o !== 'bind' && o !== 'rbind');
    if (opts.length > 0) args.unshift('-o', opts.join(','));
    await run('mount', args);
  }
}

/** Unmounts target; lazy detach when busy so cleanup never blocks on a stray user. */
export async function unmount(target: string, options: { lazy?: boolean } = {}): Promise<void> {
  if (await unmountBySyscall(target, options.lazy ? MNT_DETACH : 0)) return;
  const args = options.lazy ? ['-l', target] : [target];
  await run('umount', args);
}

/** Unmounts target if it is a mount point; returns whether it was mounted. */
export async function unmountIfMounted(target: string): Promise<boolean> {
  if (!(await isMountPoint(target))) return false;
  try {
    await unmount(target);
  } catch {
    await unmount(target, { lazy: true });
  }
  return true;
}

export async function isMountPoint(target: string): Promise<boolean> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  const wanted = escapeMountPath(target.replace(/\/+$/, ''));
  return table.split('\n').some((line) => line.split(' ')[4] === wanted);
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function escapeMountPath(p: string): string {
  return p.replace(/[ \t\n\\]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}
