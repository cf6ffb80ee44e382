import { lstat, readdir } from 'node:fs/promises';
import type { Usage } from './types.js';

/**
 * Docker's directory.Size: the lstat size of everything that is not a
 * directory (symlinks count their target's length), each inode once.
 */
export async function dirUsage(root: string): Promise<Usage> {
  const seen = new Set<string>();
  let size = 0;
  let inodes = 0;
  const visit = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = `${dir}/${name}`;
      const st = await lstat(path).catch(() => undefined);
      if (!st) continue;
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inodes++;
      if (st.isDirectory()) await visit(path);
      else size += st.size;
    }
  };
  await visit(root);
  return { size, inodes };
}
