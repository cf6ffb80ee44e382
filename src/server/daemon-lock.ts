import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failedPrecondition } from '../core/index.js';

/**
 * One daemon per state directory: a pid file that is taken over only when
 * its owner is gone (a crashed daemon must not block the next start).
 */
export function acquirePidFile(dir: string, name = 'berth.pid'): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid > 0 && pid !== process.pid && alive(pid)) {
      throw failedPrecondition(`another berth daemon (pid ${pid}) is using ${dir}`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
