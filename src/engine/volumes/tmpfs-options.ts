import { invalidArgument } from '../../core/index.js';

/**
 * tmpfs mount options as dockerd builds them: `--mount type=tmpfs` sizes
 * and modes become mount data, and every tmpfs starts from
 * `noexec,nosuid,nodev,rprivate` with the user's options overriding.
 */

/** `TmpfsOptions` → mount data, the size with the largest suffix that divides it. */
export function convertTmpfsOptions(opt: { SizeBytes?: number; Mode?: number } | null | undefined, readOnly: boolean): string {
  const out: string[] = [];
  if (readOnly) out.push('ro');
  if (opt?.Mode) out.push(`mode=${opt.Mode.toString(8)}`);
  if (opt?.SizeBytes) {
    let size = opt.SizeBytes;
    let suffix = '';
    for (const [s, divisor] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
      if (size % divisor === 0) {
        size /= divisor;
        suffix = s;
        break;
      }
    }
    out.push(`size=${size}${suffix}`);
  }
  return out.join(',');
}

/** Mount flags and the group they collide in (one propagation mode in all). */
const FLAG_GROUPS: Record<string, string> = {
  ro: 'rdonly', rw: 'rdonly',
  suid: 'nosuid', nosuid: 'nosuid',
  dev: 'nodev', nodev: 'nodev',
  exec: 'noexec', noexec: 'noexec',
  sync: 'sync', async: 'sync',
  dirsync: 'dirsync',
  remount: 'remount',
  mand: 'mand', nomand: 'mand',
  atime: 'noatime', noatime: 'noatime',
  diratime: 'nodiratime', nodiratime: 'nodiratime',
  bind: 'bind', rbind: 'rbind',
  relatime: 'relatime', norelatime: 'relatime',
  strictatime: 'strictatime', nostrictatime: 'strictatime',
  unbindable: 'propagation', runbindable: 'propagation',
  private: 'propagation', rprivate: 'propagation',
  shared: 'propagation', rshared: 'propagation',
  slave: 'propagation', rslave: 'propagation',
};
const DATA_KEYS = ['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol'];

/** Later options win over earlier ones of the same kind (mount.MergeTmpfsOptions). */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seenFlags = new Set<string>();
  const seenData = new Set<string>();
  const out: string[] = [];
  for (let i = options.length - 1; i >= 0; i--) {
    const option = options[i] ?? '';
    if (option === 'defaults') continue;
    const group = FLAG_GROUPS[option];
    if (group !== undefined) {
      if (!seenFlags.has(group)) out.unshift(option);
      seenFlags.add(group);
      continue;
    }
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    if (eq < 0 || !DATA_KEYS.includes(key)) {
      const parts = eq < 0 ? [option] : [key, option.slice(eq + 1)];
      throw invalidArgument(`invalid tmpfs option [${parts.map((p) => JSON.stringify(p)).join(' ')}]`);
    }
    if (!seenData.has(key)) out.unshift(option);
    seenData.add(key);
  }
  return out;
}

/** The OCI mount options of a tmpfs with the given data. */
export function tmpfsMountOptions(data: string): string[] {
  return mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', ...data.split(',').filter((o) => o !== '')]);
}
