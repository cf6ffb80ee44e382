/**
 * The pieces of Kubernetes' field manager chain shared by updates and
 * applies: the request context, the metadata fields nobody owns (stripMeta),
 * the "current-operation" bookkeeping that merges an update into the
 * manager's previous entry (managedFieldsUpdater) and the cap on update
 * managers (capManagers).
 */
import type { FieldManagementOptions, TypeStructure } from './index.js';
import { FieldSet } from './field-set.js';
import { buildManagerIdentifier, formatTime, type Managed } from './managed-fields.js';
import { deducedStructure } from './openapi-structure.js';
import { fieldPE } from './path-element.js';
import { updaterUpdate, type UpdaterContext } from './updater.js';
import { isObject, type JsonObject, type JsonValue } from './json-value.js';

export const DEFAULT_MAX_UPDATE_MANAGERS = 10;
const OLD_UPDATES_MANAGER = 'ancient-changes';

/** Paths stripped from every manager's set: identity and system metadata. */
const STRIP = FieldSet.of(
  [fieldPE('apiVersion')],
  [fieldPE('kind')],
  [fieldPE('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [fieldPE('metadata'), fieldPE(f)]),
);

export interface ChainContext extends UpdaterContext {
  subresource: string;
  now: string;
  emptyObject: JsonObject;
  maxUpdateManagers: number;
}

export function chainContext(opts: FieldManagementOptions): ChainContext {
  const structure: TypeStructure = opts.structure ?? deducedStructure();
  return {
    structure,
    version: opts.apiVersion,
    ignored: opts.resetFields === undefined || opts.resetFields.length === 0 ? undefined : FieldSet.fromFieldNames(opts.resetFields),
    subresource: opts.subresource ?? '',
    now: formatTime(opts.now ?? new Date()),
    emptyObject: opts.emptyObject ?? {},
    maxUpdateManagers: opts.maxUpdateManagers ?? DEFAULT_MAX_UPDATE_MANAGERS,
  };
}

export function metadataOf(obj: JsonObject): JsonObject | undefined {
  const m = obj['metadata'];
  return isObject(m) ? m : undefined;
}

export function managedFieldsOf(obj: JsonObject): JsonValue | undefined {
  return metadataOf(obj)?.['managedFields'];
}

/** A copy of the object without metadata.managedFields. */
export function withoutManagedFields(obj: JsonObject): JsonObject {
  const copy = structuredClone(obj);
  const meta = metadataOf(copy);
  if (meta !== undefined) delete meta['managedFields'];
  return copy;
}

/**
 * The object without metadata.managedFields, copying only the top level and
 * metadata: for read-only comparisons and results whose nested values may be
 * shared (a deep clone per write was the largest cost of a create).
 */
export function shallowWithoutManagedFields(obj: JsonObject): JsonObject {
  const meta = metadataOf(obj);
  if (meta === undefined || !('managedFields' in meta)) return { ...obj };
  const { managedFields: _dropped, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** A copy of the object (top level and metadata; nested values shared) carrying the given managedFields (or none). */
export function withManagedFields(obj: JsonObject, entries: readonly unknown[] | undefined): JsonObject {
  const copy = shallowWithoutManagedFields(obj);
  if (entries === undefined) return copy;
  copy['metadata'] = { ...(metadataOf(copy) ?? {}), managedFields: entries as JsonValue[] };
  return copy;
}

export function stripMeta(managed: Managed, manager: string): void {
  const vs = managed.fields.get(manager);
  if (vs === undefined) return;
  const set = vs.set.difference(STRIP);
  if (set.empty()) managed.fields.delete(manager);
  else managed.fields.set(manager, { ...vs, set });
}

export function updateIdentifier(manager: string, ctx: ChainContext): string {
  return buildManagerIdentifier({ manager: manager === '' ? 'unknown' : manager, operation: 'Update', apiVersion: ctx.version, subresource: ctx.subresource });
}

export function applyIdentifier(manager: string, ctx: ChainContext): string {
  return buildManagerIdentifier({ manager: manager === '' ? 'unknown' : manager, operation: 'Apply', subresource: ctx.subresource });
}

/**
 * Records an update by `manager` (from capManagers inwards): ownership of
 * what changed goes to the manager's Update entry, whose time moves only
 * when something changed.
 */
export function recordUpdate(live: JsonObject, next: JsonObject, managed: Managed, manager: string, ctx: ChainContext): void {
  const id = updateIdentifier(manager, ctx);
  const self = 'current-operation';
  updaterUpdate(shallowWithoutManagedFields(live), shallowWithoutManagedFields(next), managed, self, ctx);
  stripMeta(managed, self);
  const vs = managed.fields.get(self);
  if (vs !== undefined) {
    managed.fields.delete(self);
    const previous = managed.fields.get(id);
    managed.fields.set(id, { set: previous === undefined ? vs.set : vs.set.union(previous.set), apiVersion: vs.apiVersion, applied: vs.applied });
    managed.times.set(id, ctx.now);
  }
  capUpdateManagers(managed, ctx);
}

/** Merges the oldest update entries into per-version "ancient-changes" buckets beyond the cap. */
function capUpdateManagers(managed: Managed, ctx: ChainContext): void {
  const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= ctx.maxUpdateManagers) return;
  const secs = (id: string): number => {
    const t = managed.times.get(id);
    return t === undefined ? 0 : Math.floor(Date.parse(t) / 1000) || 0;
  };
  updaters.sort((a, b) => secs(a) - secs(b) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > ctx.maxUpdateManagers; i++) {
    const id = updaters[i] as string;
    const vs = managed.fields.get(id);
    if (vs === undefined) continue;
    const time = managed.times.get(id);
    const bucket = buildManagerIdentifier({ manager: OLD_UPDATES_MANAGER, operation: 'Update', apiVersion: vs.apiVersion });
    const first = firstOfVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!managed.fields.has(bucket)) {
      const s = managed.fields.get(first);
      managed.fields.delete(first);
      if (s !== undefined) managed.fields.set(bucket, s);
    }
    const b = managed.fields.get(bucket);
    managed.fields.set(bucket, { set: vs.set.union(b?.set ?? new FieldSet()), apiVersion: vs.apiVersion, applied: vs.applied });
    managed.fields.delete(id);
    length--;
    managed.times.set(bucket, time);
  }
}
