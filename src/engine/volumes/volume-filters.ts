import { invalidArgument, labelsMatch, type Filters } from '../../core/index.js';
import type { VolumeRecord } from './types.js';

/** What a filter may ask about a volume besides its record. */
export interface VolumeFacts {
  inUse(name: string): boolean;
}

export type VolumePredicate = (v: VolumeRecord) => boolean;

const LIST_KEYS = ['name', 'driver', 'dangling', 'label'];
const PRUNE_KEYS = ['label', 'label!'];

/** Docker's volume filters word their errors with a capital I (volume/service/errors.go). */
function checkKeys(filters: Filters, allowed: readonly string[]): void {
  for (const key of filters.keys()) if (!allowed.includes(key)) throw invalidArgument(`Invalid filter '${key}'`);
}

/** `GET /volumes` filters: name (substring/regexp), driver, dangling, label. */
export function listPredicate(filters: Filters, facts: VolumeFacts): VolumePredicate {
  checkKeys(filters, LIST_KEYS);
  const names = filters.get('name');
  const drivers = filters.get('driver');
  const dangling = danglingFilter(filters);
  return (v) =>
    (names === undefined || names.length === 0 || names.some((n) => nameMatches(n, v.Name))) &&
    (drivers === undefined || drivers.length === 0 || drivers.includes(v.Driver)) &&
    labelsMatch(filters, v.Labels) &&
    (dangling === undefined || facts.inUse(v.Name) !== dangling);
}

/**
 * `POST /volumes/prune` filters (API 1.41: every unused local volume, not
 * only anonymous ones). Volumes with driver options are never pruned: they
 * may point at data outside Berth (a bind device, a remote share).
 */
export function prunePredicate(filters: Filters, facts: VolumeFacts): VolumePredicate {
  checkKeys(filters, PRUNE_KEYS);
  const exclude = filters.get('label!');
  return (v) =>
    v.Driver === 'local' &&
    (v.Options === null || Object.keys(v.Options).length === 0) &&
    !facts.inUse(v.Name) &&
    labelsMatch(filters, v.Labels) &&
    !(exclude !== undefined && exclude.length > 0 && Object.keys(v.Labels ?? {}).length > 0 && labelsMatch(filters, v.Labels, 'label!'));
}

/** Docker: true/1 wins over false/0; anything else is refused. */
function danglingFilter(filters: Filters): boolean | undefined {
  const values = filters.get('dangling');
  if (values === undefined) return undefined;
  if (values.includes('true') || values.includes('1')) return true;
  if (values.includes('false') || values.includes('0')) return false;
  throw invalidArgument(`Invalid filter 'dangling=[${values.join(' ')}]'`);
}

/** Docker's filters.Match: an exact name, or a regular expression found in it. */
function nameMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return false;
  }
}
