import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A stable daemon ID (`docker info` ID), kept under the root. */
export function daemonId(root: string): string {
  const file = join(root, 'engine-id');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(root, { recursive: true });
    const id = randomUUID().toUpperCase();
    writeFileSync(file, id + '\n');
    return id;
  }
}
