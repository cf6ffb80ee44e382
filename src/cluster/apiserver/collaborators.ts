/**
 * What the API server needs from its sibling modules (schema, printers,
 * patch, protobuf). Each is a narrow port: the server's handlers call only
 * these, and default-collaborators.ts adapts the sibling modules to them, so
 * a module that changes shape costs one adapter edit.
 */
import type { FieldCause, FieldValidation, KubeObject, ResourceType, UserInfo } from './types.js';

export interface ValidationResult {
  /** Errors: the request fails with 422 Invalid (or 400 BadRequest for Strict unknown fields). */
  causes: FieldCause[];
  /** Becomes Warning headers. */
  warnings: string[];
  /** The full message of a 400 BadRequest: strict decoding errors (unknown or duplicate fields) or type errors. */
  badRequest?: string;
}

export interface SchemaPort {
  /** Every resource type currently served (built-in and CRD-defined). */
  resources(): readonly ResourceType[];
  lookup(group: string, version: string, resource: string): ResourceType | undefined;
  /**
   * Decodes (prunes unknown fields in place) and validates. `rawBody` is the
   * JSON text as sent, in which duplicate fields are looked for.
   */
  validate(type: ResourceType, obj: KubeObject, options: { fieldValidation: FieldValidation; operation: 'create' | 'update'; old?: KubeObject; subresource: string; rawBody?: string }): ValidationResult;
  /** Applies defaults in place. */
  applyDefaults(type: ResourceType, obj: KubeObject): void;
  /** `/api` or `/apis` as an aggregated (APIGroupDiscoveryList) or legacy document. */
  discoveryRoot(prefix: 'api' | 'apis', aggregated: boolean): unknown;
  /** Legacy per-group-version APIResourceList, undefined when the group-version is not served. */
  discoveryGroupVersion(group: string, version: string): unknown;
  /** Legacy APIGroup for `/apis/<group>`. */
  discoveryGroup(group: string): unknown;
  /** `/openapi/v3` index. */
  openapiV3Index(): unknown;
  /** `/openapi/v3/<path>` such as "api/v1" or "apis/apps/v1", serialized; undefined when not served. */
  openapiV3(path: string): { body: string; hash: string } | undefined;
  /** `/openapi/v2` JSON document when available. */
  openapiV2?(): { body: string; hash: string };
  /** Registers the resources of an established CRD; returns the names-accepted problem, if any. */
  registerCrd(crd: KubeObject): { accepted: true } | { accepted: false; reason: string; message: string };
  unregisterCrd(name: string): void;
}

export interface TableOptions {
  includeObject: 'None' | 'Metadata' | 'Object';
  noHeaders: boolean;
}

export interface PrinterPort {
  /** A meta.k8s.io Table (apiVersion as asked: v1 or v1beta1) for the objects. */
  toTable(type: ResourceType, objects: KubeObject[], options: TableOptions & { apiVersion: string; listMeta?: Record<string, unknown> }): KubeObject;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchRequest {
  type: ResourceType;
  patchType: PatchType;
  /** Live object, undefined when an apply creates it. */
  current: KubeObject | undefined;
  patch: Uint8Array;
  fieldManager: string;
  force: boolean;
  subresource: string;
  /** Duplicate keys in an apply body: Strict fails, Warn warns. */
  fieldValidation?: FieldValidation;
}

export interface PatchPort {
  /** The patch type of a Content-Type; throws the 415 Kubernetes answers (custom resources take no strategic merge patch). */
  patchType(contentType: string, customResource: boolean): PatchType;
  /** Throws the 422 Kubernetes answers for invalid PatchOptions (query values as sent; force: whether it was given). */
  validateOptions(options: { patchType: PatchType; fieldManager?: string; force?: boolean; dryRun: readonly string[]; fieldValidation?: string }): void;
  /** The patched object (managedFields updated for apply) and warnings; throws BerthError Conflict with causes on SSA conflicts. */
  patch(request: PatchRequest): { object: KubeObject; warnings: string[] };
  /** Updates managedFields of a plain write (create/update/non-apply patch). */
  recordUpdate(args: { type: ResourceType; old: KubeObject | undefined; next: KubeObject; fieldManager: string; operation: 'Update'; subresource: string }): void;
}

export interface ProtobufPort {
  /** Decodes a `k8s\0`-prefixed runtime.Unknown into a JSON object. */
  decode(body: Uint8Array): KubeObject;
}

export interface Collaborators {
  schema: SchemaPort;
  printers?: PrinterPort;
  patch?: PatchPort;
  protobuf?: ProtobufPort;
}

export type { UserInfo };
