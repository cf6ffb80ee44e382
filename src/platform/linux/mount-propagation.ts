import { readFile, realpath } from 'node:fs/promises';

export interface MountPropagation {
  /** Mount point of the mount that holds the path. */
  mountPoint: string;
  shared: boolean;
  slave: boolean;
}

/**
 * Propagation of the mount holding path, read from /proc/self/mountinfo
 * (optional fields `shared:N` and `master:N`). The last mount on the longest
 * matching mount point wins, as the kernel stacks them.
 */
export async function mountPropagationOf(path: string): Promise<MountPropagation> {
  const real = await realpath(path);
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  let best: MountPropagation = { mountPoint: '/', shared: false, slave: false };
  let bestLen = -1;
  for (const line of table.split('\n')) {
    const fields = line.split(' ');
    const mountPoint = unescape(fields[4] ?? '');
    if (mountPoint === '') continue;
    const inside = mountPoint === '/' || real === mountPoint || real.startsWith(mountPoint + '/');
    if (!inside || mountPoint.length < bestLen) continue;
    const sep = fields.indexOf('-');
    const optional = fields.slice(6, sep < 0 ? undefined : sep);
    best = { mountPoint, shared: optional.some((o) => o.startsWith('shared:')), slave: optional.some((o) => o.startsWith('master:')) };
    bestLen = mountPoint.length;
  }
  return best;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescape(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
