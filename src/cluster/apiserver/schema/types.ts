/**
 * Contracts of the schema module: resource registry, schema lookup (for
 * patches and SSA), decoding with fieldValidation, semantic validation,
 * defaulting, discovery and OpenAPI. Everything here is plain data or a
 * narrow interface so the API server and the patch module can code against
 * it; index.ts re-exports these first.
 */

/** Any Kubernetes object as parsed JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A subresource as discovery shows it (`pods/status`, `deployments/scale`). */
export interface SubresourceInfo {
  /** "status", "scale", "log", "exec", ... */
  name: string;
  /** Kind returned by the subresource ("Scale" for scale, the parent kind for status). */
  kind: string;
  /** Group/version of `kind` when it differs from the parent's (scale → autoscaling/v1). */
  group?: string;
  version?: string;
  verbs: readonly string[];
}

export interface ScaleInfo {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
  /**
   * What sits at labelSelectorPath: a selector string (custom resources, the
   * default), a metav1.LabelSelector (apps kinds) or a label map
   * (ReplicationController). Scale.status.selector is its string form.
   */
  labelSelectorType?: 'string' | 'LabelSelector' | 'map';
}

/** A CRD additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** One served resource at one group-version. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower case: "deployments". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly string[];
  subresources: readonly SubresourceInfo[];
  /** Scale subresource paths (JSON paths like ".spec.replicas"). */
  scale?: ScaleInfo;
  /** Name of the CustomResourceDefinition that defines it; unset for built-ins. */
  crd?: string;
  /** CRD additionalPrinterColumns (empty → default Name + Created At). */
  printerColumns?: readonly PrinterColumn[];
  /** The version the store keeps (CRD `storage: true`; built-ins: their only served version). */
  storageVersion: string;
}

export interface GroupVersions {
  /** "" for the core group. */
  group: string;
  /** Served versions, preferred first. */
  versions: readonly string[];
  preferredVersion: string;
}

export type CrdRegistration =
  | { accepted: true; resources: readonly ResourceInfo[] }
  | { accepted: false; reason: string; message: string };

export interface ResourceRegistry {
  /** Every served resource (built-in and CRD-defined), discovery order. */
  all(): readonly ResourceInfo[];
  get(group: string, version: string, resource: string): ResourceInfo | undefined;
  byKind(gvk: GroupVersionKind): ResourceInfo | undefined;
  /** Groups in discovery order (core first), versions preferred-first. */
  groups(): readonly GroupVersions[];
  /** Registers (or replaces) the served versions of a CRD object. */
  registerCrd(crd: KubeObject): CrdRegistration;
  unregisterCrd(name: string): void;
  /** Bumped on every change; discovery and OpenAPI caches key on it. */
  readonly generation: number;
  onChange(listener: () => void): () => void;
}

/** A raw OpenAPI v3 schema object (as in components.schemas). */
export type OpenApiSchema = Record<string, unknown>;

export type ListType = 'atomic' | 'set' | 'map';

/**
 * A resolved schema node ($ref followed) with the Kubernetes extensions the
 * patch engines need. `field()` and `items()` walk down; they return
 * undefined where the schema says nothing (unknown field).
 */
export interface SchemaType {
  readonly raw: OpenApiSchema;
  readonly type: string | undefined;
  readonly format: string | undefined;
  field(name: string): SchemaType | undefined;
  /** Element schema of an array. */
  items(): SchemaType | undefined;
  /** Value schema of a map (additionalProperties). */
  values(): SchemaType | undefined;
  readonly properties: readonly string[];
  readonly required: readonly string[];
  readonly listType: ListType | undefined;
  readonly listMapKeys: readonly string[];
  readonly mapType: 'atomic' | 'granular' | undefined;
  /** x-kubernetes-patch-strategy: "merge", "retainKeys", "merge,retainKeys", "replace". */
  readonly patchStrategy: string | undefined;
  readonly patchMergeKey: string | undefined;
  readonly preserveUnknownFields: boolean;
  readonly intOrString: boolean;
  readonly embeddedResource: boolean;
  readonly defaultValue: unknown;
}

export interface SchemaLookup {
  /** The top-level schema of a kind (built-in or CRD), undefined when unknown. */
  forKind(gvk: GroupVersionKind): SchemaType | undefined;
  /** A named component, e.g. "io.k8s.api.core.v1.Container". */
  byName(name: string): SchemaType | undefined;
  /** The node at a field path below a kind; array steps are skipped with "[]". */
  at(gvk: GroupVersionKind, path: readonly string[]): SchemaType | undefined;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

/** A field-level error, as k8s.io/apimachinery/pkg/util/validation/field.Error. */
export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indexes: "spec.template.spec.containers[0].image". */
  field: string;
  /** Kubernetes' ErrorBody(): `Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
  detail: string;
  /** Omitted when the error does not show the value (Required, Forbidden, ...). */
  badValue?: unknown;
}

/** The shape the API server puts into Status.details.causes. */
export interface StatusCause {
  reason: FieldErrorType;
  message: string;
  field: string;
}

export interface DecodeOptions {
  fieldValidation: FieldValidation;
  /** The request body as sent, for duplicate-field detection (JSON only). */
  rawBody?: string;
  /** "" (default) for the main resource, "status" for status writes. */
  subresource?: string;
}

export interface DecodeResult {
  /** The object with unknown fields removed (built-ins always; CRDs unless preserved). */
  object: KubeObject;
  /** For the Warning header (fieldValidation=Warn). */
  warnings: string[];
  /**
   * Set when the request must fail with 400 BadRequest: strict decoding
   * errors (Strict) or type errors that Go's JSON decoder would raise for
   * built-in kinds. The full Status message.
   */
  badRequest?: string;
  /** Schema errors that Kubernetes reports as 422 (CRD structural validation). */
  invalid: FieldError[];
}

export interface ValidateOptions {
  operation: 'create' | 'update';
  /** The stored object, required for updates (immutable fields). */
  old?: KubeObject;
  /** "" for the main resource; "status" / "scale" for those writes. */
  subresource?: string;
}

export interface SchemaValidator {
  /** Unknown/duplicate fields and type checks; prunes. */
  decode(resource: ResourceInfo, obj: KubeObject, options: DecodeOptions): DecodeResult;
  /** Semantic validation of a decoded, defaulted object. Empty → valid. */
  validate(resource: ResourceInfo, obj: KubeObject, options: ValidateOptions): FieldError[];
  /** Applies upstream defaults in place (built-ins and CRD schema defaults). */
  applyDefaults(resource: ResourceInfo, obj: KubeObject): void;
}

/** Content-Type of an aggregated discovery answer; kubectl keys off it. */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface DiscoveryDocuments {
  /** `/api` or `/apis`, aggregated (apidiscovery.k8s.io/v2 APIGroupDiscoveryList). */
  aggregated(prefix: 'api' | 'apis'): KubeObject;
  /** `/api` legacy. */
  apiVersions(serverAddress?: string): KubeObject;
  /** `/apis` legacy. */
  apiGroupList(): KubeObject;
  /** `/apis/<group>`; undefined when not served. */
  apiGroup(group: string): KubeObject | undefined;
  /** `/api/v1`, `/apis/<group>/<version>`; undefined when not served. */
  apiResourceList(group: string, version: string): KubeObject | undefined;
}

export interface OpenApiDocument {
  /** Serialized JSON, ready to send. */
  body: string;
  /** Content hash, used in `serverRelativeURL` and as the ETag. */
  hash: string;
}

export interface OpenApiDocuments {
  /** `/openapi/v3`: `{paths: {"api/v1": {serverRelativeURL}}}`. */
  v3Index(): KubeObject;
  /** `/openapi/v3/<path>` ("api/v1", "apis/apps/v1", "apis/stable.example.com/v1"). */
  v3Document(path: string): OpenApiDocument | undefined;
  /** `/openapi/v2` as JSON (Swagger 2.0). */
  v2Document(): OpenApiDocument;
}

/** Everything the API server needs from this module, behind one object. */
export interface SchemaService {
  readonly registry: ResourceRegistry;
  readonly lookup: SchemaLookup;
  readonly validator: SchemaValidator;
  readonly discovery: DiscoveryDocuments;
  readonly openapi: OpenApiDocuments;
}
