/**
 * Field errors and their messages, word for word as
 * k8s.io/apimachinery/pkg/util/validation/field (ErrorBody) and
 * apimachinery/pkg/api/errors.NewInvalid render them.
 */
import type { FieldError, FieldErrorType, StatusCause } from './types.js';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose message never shows the value. */
const valueless = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** A bad value rendered the way Go's %#v shows it (1.32 prints non-scalar values that way). */
export class GoValue {
  constructor(readonly text: string) {}
}

const goString = (s: string): string => JSON.stringify(s);

/** `map[string]string{"a":"b", "c":"d"}` (sorted keys), as %#v prints a Go map. */
export function goStringMap(m: Record<string, unknown>): GoValue {
  const entries = Object.keys(m).sort().map((k) => `${goString(k)}:${goString(String(m[k]))}`);
  return new GoValue(`map[string]string{${entries.join(', ')}}`);
}

export function goStringSlice(a: readonly unknown[]): GoValue {
  return new GoValue(`[]string{${a.map((x) => goString(String(x))).join(', ')}}`);
}

function renderValue(v: unknown): string {
  if (v instanceof GoValue) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return 'null';
  return JSON.stringify(v);
}

export function errorBody(type: FieldErrorType, detail: string, badValue?: unknown, hasValue = true): string {
  let s = typeText[type];
  if (!valueless.has(type) && hasValue) s += `: ${renderValue(badValue)}`;
  if (detail !== '') s += `: ${detail}`;
  return s;
}

function make(type: FieldErrorType, field: string, detail: string, value?: { v: unknown }): FieldError {
  const e: FieldError = { type, field, detail, message: errorBody(type, detail, value?.v, value !== undefined) };
  if (value !== undefined) e.badValue = value.v;
  return e;
}

export const fieldErrors = {
  required: (field: string, detail = ''): FieldError => make('FieldValueRequired', field, detail),
  invalid: (field: string, value: unknown, detail: string): FieldError => make('FieldValueInvalid', field, detail, { v: value }),
  typeInvalid: (field: string, value: unknown, detail: string): FieldError => make('FieldValueTypeInvalid', field, detail, { v: value }),
  notSupported: (field: string, value: unknown, valid: readonly string[]): FieldError =>
    make('FieldValueNotSupported', field, valid.length === 0 ? '' : `supported values: ${valid.map((x) => JSON.stringify(x)).join(', ')}`, { v: value }),
  duplicate: (field: string, value: unknown): FieldError => make('FieldValueDuplicate', field, '', { v: value }),
  notFound: (field: string, value: unknown): FieldError => make('FieldValueNotFound', field, '', { v: value }),
  forbidden: (field: string, detail: string): FieldError => make('FieldValueForbidden', field, detail),
  tooLong: (field: string, maxLength: number): FieldError =>
    make('FieldValueTooLong', field, maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long'),
  tooMany: (field: string, actual: number, max: number): FieldError =>
    make('FieldValueTooMany', field, max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items', { v: actual }),
  internal: (field: string, detail: string): FieldError => make('InternalError', field, detail),
};

/** `field: body`, as field.Error.Error(). */
export function fieldErrorString(e: FieldError): string {
  return `${e.field}: ${e.message}`;
}

export function toStatusCauses(errors: readonly FieldError[]): StatusCause[] {
  return errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
}

/**
 * The 422 message: `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be ...`.
 * Several errors are joined as utilerrors.Aggregate does ("[a, b]"), with duplicates dropped.
 */
export function invalidMessage(group: string, kind: string, name: string, errors: readonly FieldError[]): string {
  const qualified = group === '' ? kind : `${kind}.${group}`;
  const msgs = [...new Set(errors.map(fieldErrorString))];
  if (msgs.length === 0) return `${qualified} "${name}" is invalid`;
  const agg = msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
  return `${qualified} "${name}" is invalid: ${agg}`;
}

/** Builds child paths like field.Path: `spec.containers[0].name`, `metadata.labels[app]`. */
export class FieldPath {
  constructor(readonly path: string) {}
  child(name: string): FieldPath {
    return new FieldPath(this.path === '' ? name : `${this.path}.${name}`);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.path}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.path}[${k}]`);
  }
  toString(): string {
    return this.path;
  }
}

export const root = (name: string): FieldPath => new FieldPath(name);
