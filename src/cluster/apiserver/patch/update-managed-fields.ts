/**
 * managedFields for non-apply writes (create, update, JSON/merge/strategic
 * patches), following Kubernetes' FieldManager.Update:
 * - the request may carry managedFields (main resource only); a valid,
 *   non-empty list replaces the live one, `[]` resets tracking;
 * - objects that exist without managedFields stay untracked until an apply;
 * - the write's changes become owned by an Update entry keyed by manager,
 *   apiVersion and subresource, merged with that manager's previous entry;
 * - a failure keeps the live managedFields (UpdateNoErrors).
 */
import type { FieldManagementOptions, UpdateResult } from './index.js';
import { chainContext, managedFieldsOf, metadataOf, recordUpdate, withManagedFields } from './manager-chain.js';
import { decodeManagedFields, decodeManagedFieldsLenient, emptyManaged, encodeManagedFields, isResetManagedFields, type Managed } from './managed-fields.js';
import type { JsonObject } from './json-value.js';
import { logger } from '../../../core/index.js';

const log = logger('apiserver.patch');

/**
 * Returns `next` with metadata.managedFields recomputed for a write by
 * `manager` ("kubectl-edit", "helm", ... — see managerOrUserAgent).
 * `old` is the stored object, undefined for creates.
 */
export function updateManagedFields(old: JsonObject | undefined, next: JsonObject, manager: string, operation: 'Update', opts: FieldManagementOptions): UpdateResult {
  void operation;
  const ctx = chainContext(opts);
  const live = old ?? ctx.emptyObject;
  try {
    const managed = decodeLiveOrNew(live, next, ctx.subresource !== '');
    if (managed.fields.size === 0 && hasUid(live)) {
      // An existing object nobody tracks (or whose tracking the write reset) stays untracked (skipNonApplied).
      return { object: withManagedFields(next, undefined), managedFields: undefined };
    }
    recordUpdate(live, next, managed, manager, ctx);
    const entries = encodeManagedFields(managed);
    return { object: withManagedFields(next, entries), managedFields: entries };
  } catch (err) {
    log.error('failed to update managedFields; keeping the live ones', { error: err instanceof Error ? err.message : String(err) });
    const kept = managedFieldsOf(live);
    const entries = Array.isArray(kept) ? kept : undefined;
    return { object: withManagedFields(next, entries), managedFields: entries as UpdateResult['managedFields'] };
  }
}

function hasUid(obj: JsonObject): boolean {
  const uid = metadataOf(obj)?.['uid'];
  return typeof uid === 'string' && uid !== '';
}

function decodeLiveOrNew(live: JsonObject, next: JsonObject, isSubresource: boolean): Managed {
  if (isSubresource) return decodeManagedFieldsLenient(managedFieldsOf(live));
  const requested = managedFieldsOf(next);
  if (isResetManagedFields(requested)) return emptyManaged();
  try {
    const managed = decodeManagedFields(requested);
    if (managed.fields.size > 0) return managed;
  } catch {
    // fall back to the live object's managedFields
  }
  return decodeManagedFieldsLenient(managedFieldsOf(live));
}
