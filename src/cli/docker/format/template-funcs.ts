/**
 * The functions templates can call: Go's builtins (and, or, not, len,
 * index, slice, print, printf, println, eq, ne, lt, le, gt, ge, urlquery)
 * and the docker CLI's (json, split, join, title, lower, upper, pad,
 * truncate), plus the header variants a table's title row is made with.
 */
import { goString, sprint, sprintf } from './go-print.js';
import { TemplateError } from './template-parse.js';

export type TemplateFunc = (...args: unknown[]) => unknown;
export type FuncMap = Record<string, TemplateFunc>;

export function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

/** Values with this method encode themselves (Go's json.Marshaler). */
export interface GoMarshaler {
  goMarshalJSON(): string;
}

/** The `json` template function (an encoder with HTML escaping off). */
export function jsonFunc(v: unknown): string {
  if (typeof v === 'object' && v !== null && typeof (v as Partial<GoMarshaler>).goMarshalJSON === 'function') return (v as GoMarshaler).goMarshalJSON();
  return JSON.stringify(v === undefined ? null : v, (_k, x: unknown) => (typeof x === 'object' && x !== null && typeof (x as Partial<GoMarshaler>).goMarshalJSON === 'function' ? JSON.parse((x as GoMarshaler).goMarshalJSON()) : x)) ?? 'null';
}

/** The docker CLI's template functions (templates.basicFunctions). */
export const dockerFuncs: FuncMap = {
  json: jsonFunc,
  split: (s, sep) => String(s).split(String(sep)),
  join: (a, sep) => (Array.isArray(a) ? a.map((x) => goString(x)).join(String(sep)) : goString(a)),
  title: (s) => String(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase()),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  pad: (s, prefix, suffix) => (String(s) === '' ? '' : ' '.repeat(Number(prefix)) + String(s) + ' '.repeat(Number(suffix))),
  truncate: (s, n) => (String(s).length < Number(n) ? String(s) : String(s).slice(0, Number(n))),
};

/** templates.HeaderFunctions: keep the header text intact. */
export const headerFuncs: FuncMap = {
  json: (v) => v,
  split: (v) => v,
  join: (v) => v,
  title: (v) => v,
  lower: (v) => v,
  upper: (v) => v,
  truncate: (v) => v,
};

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new TemplateError(`incompatible types for comparison`);
  const x = a as number | string;
  const y = b as number | string;
  return op === 'lt' ? x < y : op === 'le' ? x <= y : op === 'gt' ? x > y : x >= y;
}

export const builtins: FuncMap = {
  and: (...a) => a.find((x) => !truth(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truth(x)) ?? a[a.length - 1],
  not: (a) => !truth(a),
  len: (a) => {
    if (typeof a === 'string' || Array.isArray(a)) return a.length;
    if (a instanceof Map) return a.size;
    if (a !== null && typeof a === 'object') return Object.keys(a).length;
    throw new TemplateError(`len of type ${typeof a}`);
  },
  index: (a, ...keys) => {
    let v = a;
    for (const k of keys) {
      if (v === null || v === undefined) throw new TemplateError('index of untyped nil');
      if (v instanceof Map) v = v.get(k);
      else if (Array.isArray(v) || typeof v === 'string') {
        if (typeof k !== 'number' || k < 0 || k >= v.length) throw new TemplateError(`error calling index: index out of range: ${goString(k)}`);
        v = Array.isArray(v) ? v[k] : v.charCodeAt(k);
      } else v = (v as Record<string, unknown>)[String(k)];
    }
    return v;
  },
  slice: (a, ...idx) => {
    if (typeof a !== 'string' && !Array.isArray(a)) throw new TemplateError('can\'t slice item');
    return a.slice(Number(idx[0] ?? 0), idx[1] === undefined ? undefined : Number(idx[1]));
  },
  print: (...a) => sprint(a),
  printf: (f, ...a) => sprintf(String(f), a),
  println: (...a) => a.map((x) => goString(x)).join(' ') + '\n',
  eq: (a, ...b) => b.some((x) => compare('eq', a, x)),
  ne: (a, b) => compare('ne', a, b),
  lt: (a, b) => compare('lt', a, b),
  le: (a, b) => compare('le', a, b),
  gt: (a, b) => compare('gt', a, b),
  ge: (a, b) => compare('ge', a, b),
  urlquery: (...a) => encodeURIComponent(sprint(a)),
};

