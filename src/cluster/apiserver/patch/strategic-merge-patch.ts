/**
 * Strategic merge patch, server side (apimachinery StrategicMergeMapPatch
 * with MergeParallelList and IgnoreUnmatchedNulls): maps merge, nulls
 * delete, lists merge by their patch merge key (or as sets of primitives)
 * when the schema says `patchStrategy: merge` and are replaced otherwise.
 * Directives: `$patch: replace|delete` (maps and list items), `$patch:
 * merge` (rejected in lists, as upstream), `$retainKeys`,
 * `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
 */
import type { TypeStructure } from './index.js';
import { deducedStructure } from './openapi-structure.js';
import { SmpError, ERR_PRIMITIVE_LIST_FORMAT, ERR_RETAIN_KEYS_FORMAT, ERR_SET_ELEMENT_ORDER_FORMAT } from './smp-errors.js';
import {
  deduplicateScalars, deleteFromSlice, discardNulls, errBadArgType, errNoMergeKey, extractToDeleteItems, findMapByKey, goKind,
  normalizeElementOrder, partitionByPresence, removeDirectives, sliceElementKind,
} from './smp-lists.js';
import { badRequest } from './patch-errors.js';
import { deepClone, goFormat, isObject, type JsonObject, type JsonValue } from './json-value.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList';
const SET_ORDER_PREFIX = '$setElementOrder';

interface FieldMeta {
  structure: TypeStructure;
  strategy: string;
  mergeKey: string;
}

/**
 * Applies a strategic merge patch to a copy of `original`. `structure` is
 * the kind's structure (built-in types only: the API server answers 415
 * for custom resources before getting here).
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject | string | Uint8Array, structure: TypeStructure): JsonObject {
  const patchMap = typeof patch === 'string' || patch instanceof Uint8Array ? parsePatchMap(patch) : deepClone(patch);
  try {
    return mergeMap(deepClone(original), patchMap, structure);
  } catch (err) {
    if (err instanceof SmpError) throw err.toBerthError();
    throw err;
  }
}

function parsePatchMap(body: string | Uint8Array): JsonObject {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest(err instanceof Error ? err.message : String(err));
  }
  if (!isObject(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
    if (parsed === null) return {};
    throw badRequest(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return parsed;
}

/** Strategy and merge key of a field, and the structure to use below it (list items for lists). */
function lookup(structure: TypeStructure, key: string, asList: boolean): FieldMeta {
  const field = structure.field(key) ?? structure.elements() ?? deducedStructure();
  const { strategy } = splitStrategies(field.patchStrategy);
  const below = asList ? (field.elements() ?? deducedStructure()) : field;
  return { structure: below, strategy, mergeKey: field.patchMergeKey ?? '' };
}

/** extractRetainKeysPatchStrategy: "merge,retainKeys" → merge (retainKeys only matters to the client). */
function splitStrategies(raw: string | undefined): { retainKeys: boolean; strategy: string } {
  const parts = raw === undefined || raw === '' ? [] : raw.split(',');
  if (parts.length === 0) return { retainKeys: false, strategy: '' };
  if (parts.length === 1) return parts[0] === 'retainKeys' ? { retainKeys: true, strategy: '' } : { retainKeys: false, strategy: parts[0] ?? '' };
  if (parts.length === 2 && parts[0] === 'retainKeys') return { retainKeys: true, strategy: parts[1] ?? '' };
  if (parts.length === 2 && parts[1] === 'retainKeys') return { retainKeys: true, strategy: parts[0] ?? '' };
  throw new SmpError(`unexpected patch strategy: [${parts.join(' ')}]`);
}

function mergeMap(original: JsonObject, patch: JsonObject, structure: TypeStructure): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return handleMapDirective(patch[DIRECTIVE] ?? null, patch);
  applyRetainKeys(original, patch);
  mergeSetElementOrder(original, patch, structure);

  for (const [rawKey, patchV] of Object.entries(patch)) {
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      key = extractKey(rawKey, DELETE_PRIMITIVE_PREFIX);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    if (!Object.hasOwn(original, key)) {
      if (!isDeleteList) setRemovingDirectives(original, key, patchV);
      continue;
    }
    const orig = original[key] as JsonValue;
    const origKind = goKind(orig);
    if (origKind !== goKind(patchV)) {
      if (!isDeleteList) setRemovingDirectives(original, key, patchV);
      continue;
    }
    if (origKind === 'map') {
      const meta = lookup(structure, key, false);
      original[key] = meta.strategy === 'replace' ? (patchV as JsonObject) : mergeMap(orig as JsonObject, patchV as JsonObject, meta.structure);
    } else if (origKind === 'slice') {
      const meta = lookup(structure, key, true);
      original[key] = mergeSliceHandler(orig as JsonValue[], patchV as JsonValue[], meta, isDeleteList);
    } else {
      setRemovingDirectives(original, key, patchV);
    }
  }
  return original;
}

function setRemovingDirectives(target: JsonObject, key: string, value: JsonValue): void {
  discardNulls(value);
  const r = removeDirectives(value);
  if (r.keep) target[key] = r.value;
  else delete target[key];
}

function handleMapDirective(directive: JsonValue, patch: JsonObject): JsonObject {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw new SmpError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_PRIMITIVE_PREFIX) throw ERR_PRIMITIVE_LIST_FORMAT();
    if (prefix === SET_ORDER_PREFIX) throw ERR_SET_ELEMENT_ORDER_FORMAT();
    throw new SmpError(`fail to find unknown prefix ${JSON.stringify(prefix)} in ${s}`);
  }
  return s.slice(slash + 1);
}

/** `$retainKeys`: every other patch key must be listed; unlisted keys of the original are cleared. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw ERR_RETAIN_KEYS_FORMAT();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE_PREFIX) || k.startsWith(SET_ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw ERR_RETAIN_KEYS_FORMAT();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** `$setElementOrder/<list>`: merges that list now and orders it, then drops both from the patch. */
function mergeSetElementOrder(original: JsonObject, patch: JsonObject, structure: TypeStructure): void {
  for (const [directiveKey, order] of Object.entries(patch)) {
    if (!directiveKey.startsWith(SET_ORDER_PREFIX)) continue;
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw errBadArgType('slice', order);
    const key = extractKey(directiveKey, SET_ORDER_PREFIX);
    const foundOriginal = Object.hasOwn(original, key);
    const foundPatch = Object.hasOwn(patch, key);
    const originalList = original[key];
    const patchList = patch[key];
    if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType('slice', originalList);
    if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('slice', patchList);
    const meta = lookup(structure, key, true);
    validateAgainstOrder(foundPatch ? (patchList as JsonValue[]) : [], order, meta.mergeKey);

    let merged: JsonValue[];
    if (foundOriginal && !foundPatch) merged = originalList as JsonValue[];
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList as JsonValue[]).value as JsonValue[];
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList as JsonValue[], patchList as JsonValue[], meta, false);
    else continue;

    const { patch: inPatch, serverOnly } = partitionByPresence(merged, order, meta.mergeKey);
    const kind = sliceElementKind(foundOriginal ? (originalList as JsonValue[]) : undefined, foundPatch ? (patchList as JsonValue[]) : undefined);
    original[key] = normalizeElementOrder(inPatch, serverOnly, order, foundOriginal ? (originalList as JsonValue[]) : [], meta.mergeKey, kind);
    delete patch[key];
  }
}

/** The patch list's items must appear in `$setElementOrder` in the same relative order. */
function validateAgainstOrder(patchList: readonly JsonValue[], order: readonly JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey === '' ? patchList : extractToDeleteItems(patchList).keep;
  let p = 0;
  let o = 0;
  while (p < nonDelete.length && o < order.length) {
    const item = nonDelete[p] as JsonValue;
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyEqual(item, order[o] as JsonValue, mergeKey)) p++;
    o++;
  }
  if (p < nonDelete.length && o >= order.length) {
    throw new SmpError(`the order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ORDER_PREFIX} list:\n${goFormat(order)}`);
  }
}

function mergeKeyEqual(left: JsonValue, right: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isObject(left)) throw errBadArgType('map', left);
  if (!isObject(right)) throw errBadArgType('map', right);
  if (!Object.hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!Object.hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function mergeSliceHandler(original: JsonValue[], patch: JsonValue[], meta: FieldMeta, isDeleteList: boolean): JsonValue[] {
  // Deletion lists work the same whatever the field's strategy.
  if (meta.strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, meta, isDeleteList);
  return patch;
}

function mergeSlice(original: JsonValue[], patch: JsonValue[], meta: FieldMeta, isDeleteList: boolean): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  const mergeKey = meta.mergeKey;
  let merged: JsonValue[];
  let orig = original;
  let items = patch;
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = deduplicateScalars(original.concat(patch));
  } else {
    if (mergeKey === '') throw new SmpError('cannot merge lists without merge key for type map');
    ({ original: orig, patch: items } = mergeSpecialElements(original, patch, mergeKey));
    merged = mergeWithoutSpecialElements(orig, items, mergeKey, meta.structure);
  }
  const parts = partitionByPresence(merged, items, mergeKey === '' || kind !== 'map' ? '' : mergeKey);
  return normalizeElementOrder(parts.patch, parts.serverOnly, items, orig, kind === 'map' ? mergeKey : '', kind);
}

/** Handles list items carrying `$patch`; returns the updated original and the plain patch items. */
function mergeSpecialElements(original: JsonValue[], patch: JsonValue[], mergeKey: string): { original: JsonValue[]; patch: JsonValue[] } {
  const plain: JsonValue[] = [];
  let replace = false;
  let orig = original;
  for (const v of patch) {
    const item = v as JsonObject;
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const value = item[mergeKey];
      orig = orig.filter((o) => !(isObject(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === value));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new SmpError('merging lists cannot yet be specified in the patch');
    } else {
      throw new SmpError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(item)}`);
    }
  }
  return replace ? { original: plain, patch: [] } : { original: orig, patch: plain };
}

function mergeWithoutSpecialElements(original: JsonValue[], patch: JsonValue[], mergeKey: string, structure: TypeStructure): JsonValue[] {
  const out = original.slice();
  for (const v of patch) {
    const item = v as JsonObject;
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const found = findMapByKey(out, mergeKey, item[mergeKey]);
    if (found !== undefined) out[found.index] = mergeMap(found.map, item, structure);
    else out.push(v);
  }
  return out;
}
