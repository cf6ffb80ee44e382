/**
 * Path elements of structured-merge-diff field paths: a field name, a list
 * item by key fields, a set item by value, or an index. Provides SMD's total
 * order (used for FieldsV1 output order), its human form (`.spec.containers
 * [name="c"].image`, used in conflict messages) and the FieldsV1 encoding
 * (`f:`, `k:{...}`, `v:`, `i:`).
 */
import { compareStrings, goJsonStringify, isObject, type JsonValue } from './json-value.js';

export interface KeyField {
  readonly name: string;
  readonly value: JsonValue;
}

export type PathElement =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly fields: readonly KeyField[] }
  | { readonly kind: 'value'; readonly value: JsonValue }
  | { readonly kind: 'index'; readonly index: number };

export type FieldPath = readonly PathElement[];

export const fieldPE = (name: string): PathElement => ({ kind: 'field', name });
export const indexPE = (index: number): PathElement => ({ kind: 'index', index });
export const valuePE = (value: JsonValue): PathElement => ({ kind: 'value', value });

/** A key element; fields are sorted by name as SMD keeps them. */
export function keyPE(fields: readonly KeyField[]): PathElement {
  return { kind: 'key', fields: fields.slice().sort((a, b) => compareStrings(a.name, b.name)) };
}

const KIND_ORDER = { field: 0, key: 1, value: 2, index: 3 } as const;

export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key':
      return compareKeyFields(a.fields, (b as typeof a).fields);
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return Math.sign(a.index - (b as typeof a).index);
  }
}

function compareKeyFields(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const fa = a[i] as KeyField;
    const fb = b[i] as KeyField;
    const c = compareStrings(fa.name, fb.name) || compareValues(fa.value, fb.value);
    if (c !== 0) return c;
  }
}

/** SMD's total order over values: numbers < strings < booleans < lists < maps < null. */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number') return Math.sign(a - (b as number));
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a)) {
    const bl = b as JsonValue[];
    for (let i = 0; ; i++) {
      if (i >= a.length && i >= bl.length) return 0;
      if (i >= a.length) return -1;
      if (i >= bl.length) return 1;
      const c = compareValues(a[i] as JsonValue, bl[i] as JsonValue);
      if (c !== 0) return c;
    }
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort(compareStrings);
    const kb = Object.keys(b).sort(compareStrings);
    return compareKeyFields(ka.map((name) => ({ name, value: a[name] as JsonValue })), kb.map((name) => ({ name, value: b[name] as JsonValue })));
  }
  return 0;
}

function rank(v: JsonValue): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null) return 4;
  return 5;
}

/** SMD's value.ToString, used inside human-readable paths. */
function valueToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  return Object.entries(v).map(([k, x]) => `${k}=${valueToString(x)}`).join('');
}

export function pathElementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map((f) => `${f.name}=${valueToString(f.value)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

export function pathToString(path: FieldPath): string {
  return path.map(pathElementToString).join('');
}

/** The FieldsV1 key of a path element. */
export function serializePathElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map((f) => `${goJsonStringify(f.name)}:${goJsonStringify(f.value)}`).join(',')}}`;
    case 'value':
      return `v:${goJsonStringify(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/** Parses a FieldsV1 key; undefined for element types this version does not know (upstream drops those). */
export function deserializePathElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new Error('key must be 2 characters long:');
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return fieldPE(body);
    case 'v':
      return valuePE(JSON.parse(body) as JsonValue);
    case 'k': {
      const parsed: unknown = JSON.parse(body);
      if (!isObject(parsed)) throw new Error(`expected an object in key path element: ${s}`);
      return keyPE(Object.entries(parsed).map(([name, value]) => ({ name, value })));
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(body)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(body)}: invalid syntax`);
      return indexPE(Number.parseInt(body, 10));
    }
    default:
      return undefined;
  }
}
