/**
 * How structured-merge-diff sees a value at a position: a scalar leaf, a
 * map (struct or string-keyed map, granular or atomic), or a list (atomic,
 * set, or map keyed by fields), and which path element names a list item.
 * Untyped positions are deduced from the value like SMD's "deduced" type.
 */
import type { TypeStructure } from './index.js';
import { deducedStructure } from './openapi-structure.js';
import { indexPE, keyPE, pathToString, valuePE, type FieldPath, type KeyField, type PathElement } from './path-element.js';
import { isObject, type JsonValue } from './json-value.js';

export type Resolved =
  | { readonly kind: 'scalar' }
  | {
      readonly kind: 'map';
      readonly atomic: boolean;
      child(name: string): TypeStructure;
      declared(name: string): boolean;
      /** False when the schema lists properties and allows no others. */
      readonly allowsUnknown: boolean;
    }
  | { readonly kind: 'list'; readonly relationship: 'atomic' | 'set' | 'map'; readonly keys: readonly string[]; readonly element: TypeStructure };

const SCALAR: Resolved = { kind: 'scalar' };

function mapOf(structure: TypeStructure, atomic: boolean): Resolved {
  return {
    kind: 'map',
    atomic,
    child: (name) => structure.field(name) ?? structure.elements() ?? deducedStructure(),
    declared: (name) => structure.field(name) !== undefined,
    allowsUnknown: structure.kind === 'any' || structure.elements() !== undefined,
  };
}

/** Resolves the structure against a value (either side of a comparison may be missing or null). */
export function resolve(structure: TypeStructure, value: JsonValue | undefined): Resolved {
  switch (structure.kind) {
    case 'scalar':
      return SCALAR;
    case 'object':
      if (value === undefined || value === null || isObject(value)) return mapOf(structure, structure.mapType === 'atomic');
      return SCALAR;
    case 'list':
      if (value === undefined || value === null || Array.isArray(value)) {
        const keys = structure.listMapKeys;
        const lt = structure.listType ?? 'atomic';
        return { kind: 'list', relationship: lt === 'map' && keys.length === 0 ? 'set' : lt, keys, element: structure.elements() ?? deducedStructure() };
      }
      return SCALAR;
    case 'any':
      if (isObject(value)) return mapOf(structure, false);
      if (Array.isArray(value)) return { kind: 'list', relationship: 'atomic', keys: [], element: deducedStructure() };
      return SCALAR;
  }
}

/** A structured-merge-diff validation error, rendered "<path>: <message>". */
export class TypedError extends Error {
  constructor(readonly path: FieldPath, readonly detail: string) {
    super(path.length === 0 ? detail : `${pathToString(path)}: ${detail}`);
    this.name = 'TypedError';
  }
}

/** The path element naming item `index` of a list; throws TypedError for items the list type cannot key. */
export function itemPathElement(list: Extract<Resolved, { kind: 'list' }>, index: number, item: JsonValue, listPath: FieldPath): PathElement {
  const fail = (msg: string): never => {
    throw new TypedError(listPath, `element ${index}: ${msg}`);
  };
  if (list.relationship === 'atomic') return indexPE(index);
  if (list.keys.length > 0) {
    if (item === null) fail('associative list with keys may not have a null element');
    if (!isObject(item)) fail('associative list with keys may not have non-map elements');
    const obj = item as Record<string, JsonValue>;
    const fields: KeyField[] = [];
    for (const name of list.keys) {
      if (Object.hasOwn(obj, name)) {
        fields.push({ name, value: obj[name] as JsonValue });
        continue;
      }
      const def = list.element.field(name)?.defaultValue;
      if (def !== undefined) fields.push({ name, value: def });
      else fail(`associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`);
    }
    return keyPE(fields);
  }
  if (isObject(item)) fail("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) fail('not supported: associative list with lists as elements');
  if (item === null) fail("associative list without keys has an element that's an explicit null");
  return valuePE(item);
}

/** Items of a granular list with their path elements; later duplicates are dropped. */
export function indexItems(list: Extract<Resolved, { kind: 'list' }>, items: readonly JsonValue[], listPath: FieldPath): { pe: PathElement; key: string; value: JsonValue }[] {
  const out: { pe: PathElement; key: string; value: JsonValue }[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const pe = itemPathElement(list, i, item, listPath);
    const key = peKey(pe);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ pe, key, value: item });
  });
  return out;
}

export function peKey(pe: PathElement): string {
  return pe.kind === 'field' ? `f:${pe.name}` : JSON.stringify(pe);
}
