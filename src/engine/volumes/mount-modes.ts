import { posix } from 'node:path';

/**
 * The comma-separated mode of a `-v` spec (`ro,z,rshared,nocopy,cached`) and
 * Docker's rules for it: each kind of option at most once.
 */
export const PROPAGATION_MODES = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared'];
export const DEFAULT_PROPAGATION = 'rprivate';
const RW_MODES = ['rw', 'ro'];
const LABEL_MODES = ['z', 'Z'];
const COPY_MODES = ['nocopy'];
const CONSISTENCY_MODES = ['consistent', 'cached', 'delegated'];

export function validMountMode(mode: string): boolean {
  if (mode === '') return true;
  const counts = [0, 0, 0, 0, 0];
  for (const o of mode.split(',')) {
    const kind = [RW_MODES, LABEL_MODES, PROPAGATION_MODES, COPY_MODES, CONSISTENCY_MODES].findIndex((set) => set.includes(o));
    if (kind < 0) return false;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts.every((n) => n <= 1);
}

/** Docker's ReadWrite(): false for an invalid mode or one holding `ro`. */
export function modeIsReadWrite(mode: string): boolean {
  return validMountMode(mode) && !mode.split(',').includes('ro');
}

export function modePropagation(mode: string): string | undefined {
  return mode.split(',').find((o) => PROPAGATION_MODES.includes(o));
}

export function modeHasNoCopy(mode: string): boolean {
  return mode.split(',').some((o) => COPY_MODES.includes(o));
}

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}
