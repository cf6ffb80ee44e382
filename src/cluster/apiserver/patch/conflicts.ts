/**
 * The 409 of a server-side apply conflict, worded like Kubernetes'
 * managedfields NewConflictError: one FieldManagerConflict cause per field,
 * and "Apply failed with N conflict(s): ..." grouped by manager.
 */
import type { BerthError } from '../../../core/index.js';
import { parseManagerIdentifier } from './managed-fields.js';
import { applyConflict, type StatusCause } from './patch-errors.js';
import { pathToString } from './path-element.js';
import type { Conflict } from './updater.js';

/** How a manager identifier reads in messages: `"kubectl-client-side-apply" using apps/v1`. */
export function printManager(id: string): string {
  let e: ReturnType<typeof parseManagerIdentifier>;
  try {
    e = parseManagerIdentifier(id);
  } catch {
    return JSON.stringify(id);
  }
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource !== undefined && e.subresource !== '') s = `${s} with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') return e.time === undefined ? `${s} using ${e.apiVersion ?? ''}` : `${s} using ${e.apiVersion ?? ''} at ${e.time}`;
  return s;
}

export function conflictError(conflicts: readonly Conflict[]): BerthError {
  const causes: StatusCause[] = conflicts.map((c) => ({ type: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathToString(c.path) }));
  return applyConflict(conflictMessage(conflicts), causes);
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only !== undefined) return `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${pathToString(only.path)}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const list = byManager.get(c.manager) ?? [];
    list.push(pathToString(c.path));
    byManager.set(c.manager, list);
  }
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const p of byManager.get(manager) ?? []) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
