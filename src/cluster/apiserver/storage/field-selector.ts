/**
 * Field selectors: `f=v`, `f==v`, `f!=v`, comma-separated and ANDed, over the
 * kind's selectable fields. Unsupported fields are a 400, like upstream's
 * "field label not supported".
 */
import { badRequestError } from '../errors.js';
import type { KubeObject, ResourceType } from '../types.js';
import { fieldGetter } from './selectable-fields.js';

export type ObjectMatcher = (obj: KubeObject) => boolean;

export interface ParsedFieldSelector {
  match: ObjectMatcher;
  /** Set when the selector pins metadata.name (narrows watches and lists). */
  name?: string;
  /** Set when the selector pins metadata.namespace. */
  namespace?: string;
}

/** Unescapes `\,` `\=` `\\` as fields.UnescapeValue does. */
function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '\\') { cur += c + (s[i + 1] ?? ''); i++; continue; }
    if (c === sep) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

export function parseFieldSelector(selector: string | null | undefined, type: ResourceType, crdFields: Record<string, string> = {}): ParsedFieldSelector | undefined {
  if (selector === null || selector === undefined || selector.trim() === '') return undefined;
  const get = fieldGetter(type, crdFields);
  const tests: ObjectMatcher[] = [];
  const parsed: ParsedFieldSelector = { match: () => true };
  for (const term of splitUnescaped(selector, ',').map((t) => t.trim()).filter((t) => t !== '')) {
    const m = /^([^=!]+?)\s*(!=|==|=)\s*(.*)$/.exec(term);
    if (m === null) throw badRequestError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = (m[1] ?? '').trim();
    const value = unescape(m[3] ?? '');
    const extract = get(field);
    if (extract === undefined) throw badRequestError(`field label not supported: ${field}`);
    if (m[2] === '!=') tests.push((o) => extract(o) !== value);
    else {
      tests.push((o) => extract(o) === value);
      if (field === 'metadata.name') parsed.name = value;
      if (field === 'metadata.namespace') parsed.namespace = value;
    }
  }
  parsed.match = (o) => tests.every((t) => t(o));
  return parsed;
}
