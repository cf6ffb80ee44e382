/**
 * The patch module behind the API server's PatchPort: resource-type aware
 * defaults (status reset fields, the Go zero value used as the "live"
 * object of creates, SMP refusal for custom resources) on top of
 * patchObject and updateManagedFields.
 */
import type { PatchType, TypeStructure } from './index.js';
import { structureFromSchemaNode, type SchemaNodeLike } from './openapi-structure.js';
import { patchObject } from './patch-object.js';
import { updateManagedFields } from './update-managed-fields.js';
import type { JsonObject } from './json-value.js';
import { zeroObject } from '../protobuf/index.js';

/** The resource type fields this module reads (the API server's ResourceType satisfies it). */
export interface ResourceTypeLike {
  group: string;
  version: string;
  kind: string;
  hasStatus?: boolean;
  crd?: string | undefined;
}

export interface PatchServiceRequest {
  type: ResourceTypeLike;
  patchType: PatchType;
  current: object | undefined;
  patch: Uint8Array | string;
  fieldManager: string;
  force: boolean;
  subresource: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface RecordUpdateArgs {
  type: ResourceTypeLike;
  old: object | undefined;
  /** Updated in place: metadata.managedFields is replaced (or removed). */
  next: object;
  fieldManager: string;
  operation: 'Update';
  subresource: string;
}

export interface PatchServiceResult {
  object: JsonObject & { metadata: JsonObject };
  /** Strict-decoding problems of an apply body under fieldValidation=Warn, for Warning headers. */
  warnings: string[];
}

export interface PatchService {
  patch(request: PatchServiceRequest): PatchServiceResult;
  recordUpdate(args: RecordUpdateArgs): void;
}

/** Where the service finds the structure of a kind (e.g. schema lookup → structureFromSchemaNode). */
export type StructureSource = (gvk: { group: string; version: string; kind: string }) => TypeStructure | undefined;

/** The schema module's lookup, as far as this module needs it. */
export interface SchemaLookupLike {
  forKind(gvk: { group: string; version: string; kind: string }): SchemaNodeLike | undefined;
}

/** A StructureSource over the schema module's SchemaLookup (`schemaService.lookup`). */
export function structureSourceFromLookup(lookup: SchemaLookupLike): StructureSource {
  return (gvk) => {
    const node = lookup.forKind(gvk);
    return node === undefined ? undefined : structureFromSchemaNode(node);
  };
}

export interface PatchServiceOptions {
  structureFor: StructureSource;
  now?: () => Date;
}

function apiVersionOf(t: ResourceTypeLike): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

/**
 * Fields a write may not own: a main-resource write with a status
 * subresource resets status; a status write resets spec (as the generic
 * status strategies do).
 */
function resetFieldsFor(t: ResourceTypeLike, subresource: string): string[][] {
  if (t.hasStatus !== true) return [];
  if (subresource === '') return [['status']];
  if (subresource === 'status') return [['spec']];
  return [];
}

/**
 * What `New()` of the kind serializes to, used as the "live" object of
 * creates: the Go zero value for built-in kinds (from the protobuf tables),
 * an empty object for custom resources.
 */
function emptyObjectFor(t: ResourceTypeLike): JsonObject {
  if (t.crd !== undefined) return {};
  return (zeroObject(t.group === '' ? t.version : `${t.group}/${t.version}`, t.kind) as JsonObject | undefined) ?? {};
}

export function createPatchService(options: PatchServiceOptions): PatchService {
  const common = (t: ResourceTypeLike, subresource: string) => {
    const structure = options.structureFor({ group: t.group, version: t.version, kind: t.kind });
    return {
      apiVersion: apiVersionOf(t),
      subresource,
      structure,
      now: options.now?.() ?? new Date(),
      resetFields: resetFieldsFor(t, subresource),
      emptyObject: emptyObjectFor(t),
    };
  };
  return {
    patch(req) {
      const base = common(req.type, req.subresource);
      const result = patchObject(req.current as JsonObject | undefined, {
        ...base,
        patchType: req.patchType,
        body: req.patch,
        kind: req.type.kind,
        customResource: req.type.crd !== undefined,
        fieldManager: req.fieldManager,
        force: req.force,
        ...(req.fieldValidation === undefined ? {} : { fieldValidation: req.fieldValidation }),
      });
      const obj = result.object;
      if (typeof obj['metadata'] !== 'object' || obj['metadata'] === null || Array.isArray(obj['metadata'])) obj['metadata'] = {};
      return { object: obj as JsonObject & { metadata: JsonObject }, warnings: result.warnings };
    },
    recordUpdate(args) {
      const base = common(args.type, args.subresource);
      const r = updateManagedFields(args.old as JsonObject | undefined, args.next as JsonObject, args.fieldManager, 'Update', base);
      const next = args.next as { metadata?: Record<string, unknown> };
      const meta = next.metadata ?? {};
      next.metadata = meta;
      if (r.managedFields === undefined) delete meta['managedFields'];
      else meta['managedFields'] = r.managedFields;
    },
  };
}
