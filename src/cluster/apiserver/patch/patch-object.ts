/**
 * One entry point for PATCH requests: picks the engine from the
 * Content-Type (415 with Kubernetes' accepted list otherwise; custom
 * resources do not accept strategic merge patch), applies it, and records
 * managedFields — an Update entry for JSON/merge/strategic patches, the
 * applier's entry for server-side apply.
 */
import type { FieldManagementOptions, PatchType, TypeStructure } from './index.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { invalidField, unsupportedMediaType } from './patch-errors.js';
import { applyPatch } from './server-side-apply.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { updateManagedFields } from './update-managed-fields.js';
import { isObject, type JsonObject } from './json-value.js';

const CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

const BUILTIN_ACCEPTED = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const CUSTOM_ACCEPTED = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

/** The patch type of a Content-Type header, or the 415 Kubernetes answers. */
export function parsePatchContentType(contentType: string, customResource = false): PatchType {
  const base = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const t = CONTENT_TYPES[base];
  if (t === undefined || (customResource && t === 'strategic')) throw unsupportedMediaType(customResource ? CUSTOM_ACCEPTED : BUILTIN_ACCEPTED);
  return t;
}

export interface PatchObjectRequest extends FieldManagementOptions {
  /** Either the Content-Type header or an already parsed patch type. */
  contentType?: string;
  patchType?: PatchType;
  body: string | Uint8Array;
  /** The endpoint's kind (apply checks the body against it). */
  kind: string;
  /** Custom resources reject strategic merge patch with 415. */
  customResource?: boolean;
  structure?: TypeStructure | undefined;
  /** The manager the write is recorded under (managerOrUserAgent); required for apply. */
  fieldManager: string;
  force?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface PatchObjectResult {
  object: JsonObject;
  /** True when an apply created the object. */
  created: boolean;
  warnings: string[];
}

/**
 * Patches `current` (undefined only for an apply that creates). Non-apply
 * patches of a missing object are the caller's 404.
 */
export function patchObject(current: JsonObject | undefined, req: PatchObjectRequest): PatchObjectResult {
  const type = req.patchType ?? parsePatchContentType(req.contentType ?? '', req.customResource === true);
  if (type === 'strategic' && req.customResource === true) throw unsupportedMediaType(CUSTOM_ACCEPTED);
  if (type === 'apply') {
    const r = applyPatch(current, req.body, { ...req, manager: req.fieldManager, kind: req.kind });
    return { object: r.object, created: current === undefined, warnings: r.warnings };
  }
  if (current === undefined) throw new Error(`patchObject: a ${type} patch needs the current object`);
  let patched: unknown;
  if (type === 'json') patched = applyJsonPatch(current, req.body);
  else if (type === 'merge') patched = applyMergePatch(current, req.body);
  else if (req.structure === undefined) throw unsupportedMediaType(CUSTOM_ACCEPTED);
  else patched = applyStrategicMergePatch(current, req.body, req.structure);
  if (!isObject(patched)) {
    throw invalidField('patch', JSON.stringify(patched), `json: cannot unmarshal ${Array.isArray(patched) ? 'array' : typeof patched} into Go value of type map[string]interface {}`);
  }
  const updated = updateManagedFields(current, patched, req.fieldManager, 'Update', req);
  return { object: updated.object, created: false, warnings: [] };
}
