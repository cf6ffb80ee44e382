import { invalidArgument } from '../../core/index.js';
import type { Mount } from '../../platform/linux/mount.js';

/**
 * Docker's local volume driver options (`docker volume create -o`):
 * `type`, `device` and `o` describe a mount performed on the volume's
 * `_data` while a container uses it; `size` asks for a quota.
 */
const VALID = ['type', 'o', 'device', 'size'];
/** Option → the options it requires, checked in this order. */
const REQUIRED: [string, string[]][] = [
  ['device', ['type']],
  ['type', ['device']],
  ['o', ['device', 'type']],
];

/** Throws Docker's messages for options the local driver refuses. */
export function validateLocalOptions(options: Record<string, string> | null | undefined): void {
  if (!options) return;
  const keys = Object.keys(options);
  if (keys.length === 0) return;
  for (const key of keys) if (!VALID.includes(key)) throw invalidArgument(`invalid option: "${key}"`);
  for (const [key, needs] of REQUIRED) {
    if (!(key in options)) continue;
    for (const need of needs) if (!(need in options)) throw invalidArgument(`missing required option: "${need}"`);
  }
  // dockerd implements size only as an XFS project quota; Berth has no quota support.
  if ('size' in options) throw invalidArgument('quota size requested but no quota support');
}

/** True when the volume's data lives on a mount made at use time. */
export function hasMountOptions(options: Record<string, string> | null | undefined): boolean {
  return options !== null && options !== undefined && options['type'] !== undefined;
}

/** The mount that backs a volume with options, described for mountAll(). */
export function localVolumeMount(options: Record<string, string>): Mount {
  const type = options['type'] ?? 'none';
  const source = options['device'] ?? '';
  const opts = (options['o'] ?? '').split(',').filter((o) => o !== '');
  if (opts.includes('bind')) return { type: 'bind', source, options: opts };
  // mount(8) performs rbind for any type; 'none' keeps mountAll from using --bind.
  if (opts.includes('rbind')) return { type: 'none', source, options: opts };
  return { type, source, options: opts };
}
