/**
 * Value operations of server-side apply, after structured-merge-diff:
 * - mergeApplied: the applied configuration merged over the live object
 *   (granular maps per key, keyed lists per item — live order first, new
 *   items appended — atomic values replaced);
 * - removeItems: the value without the paths of a field set (containers
 *   emptied by removal become null, as upstream);
 * - validateApplied: the checks SMD's typed conversion makes on an applied
 *   configuration (undeclared fields, list keys, duplicates).
 */
import type { TypeStructure } from './index.js';
import type { FieldSet } from './field-set.js';
import { fieldPE, pathElementToString, type FieldPath } from './path-element.js';
import { indexItems, itemPathElement, peKey, resolve, TypedError } from './typed-resolve.js';
import { isObject, type JsonObject, type JsonValue } from './json-value.js';

export function mergeApplied(lhs: JsonValue | undefined, rhs: JsonValue | undefined, structure: TypeStructure, path: FieldPath = []): JsonValue | undefined {
  const r = resolve(structure, rhs ?? lhs);
  const keepRhs = (): JsonValue | undefined => (rhs !== undefined ? rhs : lhs);
  if (r.kind === 'scalar') return keepRhs();
  const lc = lhs === null ? undefined : lhs;
  const rc = rhs === null ? undefined : rhs;
  const isList = r.kind === 'list';
  const fits = (v: JsonValue | undefined): boolean => v === undefined || (isList ? Array.isArray(v) : isObject(v));
  const empty = (v: JsonValue | undefined): boolean => v === undefined || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);
  if (!fits(lc) || !fits(rc) || (empty(lc) && empty(rc)) || (isList ? r.relationship === 'atomic' : r.atomic)) return keepRhs();

  if (r.kind === 'list') {
    const left = indexItems(r, (lc as JsonValue[] | undefined) ?? [], path);
    const right = indexItems(r, (rc as JsonValue[] | undefined) ?? [], path);
    const rightByKey = new Map(right.map((i) => [i.key, i]));
    const out: JsonValue[] = [];
    const seen = new Set<string>();
    for (const item of left) {
      seen.add(item.key);
      const merged = mergeApplied(item.value, rightByKey.get(item.key)?.value, r.element, [...path, item.pe]);
      if (merged !== undefined) out.push(merged);
    }
    for (const item of right) {
      if (seen.has(item.key)) continue;
      const merged = mergeApplied(undefined, item.value, r.element, [...path, item.pe]);
      if (merged !== undefined) out.push(merged);
    }
    return out.length > 0 ? out : undefined;
  }

  const lo = (lc as JsonObject | undefined) ?? {};
  const ro = (rc as JsonObject | undefined) ?? {};
  const out: JsonObject = {};
  for (const key of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
    const merged = mergeApplied(Object.hasOwn(lo, key) ? lo[key] : undefined, Object.hasOwn(ro, key) ? ro[key] : undefined, r.child(key), [...path, fieldPE(key)]);
    if (merged !== undefined) out[key] = merged;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The value without the members of `toRemove` (SMD RemoveItems). */
export function removeItems(value: JsonValue, toRemove: FieldSet, structure: TypeStructure): JsonValue {
  const r = resolve(structure, value);
  if (r.kind === 'scalar') return value;
  if (r.kind === 'list') {
    if (!Array.isArray(value) || value.length === 0 || r.relationship === 'atomic') return null;
    const out: JsonValue[] = [];
    value.forEach((item, i) => {
      const pe = itemPathElement(r, i, item, []);
      if (toRemove.hasMember(pe)) return;
      const subset = toRemove.withPrefix(pe);
      out.push(subset.empty() ? item : removeItems(item, subset, r.element));
    });
    return out.length > 0 ? out : null;
  }
  if (!isObject(value) || Object.keys(value).length === 0 || r.atomic) return null;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const pe = fieldPE(key);
    if (toRemove.hasMember(pe)) continue;
    const subset = toRemove.withPrefix(pe);
    out[key] = subset.empty() ? v : removeItems(v, subset, r.child(key));
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Drops null-valued object keys recursively: what decoding into Go types (or CRD pruning) does to them. */
export function dropNullFields(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : dropNullFields(v)));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNullFields(v);
  return out;
}

/** The errors SMD's typed conversion reports for an applied configuration. */
export function validateApplied(value: JsonValue, structure: TypeStructure, path: FieldPath = []): string[] {
  const errors: string[] = [];
  const at = (p: FieldPath, msg: string): void => {
    errors.push(p.length === 0 ? msg : `${p.map(pathElementToString).join('')}: ${msg}`);
  };
  const r = resolve(structure, value);
  if (r.kind === 'scalar') {
    if ((structure.kind === 'object' || structure.kind === 'list') && value !== null) at(path, `expected ${structure.kind === 'object' ? 'map' : 'list'}, got ${JSON.stringify(value)}`);
    return errors;
  }
  if (r.kind === 'list') {
    if (!Array.isArray(value)) return errors;
    const seen = new Set<string>();
    value.forEach((item, i) => {
      try {
        const pe = itemPathElement(r, i, item, path);
        const key = peKey(pe);
        if (r.relationship !== 'atomic' && seen.has(key)) at(path, `duplicate entries for key ${pathElementToString(pe)}`);
        seen.add(key);
        errors.push(...validateApplied(item, r.element, [...path, pe]));
      } catch (err) {
        if (err instanceof TypedError) errors.push(err.message);
        else throw err;
      }
    });
    return errors;
  }
  if (!isObject(value)) return errors;
  for (const [key, v] of Object.entries(value)) {
    const p = [...path, fieldPE(key)];
    if (!r.declared(key) && !r.allowsUnknown) {
      at(p, 'field not declared in schema');
      continue;
    }
    errors.push(...validateApplied(v, r.child(key), p));
  }
  return errors;
}
