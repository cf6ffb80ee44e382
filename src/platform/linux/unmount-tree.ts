import { readFile } from 'node:fs/promises';
import { unmount } from './mount.js';

/** Mount points at or under dir in our mount namespace, deepest first (mountinfo octal escapes decoded). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const base = dir.replace(/\/+$/, '');
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  const out: string[] = [];
  for (const line of table.split('\n')) {
    const raw = line.split(' ')[4];
    if (!raw) continue;
    const p = raw.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (p === base || p.startsWith(base + '/')) out.push(p);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or under dir, stacked mounts included; lazily when busy. */
export async function unmountTree(dir: string): Promise<void> {
  for (let round = 0; round < 16; round++) {
    const mounts = await mountsUnder(dir);
    if (mounts.length === 0) return;
    for (const m of mounts) {
      await unmount(m).catch(() => unmount(m, { lazy: true }).catch(() => {}));
    }
  }
}
