/**
 * Patches, server-side apply and managedFields for the Kubernetes API server.
 *
 * Everything here is a pure function over JSON objects. The engines need to
 * know the shape of a kind (merge keys, list and map types); they get it as
 * a TypeStructure, which openapi-structure.ts builds from an OpenAPI schema
 * (raw, or the schema module's SchemaType). Errors are BerthErrors whose
 * details carry the Kubernetes `reason`, `code` and `causes`, the same
 * convention as apiserver/errors.ts, so http/status.ts renders them as is.
 */
import type { JsonObject, JsonValue } from './json-value.js';

export type { JsonObject, JsonPrimitive, JsonValue } from './json-value.js';

/**
 * The merge-relevant shape of one field position in a kind. Built from the
 * OpenAPI schema with `$ref`s resolved; a property's own extensions (patch
 * strategy, list type) are merged over those of the type it references.
 */
export interface TypeStructure {
  /** 'any' is an untyped or unknown value: objects merge field by field, lists are atomic. */
  readonly kind: 'object' | 'list' | 'scalar' | 'any';
  /** A declared property; undefined when the schema does not declare it. */
  field(name: string): TypeStructure | undefined;
  /** List items, or the values of undeclared keys (additionalProperties); undefined when none are allowed. */
  elements(): TypeStructure | undefined;
  /** Server-side apply list semantics; defaults follow kube-openapi (patch strategy merge → map/set, else atomic). */
  readonly listType: 'atomic' | 'set' | 'map' | undefined;
  readonly listMapKeys: readonly string[];
  /** x-kubernetes-map-type. */
  readonly mapType: 'atomic' | 'granular' | undefined;
  /** x-kubernetes-patch-strategy as written: "merge", "merge,retainKeys", "retainKeys", "replace". */
  readonly patchStrategy: string | undefined;
  readonly patchMergeKey: string | undefined;
  /** Schema default, used for list-map keys the object omits (ports[].protocol → "TCP"). */
  readonly defaultValue: JsonValue | undefined;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** metadata.managedFields[] as the API serves it. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: JsonObject;
  subresource?: string;
}

/** What every managedFields computation needs to know about the request. */
export interface FieldManagementOptions {
  /** Group/version of the endpoint the request came through: "apps/v1", "v1". */
  apiVersion: string;
  /** "" or undefined for the main resource, "status" for status writes, ... */
  subresource?: string;
  /** The kind's structure; undefined treats the object as untyped. */
  structure?: TypeStructure | undefined;
  /** Clock for managedFields timestamps. */
  now?: Date;
  /** Field paths the resource strategy resets on this endpoint (e.g. [["status"]] for the main resource). */
  resetFields?: readonly (readonly string[])[];
  /**
   * The Go zero value of the kind as JSON (what `New()` would serialize to),
   * used as the "live" object of creates. Defaults to `{}`.
   */
  emptyObject?: JsonObject;
  /** Update managers kept before old ones merge into "ancient-changes" buckets (upstream: 10). */
  maxUpdateManagers?: number;
}

export interface ApplyOptions extends FieldManagementOptions {
  /** The kind served by the endpoint; the applied object's apiVersion/kind must match. */
  kind: string;
  /** ?fieldManager= (required for apply). */
  manager: string;
  /** ?force=true takes ownership of conflicting fields. */
  force?: boolean;
  /** ?fieldValidation=Strict rejects duplicate keys in the YAML body. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface ApplyResult {
  /** The new object, metadata.managedFields included. */
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
  /** False when the apply changed nothing but (possibly) ownership. */
  changed: boolean;
  /** Non-fatal strict-decoding problems for the Warning header (fieldValidation=Warn). */
  warnings: string[];
}

export interface UpdateResult {
  /** The new object with metadata.managedFields recomputed (absent when none are tracked). */
  object: JsonObject;
  managedFields: ManagedFieldsEntry[] | undefined;
}

export * from './json-value.js';
export { applyJsonPatch, parseJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { structureFromOpenApi, structureFromSchemaNode, deducedStructure, findSchemaForKind, type SchemaNodeLike, type OpenApiDocumentLike } from './openapi-structure.js';
export { FieldSet, type PathElement, type FieldPath } from './field-set.js';
export { fieldSetFromFieldsV1, fieldSetToFieldsV1 } from './fields-v1.js';
export { pathElementToString, pathToString, serializePathElement, deserializePathElement } from './path-element.js';
export { toFieldSet, compareObjects, type Comparison } from './typed-walk.js';
export { LAST_APPLIED_ANNOTATION } from './server-side-apply.js';
export { updateManagedFields } from './update-managed-fields.js';
export { applyPatch, decodeApplyBody } from './server-side-apply.js';
export { managerOrUserAgent, prefixFromUserAgent, validatePatchOptions } from './patch-options.js';
export { patchObject, parsePatchContentType, type PatchObjectRequest, type PatchObjectResult } from './patch-object.js';
export { createPatchService, structureSourceFromLookup, type PatchService, type PatchServiceOptions, type PatchServiceResult, type PatchServiceRequest, type RecordUpdateArgs, type ResourceTypeLike, type SchemaLookupLike, type StructureSource } from './patch-service.js';
