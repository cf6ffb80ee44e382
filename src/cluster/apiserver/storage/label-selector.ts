/**
 * Label selectors in Kubernetes' string syntax (k8s.io/apimachinery
 * pkg/labels): `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * `a>1`, `a<1`, comma-separated and ANDed.
 */
import { badRequestError } from '../errors.js';

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

interface Requirement {
  key: string;
  op: 'eq' | 'neq' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  values: string[];
}

const keyRe = /^([a-z0-9A-Z]([-a-z0-9A-Z.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string): Requirement {
  let m = /^!\s*(\S+)$/.exec(text);
  if (m) return check({ key: m[1] ?? '', op: '!', values: [] });
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (m) return check({ key: m[1] ?? '', op: m[2] === 'in' ? 'in' : 'notin', values: (m[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '') });
  m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(\S*)$/.exec(text);
  if (m) {
    const op = m[2] === '!=' ? 'neq' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : 'eq';
    return check({ key: m[1] ?? '', op, values: [m[3] ?? ''] });
  }
  if (keyRe.test(text)) return { key: text, op: 'exists', values: [] };
  throw badRequestError(`unable to parse requirement: found '${text}', expected: in, notin, =, ==, !=, gt, lt`);
}

function check(r: Requirement): Requirement {
  if (!keyRe.test(r.key)) throw badRequestError(`unable to parse requirement: invalid label key "${r.key}"`);
  if ((r.op === 'gt' || r.op === 'lt') && !/^-?\d+$/.test(r.values[0] ?? '')) throw badRequestError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
  return r;
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'eq': return has && v === r.values[0];
    case 'in': return has && r.values.includes(v ?? '');
    case 'neq': return !has || v !== r.values[0];
    case 'notin': return !has || !r.values.includes(v ?? '');
    case 'exists': return has;
    case '!': return !has;
    case 'gt': return has && /^-?\d+$/.test(v ?? '') && Number(v) > Number(r.values[0]);
    case 'lt': return has && /^-?\d+$/.test(v ?? '') && Number(v) < Number(r.values[0]);
  }
}

export function parseLabelSelector(selector: string | null | undefined): LabelMatcher | undefined {
  if (selector === null || selector === undefined || selector.trim() === '') return undefined;
  const reqs = splitTopLevel(selector).map(parseRequirement);
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

/** A metav1.LabelSelector object as the string syntax (for scale's status.selector). */
export function labelSelectorToString(sel: unknown): string {
  if (sel === null || typeof sel !== 'object') return '';
  const s = sel as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) parts.push(`${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}
