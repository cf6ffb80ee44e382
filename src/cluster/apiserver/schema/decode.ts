/**
 * Decoding a request body against the schema, as the apiserver's strict
 * JSON decoder does: unknown fields are collected (Strict → 400
 * "strict decoding error: …", Warn → warnings, Ignore → silent) and always
 * pruned; for built-in kinds a value of the wrong JSON type is the Go
 * decoder's 400 "cannot unmarshal …" error. CRD type errors are left to the
 * structural-schema validation (422).
 */
import { findDuplicateFields } from './duplicate-fields.js';
import { isValidQuantity, QUANTITY_REGEX_MESSAGE } from './quantity.js';
import { upstreamSpec } from './openapi-source.js';
import { refName } from './schema-type.js';
import type { DecodeOptions, DecodeResult, KubeObject, OpenApiSchema, ResourceInfo, SchemaLookup } from './types.js';

interface Node {
  schema: OpenApiSchema;
  /** Component name when the node came from a $ref ("io.k8s.api.core.v1.PodSpec"). */
  name: string | undefined;
}

function resolveNode(schema: OpenApiSchema): Node {
  let s = schema;
  let name: string | undefined;
  for (let hops = 0; hops < 8; hops++) {
    const ref = typeof s['$ref'] === 'string' ? s['$ref'] : Array.isArray(s['allOf']) && s['allOf'].length === 1 ? (s['allOf'][0] as OpenApiSchema)['$ref'] : undefined;
    if (typeof ref !== 'string') break;
    const n = refName(ref);
    const target = n === undefined ? undefined : upstreamSpec().schemas[n];
    if (target === undefined) break;
    name = n;
    s = target;
  }
  return { schema: s, name };
}

/** Go type names as encoding/json reports them. */
function goType(node: Node): string {
  const s = node.schema;
  if (node.name !== undefined && s['type'] === 'object' && s['properties'] !== undefined) {
    const parts = node.name.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  switch (s['type']) {
    case 'integer': return s['format'] === 'int32' ? 'int32' : 'int64';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'string': return 'string';
    case 'array': return `[]${goType(resolveNode((s['items'] as OpenApiSchema | undefined) ?? {}))}`;
    case 'object': {
      const add = s['additionalProperties'];
      return typeof add === 'object' && add !== null ? `map[string]${goType(resolveNode(add as OpenApiSchema))}` : 'map[string]interface {}';
    }
    default: return 'interface {}';
  }
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Whether Go's decoder would accept `v` for this schema (null always decodes). */
function typeAccepts(s: OpenApiSchema, v: unknown): boolean {
  if (v === null) return true;
  if (s['format'] === 'int-or-string' || s['x-kubernetes-int-or-string'] === true) return typeof v === 'string' || Number.isInteger(v);
  switch (s['type']) {
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'string': return typeof v === 'string' || (typeof v === 'number' && s['format'] === undefined && isQuantity(s));
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && !Array.isArray(v);
    default: return true;
  }
}

/** resource.Quantity unmarshals JSON numbers too. */
function isQuantity(s: OpenApiSchema): boolean {
  return s === upstreamSpec().schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'];
}

/** managedFields[].fieldsV1 is opaque in custom resources' metadata too (server-side apply writes it). */
const FIELDS_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1';

interface Walk {
  unknown: string[];
  typeError: string | undefined;
  builtin: boolean;
}

function walk(value: unknown, node: Node, path: string, parentStruct: string, w: Walk): unknown {
  const s = node.schema;
  if (w.builtin && w.typeError === undefined && !typeAccepts(s, value)) {
    w.typeError = `json: cannot unmarshal ${jsonType(value)} into Go struct field ${parentStruct}.${path} of type ${goType(node)}`;
    return value;
  }
  if (w.builtin && w.typeError === undefined && value !== null && isQuantity(s) && !isValidQuantity(value)) {
    w.typeError = QUANTITY_REGEX_MESSAGE;
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (s['x-kubernetes-preserve-unknown-fields'] === true && s['properties'] === undefined) return value;
  if (Array.isArray(value)) {
    const items = s['items'];
    if (typeof items !== 'object' || items === null) return value;
    const child = resolveNode(items as OpenApiSchema);
    return value.map((v, i) => walk(v, child, `${path}[${i}]`, parentStruct, w));
  }
  const obj = value as Record<string, unknown>;
  const props = s['properties'] as Record<string, OpenApiSchema> | undefined;
  const add = s['additionalProperties'];
  const struct = node.name === undefined ? parentStruct : (node.name.split('.').pop() ?? parentStruct);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const p = path === '' ? k : `${path}.${k}`;
    const propSchema = props?.[k];
    if (propSchema !== undefined) {
      out[k] = walk(v, resolveNode(propSchema), p, struct, w);
    } else if (typeof add === 'object' && add !== null) {
      out[k] = walk(v, resolveNode(add as OpenApiSchema), p, struct, w);
    } else if (add === true || (props === undefined && s['type'] !== 'object') || s['x-kubernetes-preserve-unknown-fields'] === true
      || (s['x-kubernetes-embedded-resource'] === true && (k === 'apiVersion' || k === 'kind' || k === 'metadata'))) {
      out[k] = v;
    } else if ((w.builtin || node.name === FIELDS_V1) && props === undefined && add === undefined && s['type'] === 'object' && Object.keys(s).every((x) => x === 'type' || x === 'description')) {
      // Free-form object (RawExtension, FieldsV1): keep as sent.
      out[k] = v;
    } else {
      w.unknown.push(p);
    }
  }
  return out;
}

/**
 * A custom resource with a status subresource whose schema does not declare
 * status: writes to the main resource reset status anyway, so Kubernetes
 * drops it without calling it an unknown field.
 */
function dropsUndeclaredStatus(resource: ResourceInfo, schema: OpenApiSchema, options: DecodeOptions): boolean {
  if (resource.crd === undefined || (options.subresource ?? '') === 'status') return false;
  if (!resource.subresources.some((s) => s.name === 'status')) return false;
  const props = schema['properties'] as Record<string, unknown> | undefined;
  return props?.['status'] === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true;
}

export function decodeObject(lookup: SchemaLookup, resource: ResourceInfo, obj: KubeObject, options: DecodeOptions): DecodeResult {
  const type = lookup.forKind({ group: resource.group, version: resource.version, kind: resource.kind });
  if (type === undefined) return { object: obj, warnings: [], invalid: [] };
  if ('status' in obj && dropsUndeclaredStatus(resource, type.raw, options)) {
    const { status: _dropped, ...rest } = obj;
    obj = rest;
  }
  const w: Walk = { unknown: [], typeError: undefined, builtin: resource.crd === undefined };
  const pruned = walk(obj, { schema: type.raw, name: undefined }, '', resource.kind, w) as KubeObject;
  const result: DecodeResult = { object: pruned, warnings: [], invalid: [] };
  if (w.typeError !== undefined) {
    result.badRequest = `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: ${w.typeError}`;
    return result;
  }
  const problems = [
    ...w.unknown.map((p) => `unknown field "${p}"`),
    ...(options.rawBody === undefined ? [] : findDuplicateFields(options.rawBody).map((p) => `duplicate field "${p}"`)),
  ];
  if (problems.length === 0) return result;
  if (options.fieldValidation === 'Strict') result.badRequest = `strict decoding error: ${problems.join(', ')}`;
  else if (options.fieldValidation === 'Warn') result.warnings = problems;
  return result;
}
