/**
 * ObjectMeta, labels, annotations and label selectors, as
 * apimachinery/pkg/api/validation and apis/meta/v1/validation check them.
 */
import { fieldErrors, type FieldPath } from './field-errors.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameValidator } from './name-validation.js';
import type { FieldError } from './types.js';

export type Obj = Record<string, unknown>;
export const asObj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asStr = (v: unknown): string => (typeof v === 'string' ? v : '');

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export function validateLabels(labels: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(asObj(labels))) {
    for (const m of isQualifiedName(k)) errs.push(fieldErrors.invalid(path.path, k, m));
    const value = asStr(v);
    for (const m of isValidLabelValue(value)) errs.push(fieldErrors.invalid(path.key(k).path, value, m));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(asObj(annotations))) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid(path.path, k, m));
    total += k.length + asStr(v).length;
  }
  if (total > TOTAL_ANNOTATION_SIZE) errs.push(fieldErrors.tooLong(path.path, TOTAL_ANNOTATION_SIZE));
  return errs;
}

export interface MetaRules {
  namespaced: boolean;
  nameFn: NameValidator;
}

export function validateObjectMeta(meta: Obj, rules: MetaRules, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(meta['name']);
  const generateName = asStr(meta['generateName']);
  if (generateName !== '') {
    for (const m of rules.nameFn(generateName, true)) errs.push(fieldErrors.invalid(path.child('generateName').path, generateName, m));
  }
  if (name === '') {
    errs.push(fieldErrors.required(path.child('name').path, 'name or generateName is required'));
  } else {
    for (const m of rules.nameFn(name, false)) errs.push(fieldErrors.invalid(path.child('name').path, name, m));
  }
  const ns = asStr(meta['namespace']);
  if (rules.namespaced) {
    if (ns === '') errs.push(fieldErrors.required(path.child('namespace').path));
    else for (const m of isDNS1123Label(ns)) errs.push(fieldErrors.invalid(path.child('namespace').path, ns, m));
  } else if (ns !== '') {
    errs.push(fieldErrors.forbidden(path.child('namespace').path, 'not allowed on this type'));
  }
  const gen = meta['generation'];
  if (typeof gen === 'number' && gen < 0) errs.push(fieldErrors.invalid(path.child('generation').path, gen, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta['labels'], path.child('labels')));
  errs.push(...validateAnnotations(meta['annotations'], path.child('annotations')));
  return errs;
}

export function validateObjectMetaUpdate(meta: Obj, old: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp']) {
    if (old[f] !== undefined && meta[f] !== old[f]) errs.push(immutable(path.child(f).path, meta[f]));
  }
  return errs;
}

export function immutable(field: string, value: unknown): FieldError {
  return fieldErrors.invalid(field, value ?? null, 'field is immutable');
}

const SELECTOR_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: unknown, path: FieldPath): FieldError[] {
  const s = asObj(sel);
  const errs: FieldError[] = validateLabels(s['matchLabels'], path.child('matchLabels'));
  asArr(s['matchExpressions']).forEach((raw, i) => {
    const e = asObj(raw);
    const p = path.child('matchExpressions').index(i);
    const op = asStr(e['operator']);
    const values = asArr(e['values']);
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      errs.push(fieldErrors.required(p.child('values').path, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    } else if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      errs.push(fieldErrors.forbidden(p.child('values').path, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    } else if (!SELECTOR_OPS.includes(op)) {
      errs.push(fieldErrors.invalid(p.child('operator').path, op, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(asStr(e['key']))) errs.push(fieldErrors.invalid(p.child('key').path, e['key'], m));
  });
  return errs;
}

/** Whether a selector (matchLabels + matchExpressions) selects the given labels. */
export function selectorMatches(sel: unknown, labels: Record<string, unknown>): boolean {
  const s = asObj(sel);
  for (const [k, v] of Object.entries(asObj(s['matchLabels']))) if (labels[k] !== v) return false;
  for (const raw of asArr(s['matchExpressions'])) {
    const e = asObj(raw);
    const key = asStr(e['key']);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = asArr(e['values']);
    switch (e['operator']) {
      case 'In': if (!has || !values.includes(labels[key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldErrors.invalid(field, value, 'must be greater than or equal to 0')] : [];
}
