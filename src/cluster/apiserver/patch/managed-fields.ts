/**
 * metadata.managedFields ⇄ the per-manager field sets the updater works on.
 * Managers are keyed like upstream's BuildManagerIdentifier: the JSON of the
 * entry without fieldsType, fieldsV1, time (and apiVersion for appliers), so
 * one applier keeps one entry across versions and updates split by version.
 */
import type { ManagedFieldsEntry } from './index.js';
import { FieldSet } from './field-set.js';
import { fieldSetFromFieldsV1, fieldSetToFieldsV1 } from './fields-v1.js';
import { isObject, type JsonValue } from './json-value.js';

export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** Manager identifier → owned fields, plus the time of each manager's last change. */
export interface Managed {
  fields: Map<string, VersionedSet>;
  times: Map<string, string | undefined>;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

export function buildManagerIdentifier(e: { manager?: string | undefined; operation?: string | undefined; apiVersion?: string | undefined; subresource?: string | undefined }): string {
  const id: Record<string, string> = {};
  if (e.manager !== undefined && e.manager !== '') id['manager'] = e.manager;
  if (e.operation !== undefined && e.operation !== '') id['operation'] = e.operation;
  if (e.operation !== 'Apply' && e.apiVersion !== undefined && e.apiVersion !== '') id['apiVersion'] = e.apiVersion;
  if (e.subresource !== undefined && e.subresource !== '') id['subresource'] = e.subresource;
  return JSON.stringify(id);
}

export function parseManagerIdentifier(id: string): ManagedFieldsEntry {
  return JSON.parse(id) as ManagedFieldsEntry;
}

/** Decodes managedFields; throws on entries Kubernetes would reject. */
export function decodeManagedFields(entries: JsonValue | undefined): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw, i) => {
    if (!isObject(raw)) throw new Error(`managed fields entry ${i} is not an object`);
    const e = raw as unknown as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (typeof e.apiVersion !== 'string' || e.apiVersion.length < 1) throw new Error('apiVersion must not be empty');
    if (e.fieldsType === undefined || e.fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = buildManagerIdentifier(e);
    managed.fields.set(id, { set: fieldSetFromFieldsV1(e.fieldsV1), apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    managed.times.set(id, typeof e.time === 'string' ? e.time : undefined);
  });
  return managed;
}

/** Same as decodeManagedFields, but an undecodable list counts as empty (upstream's emptyManagedFieldsOnErr). */
export function decodeManagedFieldsLenient(entries: JsonValue | undefined): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return emptyManaged();
  }
}

export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) {
    const base = parseManagerIdentifier(id);
    const e: ManagedFieldsEntry = {};
    if (base.manager !== undefined) e.manager = base.manager;
    e.operation = vs.applied ? 'Apply' : (base.operation ?? 'Update');
    e.apiVersion = vs.apiVersion;
    const t = managed.times.get(id);
    if (t !== undefined) e.time = t;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = fieldSetToFieldsV1(vs.set);
    if (base.subresource !== undefined) e.subresource = base.subresource;
    out.push(e);
  }
  return out.sort(compareEntries);
}

function seconds(t: string | undefined): number {
  if (t === undefined) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Upstream order: operation, time, manager, apiVersion, subresource. */
function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return (
    cmp(p.operation ?? '', q.operation ?? '') ||
    seconds(p.time) - seconds(q.time) ||
    cmp(p.manager ?? '', q.manager ?? '') ||
    cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
    cmp(p.subresource ?? '', q.subresource ?? '')
  );
}

/** Kubernetes' metav1.Time rendering: RFC 3339 in UTC, whole seconds. */
export function formatTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** managedFields: [] or [{}] in a write means "reset tracking". */
export function isResetManagedFields(v: JsonValue | undefined): boolean {
  if (!Array.isArray(v)) return false;
  if (v.length === 0) return true;
  return v.length === 1 && isObject(v[0]) && Object.keys(v[0]).length === 0;
}
