/**
 * Field sets and comparisons of typed values, after structured-merge-diff's
 * toFieldSet and compare walkers:
 * - toFieldSet: scalars, atomic lists/maps, list items and map entries
 *   (undeclared keys) are members; declared struct fields only through
 *   their leaves.
 * - compare: leaves land in Added/Modified/Removed; a container appearing or
 *   disappearing as a whole is recorded too (hence FieldsV1 ".").
 *   Empty or null containers on both sides count as leaves.
 */
import type { TypeStructure } from './index.js';
import { FieldSet } from './field-set.js';
import { fieldPE, type FieldPath } from './path-element.js';
import { indexItems, resolve } from './typed-resolve.js';
import { deepEqual, isObject, type JsonObject, type JsonValue } from './json-value.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** The set of fields a value sets (SMD TypedValue.ToFieldSet). */
export function toFieldSet(value: JsonValue, structure: TypeStructure): FieldSet {
  const set = new FieldSet();
  walkSet(value, structure, [], set);
  return set;
}

function walkSet(value: JsonValue, structure: TypeStructure, path: FieldPath, set: FieldSet): void {
  const r = resolve(structure, value);
  if (r.kind === 'scalar') {
    set.insert(path);
    return;
  }
  if (r.kind === 'list') {
    if (r.relationship === 'atomic') {
      set.insert(path);
      return;
    }
    if (!Array.isArray(value)) return;
    for (const item of indexItems(r, value, path)) {
      const p = [...path, item.pe];
      walkSet(item.value, r.element, p, set);
      set.insert(p);
    }
    return;
  }
  if (r.atomic) {
    set.insert(path);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const p = [...path, fieldPE(key)];
    walkSet(v, r.child(key), p, set);
    if (!r.declared(key)) set.insert(p);
  }
}

/** What changed from `lhs` to `rhs` (SMD TypedValue.Compare). */
export function compareObjects(lhs: JsonValue, rhs: JsonValue, structure: TypeStructure): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, structure, [], c);
  return c;
}

function leaf(lhs: JsonValue | undefined, rhs: JsonValue | undefined, path: FieldPath, c: Comparison): void {
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!deepEqual(lhs, rhs)) c.modified.insert(path);
}

function isEmptyContainer(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

function walkCompare(lhs: JsonValue | undefined, rhs: JsonValue | undefined, structure: TypeStructure, path: FieldPath, c: Comparison): void {
  const rl = resolve(structure, lhs);
  const rr = resolve(structure, rhs);
  const r = rhs === undefined ? rl : rr;
  // Values of different shapes (or a scalar position) compare as leaves.
  if (r.kind === 'scalar' || (lhs !== undefined && rhs !== undefined && rl.kind !== rr.kind)) {
    leaf(lhs, rhs, path, c);
    return;
  }
  const lc = lhs === null ? undefined : lhs;
  const rc = rhs === null ? undefined : rhs;
  const shapeOk = (v: JsonValue | undefined): boolean => v === undefined || (r.kind === 'list' ? Array.isArray(v) : isObject(v));
  if (!shapeOk(lc) || !shapeOk(rc) || (isEmptyContainer(lc) && isEmptyContainer(rc)) || (r.kind === 'list' ? r.relationship === 'atomic' : r.atomic)) {
    leaf(lhs, rhs, path, c);
    return;
  }
  if (r.kind === 'list') {
    const left = indexItems(r, (lc as JsonValue[] | undefined) ?? [], path);
    const right = indexItems(r, (rc as JsonValue[] | undefined) ?? [], path);
    const rightByKey = new Map(right.map((i) => [i.key, i]));
    const leftKeys = new Set(left.map((i) => i.key));
    for (const item of left) walkCompare(item.value, rightByKey.get(item.key)?.value, r.element, [...path, item.pe], c);
    for (const item of right) if (!leftKeys.has(item.key)) walkCompare(undefined, item.value, r.element, [...path, item.pe], c);
  } else {
    const lo = (lc as JsonObject | undefined) ?? {};
    const ro = (rc as JsonObject | undefined) ?? {};
    for (const key of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
      walkCompare(Object.hasOwn(lo, key) ? lo[key] : undefined, Object.hasOwn(ro, key) ? ro[key] : undefined, r.child(key), [...path, fieldPE(key)], c);
    }
  }
  // A whole container appearing or disappearing is itself added/removed.
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}
