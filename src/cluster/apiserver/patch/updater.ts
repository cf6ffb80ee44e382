/**
 * The ownership bookkeeping of structured-merge-diff's merge.Updater:
 * - update: managers lose fields another writer modified, added or removed;
 *   an applier touching someone else's fields conflicts unless forced;
 * - apply: merge the configuration, own exactly its fields, and prune what
 *   this applier applied last time but no longer does (unless someone else
 *   still owns it).
 * Every Berth kind has one served version, so no version conversion.
 */
import type { TypeStructure } from './index.js';
import { FieldSet } from './field-set.js';
import type { Managed, VersionedSet } from './managed-fields.js';
import type { FieldPath } from './path-element.js';
import { compareObjects, toFieldSet, type Comparison } from './typed-walk.js';
import { mergeApplied, removeItems } from './typed-ops.js';
import { deepEqual, type JsonObject, type JsonValue } from './json-value.js';

export interface Conflict {
  /** Manager identifier (JSON). */
  manager: string;
  path: FieldPath;
}

/** Thrown by update/apply when an applier would take fields it does not own. */
export class ConflictsError extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} conflicts`);
    this.name = 'ConflictsError';
  }
}

export interface UpdaterContext {
  structure: TypeStructure;
  version: string;
  /** Fields reset by the resource strategy on this endpoint; nobody owns them. */
  ignored: FieldSet | undefined;
}

function excludeIgnored(c: Comparison, ignored: FieldSet | undefined): Comparison {
  if (ignored === undefined || ignored.empty()) return c;
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

/** Strips other managers of fields `workflow` changed; throws ConflictsError when not forced. */
function update(oldObj: JsonObject, newObj: JsonObject, managers: Map<string, VersionedSet>, workflow: string, force: boolean, ctx: UpdaterContext): Comparison {
  const compare = excludeIgnored(compareObjects(oldObj, newObj, ctx.structure), ctx.ignored);
  const changed = compare.modified.union(compare.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    const c = vs.set.intersection(changed);
    if (!c.empty()) conflicts.set(manager, c);
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const manager of [...conflicts.keys()].sort()) for (const path of (conflicts.get(manager) as FieldSet).paths()) list.push({ manager, path });
    throw new ConflictsError(list);
  }
  for (const [manager, vs] of [...managers]) {
    if (manager === workflow) continue;
    let set = vs.set;
    const c = conflicts.get(manager);
    if (c !== undefined) set = set.difference(c);
    if (!compare.removed.empty()) set = set.difference(compare.removed);
    if (set.empty()) managers.delete(manager);
    else managers.set(manager, { ...vs, set });
  }
  return compare;
}

/** Records a non-apply write by `manager` (SMD Updater.Update). */
export function updaterUpdate(live: JsonObject, next: JsonObject, managed: Managed, manager: string, ctx: UpdaterContext): void {
  const compare = update(live, next, managed.fields, manager, true, ctx);
  const previous = managed.fields.get(manager)?.set ?? new FieldSet();
  let set = previous.union(compare.modified).union(compare.added).difference(compare.removed);
  if (ctx.ignored !== undefined) set = set.recursiveDifference(ctx.ignored);
  if (set.empty()) managed.fields.delete(manager);
  else managed.fields.set(manager, { set, apiVersion: ctx.version, applied: false });
}

/** Applies `config` for `manager` (SMD Updater.Apply); returns the new object and whether it differs from `live`. */
export function updaterApply(live: JsonObject, config: JsonObject, managed: Managed, manager: string, force: boolean, ctx: UpdaterContext): { object: JsonObject; changed: boolean } {
  const merged = (mergeApplied(live, config, ctx.structure) ?? {}) as JsonObject;
  const lastSet = managed.fields.get(manager);
  let set = toFieldSet(config, ctx.structure);
  if (ctx.ignored !== undefined) set = set.recursiveDifference(ctx.ignored);
  managed.fields.set(manager, { set, apiVersion: ctx.version, applied: true });
  const pruned = prune(merged, managed.fields, lastSet, ctx.structure);
  update(live, pruned, managed.fields, manager, force, ctx);
  return { object: pruned, changed: !deepEqual(live, pruned) };
}

/**
 * Removes what the applier owned last time and no longer applies, unless
 * another manager (or its new configuration) owns it, and never removes
 * what the applier did not own.
 */
function prune(merged: JsonObject, managers: Map<string, VersionedSet>, lastSet: VersionedSet | undefined, structure: TypeStructure): JsonObject {
  if (lastSet === undefined || lastSet.set.empty()) return merged;
  const named = (s: FieldSet): FieldSet => s.ensureNamedFieldsAreMembers(structure);
  const asObject = (v: JsonValue): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});

  let pruned = asObject(removeItems(merged, named(lastSet.set), structure));

  // Add back whatever any manager (including the applier's new set) owns.
  let owned = new FieldSet();
  for (const vs of managers.values()) owned = owned.union(vs.set);
  const mergedSet = named(toFieldSet(merged, structure));
  pruned = asObject(removeItems(merged, mergedSet.difference(named(toFieldSet(pruned, structure)).union(named(owned))), structure));

  // Add back dangling items: only what the applier owned last time may go.
  const prunedSet = named(toFieldSet(pruned, structure));
  return asObject(removeItems(merged, mergedSet.difference(prunedSet).intersection(named(lastSet.set)), structure));
}
