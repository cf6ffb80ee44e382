/**
 * The list half of the strategic merge patch (apimachinery strategicpatch):
 * merging lists by merge key or as sets of primitives, the `$patch`
 * directives inside lists, parallel deletion lists, and the order
 * normalisation that keeps `$setElementOrder` > patch order > live order.
 */
import { ERR_NO_LIST_OF_LISTS, SmpError } from './smp-errors.js';
import { goFormat, isObject, type JsonObject, type JsonValue } from './json-value.js';

/** Go's reflect kind of a decoded JSON value, as the SMP code compares types. */
export type GoKind = 'map' | 'slice' | 'string' | 'int' | 'float' | 'bool' | 'nil';

export function goKind(v: JsonValue | undefined): GoKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int' : 'float';
}

const GO_TYPE_NAMES: Record<GoKind, string> = {
  map: 'map[string]interface {}',
  slice: '[]interface {}',
  string: 'string',
  int: 'int64',
  float: 'float64',
  bool: 'bool',
  nil: '<nil>',
};

export function errBadArgType(expected: GoKind, actual: JsonValue | undefined): SmpError {
  return new SmpError(`expected a ${GO_TYPE_NAMES[expected]}, but received a ${GO_TYPE_NAMES[goKind(actual)]}`);
}

export function errNoMergeKey(m: JsonObject, key: string): SmpError {
  return new SmpError(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

/** The common element kind of the lists; errors on mixed kinds and lists of lists. */
export function sliceElementKind(...lists: (readonly JsonValue[] | undefined)[]): GoKind {
  let prev: GoKind | undefined;
  for (const list of lists) {
    for (const v of list ?? []) {
      const k = goKind(v);
      if (prev === undefined) {
        prev = k;
        if (k === 'slice') throw ERR_NO_LIST_OF_LISTS();
      } else if (prev !== k) {
        throw new SmpError(`list element types are not identical: ${goFormat(lists.map((l) => l ?? []))}`);
      }
    }
  }
  if (prev === undefined) throw new SmpError('no elements in any of the given slices');
  return prev;
}

function mergeKeyOf(item: JsonValue | undefined, mergeKey: string, kind: GoKind): JsonValue | undefined {
  if (kind !== 'map') return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

/** Index of the item (by merge key value for maps) in the list, or -1. */
export function indexOf(list: readonly JsonValue[], item: JsonValue, mergeKey: string, kind: GoKind): number {
  const want = mergeKeyOf(item, mergeKey, kind);
  for (let i = 0; i < list.length; i++) if (mergeKeyOf(list[i], mergeKey, kind) === want) return i;
  return -1;
}

export function findMapByKey(list: readonly JsonValue[], key: string, value: JsonValue | undefined): { map: JsonObject; index: number } | undefined {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isObject(v)) throw new SmpError(`value for key ${i} is not a map`);
    if (Object.hasOwn(v, key) && v[key] === value) return { map: v, index: i };
  }
  return undefined;
}

/** Go's in-place deduplication: a duplicate is overwritten by the last element. */
export function deduplicateScalars(input: JsonValue[]): JsonValue[] {
  const s = input.slice();
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length] as JsonValue;
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

export function deleteFromSlice(current: readonly JsonValue[], toDelete: readonly JsonValue[]): JsonValue[] {
  const del = new Set(toDelete);
  return current.filter((v) => !del.has(v));
}

/** Items with `$patch: delete` go last; the rest keep their order. */
export function extractToDeleteItems(list: readonly JsonValue[]): { keep: JsonValue[]; remove: JsonValue[] } {
  const keep: JsonValue[] = [];
  const remove: JsonValue[] = [];
  for (const v of list) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (v['$patch'] === 'delete') remove.push(v);
    else keep.push(v);
  }
  return { keep, remove };
}

/** sort.SliceStable with the upstream comparator (insertion sort: stable, and identical for these sizes). */
function stableSort(list: JsonValue[], less: (a: JsonValue, b: JsonValue) => boolean): void {
  for (let i = 1; i < list.length; i++) {
    for (let j = i; j > 0 && less(list[j] as JsonValue, list[j - 1] as JsonValue); j--) {
      const t = list[j] as JsonValue;
      list[j] = list[j - 1] as JsonValue;
      list[j - 1] = t;
    }
  }
}

function normalizeSliceOrder(toSort: readonly JsonValue[], order: readonly JsonValue[], mergeKey: string, kind: GoKind): JsonValue[] {
  let items = toSort.slice();
  let deleted: JsonValue[] = [];
  if (kind === 'map') {
    for (const list of [items, order]) {
      for (const item of list) {
        if (!isObject(item)) throw errBadArgType('map', item);
        if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    const split = extractToDeleteItems(items);
    items = split.keep;
    deleted = split.remove;
  }
  stableSort(items, (a, b) => {
    const ia = indexOf(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexOf(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return items.concat(deleted);
}

/** Interleaves server-only items into patch items, keeping both relative orders (live order breaks ties). */
function mergeSortedSlice(left: readonly JsonValue[], right: readonly JsonValue[], serverOrder: readonly JsonValue[], mergeKey: string, kind: GoKind): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++] as JsonValue);
    else if (j >= right.length) out.push(left[i++] as JsonValue);
    else {
      const li = indexOf(serverOrder, left[i] as JsonValue, mergeKey, kind);
      const ri = indexOf(serverOrder, right[j] as JsonValue, mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++] as JsonValue);
      else out.push(right[j++] as JsonValue);
    }
  }
  return out;
}

export function normalizeElementOrder(patch: readonly JsonValue[], serverOnly: readonly JsonValue[], patchOrder: readonly JsonValue[], serverOrder: readonly JsonValue[], mergeKey: string, kind: GoKind): JsonValue[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

/** Splits `list` into items present in `by` and the rest. */
export function partitionByPresence(list: readonly JsonValue[], by: readonly JsonValue[], mergeKey: string): { patch: JsonValue[]; serverOnly: JsonValue[] } {
  const patch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  if (mergeKey === '') {
    const present = new Set(by);
    for (const v of list) (present.has(v) ? patch : serverOnly).push(v);
    return { patch, serverOnly };
  }
  for (const v of list) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (!Object.hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    (findMapByKey(by, mergeKey, v[mergeKey]) !== undefined ? patch : serverOnly).push(v);
  }
  return { patch, serverOnly };
}

/**
 * Removes `$patch` directives from a value being added wholesale: a map
 * carrying one is dropped (returns keep=false), lists drop such items.
 */
export function removeDirectives(v: JsonValue): { value: JsonValue; keep: boolean } {
  if (isObject(v)) {
    if (Object.hasOwn(v, '$patch')) return { value: null, keep: false };
    for (const [k, child] of Object.entries(v)) {
      const r = removeDirectives(child);
      if (r.keep) v[k] = r.value;
      else delete v[k];
    }
    return { value: v, keep: true };
  }
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const item of v) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  return { value: v, keep: true };
}

/** Drops null-valued keys from a value being added wholesale (IgnoreUnmatchedNulls). */
export function discardNulls(v: JsonValue): void {
  if (isObject(v)) {
    for (const [k, child] of Object.entries(v)) {
      if (child === null) delete v[k];
      else discardNulls(child);
    }
  } else if (Array.isArray(v)) {
    for (const item of v) discardNulls(item);
  }
}
