/**
 * Building blocks shared by the per-kind printers: column definitions with
 * upstream descriptions, and the formatting helpers of printers.go
 * (labels, selectors, container names/images, access modes).
 */
import { fieldDescription } from '../schema/index.js';
import type { KubeObject } from '../schema/index.js';
import { timestampSince } from './human-duration.js';
import type { TableColumnDefinition } from './types.js';

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
export const orNone = (s: string): string => (s === '' ? '<none>' : s);

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** A column whose description is an upstream field doc, resolved lazily. */
export function col(name: string, type: string, description: string | [component: string, field: string], priority = 0, format = ''): TableColumnDefinition {
  const c = { name, type, format, priority } as TableColumnDefinition;
  if (typeof description === 'string') {
    c.description = description;
  } else {
    let cached: string | undefined;
    Object.defineProperty(c, 'description', {
      enumerable: true,
      get: () => (cached ??= fieldDescription(description[0], description[1])),
    });
  }
  return c;
}

export const nameCol = (): TableColumnDefinition => col('Name', 'string', [META, 'name'], 0, 'name');
export const ageCol = (): TableColumnDefinition => col('Age', 'string', [META, 'creationTimestamp']);
export const createdAtCol = (): TableColumnDefinition => col('Created At', 'date', [META, 'creationTimestamp']);

export const meta = (o: KubeObject): Obj => obj(o.metadata);
export const nameOf = (o: KubeObject): string => str(meta(o)['name']);
export const age = (o: KubeObject, now: Date): string => timestampSince(meta(o)['creationTimestamp'], now);

/** RFC 3339 in UTC without fractional seconds, as metav1.Time marshals. */
export function createdAt(o: KubeObject): string {
  const t = Date.parse(str(meta(o)['creationTimestamp']));
  return Number.isNaN(t) ? '' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** labels.FormatLabels: sorted "k=v" joined by commas, "<none>" when empty. */
export function formatLabels(m: unknown): string {
  const o = obj(m);
  const keys = Object.keys(o).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${str(o[k])}`).join(',');
}

/** metav1.FormatLabelSelector. */
export function formatSelector(sel: unknown): string {
  if (sel === undefined || sel === null) return '<none>';
  const s = obj(sel);
  const parts: string[] = [];
  const ml = obj(s['matchLabels']);
  for (const k of Object.keys(ml).sort()) parts.push(`${k}=${str(ml[k])}`);
  for (const raw of arr(s['matchExpressions'])) {
    const e = obj(raw);
    const key = str(e['key']);
    const values = arr(e['values']).map(str);
    switch (e['operator']) {
      case 'In': parts.push(`${key} in (${values.join(',')})`); break;
      case 'NotIn': parts.push(`${key} notin (${values.join(',')})`); break;
      case 'Exists': parts.push(key); break;
      case 'DoesNotExist': parts.push(`!${key}`); break;
      default: break;
    }
  }
  if (parts.length === 0) return Object.keys(s).length === 0 ? '<none>' : '<none>';
  return parts.join(',');
}

/** The Containers and Images cells of a pod template. */
export function containersAndImages(podSpec: unknown): [string, string] {
  const cs = arr(obj(podSpec)['containers']).map(obj);
  return [cs.map((c) => str(c['name'])).join(','), cs.map((c) => str(c['image'])).join(',')];
}

export function templateSpec(o: KubeObject): Obj {
  return obj(obj(obj(o['spec'])['template'])['spec']);
}

const accessModeShort: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

export function accessModes(modes: unknown): string {
  const seen: string[] = [];
  for (const m of ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']) {
    if (arr(modes).includes(m)) seen.push(accessModeShort[m]!);
  }
  return seen.join(',');
}

export function hasCondition(conditions: unknown, type: string): boolean {
  return arr(conditions).some((c) => obj(c)['type'] === type && obj(c)['status'] === 'True');
}
