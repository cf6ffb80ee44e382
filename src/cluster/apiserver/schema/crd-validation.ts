/**
 * Validation of custom objects against their CRD's structural schema with
 * ajv, errors rendered as the apiextensions server (kube-openapi validate)
 * words them: `spec.replicas: Invalid value: "string": spec.replicas in body
 * must be of type integer: "string"`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { errorMessage } from '../../../core/errors.js';
import { logger } from '../../../core/log.js';
import { fieldErrors } from './field-errors.js';
import type { FieldError, OpenApiSchema } from './types.js';

// Unknown formats are accepted silently, as kube-openapi does.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, logger: false });
const anything = { validate: (): boolean => true };
for (const f of ['int32', 'int64', 'float', 'double', 'password', 'binary', 'hostname', 'ipv4', 'ipv6', 'cidr', 'uri', 'email', 'mac', 'isbn', 'ssn', 'hexcolor', 'rgbcolor', 'duration', 'datetime']) {
  ajv.addFormat(f, anything);
}
ajv.addFormat('date-time', { validate: (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s) });
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('uuid', /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/);
ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);

const compiled = new WeakMap<object, ValidateFunction>();
const log = logger('apiserver.schema');

/** OpenAPI v3 (Kubernetes dialect) → JSON Schema ajv understands. */
function toJsonSchema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toJsonSchema);
  if (typeof s !== 'object' || s === null) return s;
  const src = s as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'description' || k === 'example' || k === 'default') continue;
    if (k === 'properties' || k === 'patternProperties' || k === 'definitions') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([pk, pv]) => [pk, toJsonSchema(pv)]));
    } else {
      out[k] = toJsonSchema(v);
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    // One type error "must be of type integer,string", as kube-openapi reports it.
    delete out['anyOf'];
    out['type'] = ['integer', 'string'];
  }
  if (src['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  return out;
}

function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((p) => p !== '')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let cur = obj;
  for (const seg of instancePath.split('/').filter((p) => p !== '')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[seg.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return cur;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function toFieldError(e: ErrorObject, obj: unknown): FieldError | undefined {
  const field = pathOf(e.instancePath);
  const value = valueAt(obj, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(p['missingProperty']);
      return fieldErrors.required(field === '' ? missing : `${field}.${missing}`);
    }
    case 'type': {
      const t = typeName(value);
      return fieldErrors.typeInvalid(field, t, `${field} in body must be of type ${String(p['type'])}: "${t}"`);
    }
    case 'enum':
      return fieldErrors.notSupported(field, value, (p['allowedValues'] as unknown[]).map((x) => String(x)));
    case 'minimum':
      return fieldErrors.invalid(field, value, `${field} in body should be greater than or equal to ${String(p['limit'])}`);
    case 'maximum':
      return fieldErrors.invalid(field, value, `${field} in body should be less than or equal to ${String(p['limit'])}`);
    case 'exclusiveMinimum':
      return fieldErrors.invalid(field, value, `${field} in body should be greater than ${String(p['limit'])}`);
    case 'exclusiveMaximum':
      return fieldErrors.invalid(field, value, `${field} in body should be less than ${String(p['limit'])}`);
    case 'maxLength':
      return fieldErrors.tooLong(field, Number(p['limit']));
    case 'minLength':
      return fieldErrors.invalid(field, value, `${field} in body should be at least ${String(p['limit'])} chars long`);
    case 'pattern':
      return fieldErrors.invalid(field, value, `${field} in body should match '${String(p['pattern'])}'`);
    case 'maxItems':
      return fieldErrors.tooMany(field, Array.isArray(value) ? value.length : -1, Number(p['limit']));
    case 'minItems':
      return fieldErrors.invalid(field, value, `${field} in body should have at least ${String(p['limit'])} items`);
    case 'maxProperties':
      return fieldErrors.tooMany(field, -1, Number(p['limit']));
    case 'minProperties':
      return fieldErrors.invalid(field, value, `${field} in body should have at least ${String(p['limit'])} properties`);
    case 'format':
      return fieldErrors.invalid(field, value, `${field} in body must be of type ${String(p['format'])}: ${JSON.stringify(value)}`);
    case 'uniqueItems':
      return fieldErrors.duplicate(`${field}[${String(p['j'])}]`, valueAt(obj, `${e.instancePath}/${String(p['j'])}`));
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
    case 'not':
    case 'if':
      return undefined;
    default:
      return fieldErrors.invalid(field, value, e.message ?? 'invalid');
  }
}

/** Errors of `obj` against a CRD version's openAPIV3Schema (metadata excluded: validated separately). */
export function validateAgainstCrdSchema(schema: OpenApiSchema, obj: unknown): FieldError[] {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    const js = toJsonSchema(schema) as Record<string, unknown>;
    const props = { ...((js['properties'] as Record<string, unknown> | undefined) ?? {}) };
    delete props['metadata'];
    delete js['$schema'];
    try {
      validate = ajv.compile({ ...js, properties: props });
    } catch (err) {
      // A schema ajv cannot compile (not structural): serve the objects unvalidated rather than fail every write.
      log.warn('CRD schema not compilable; objects are not schema-validated', { error: errorMessage(err) });
      validate = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;
    }
    compiled.set(schema, validate);
  }
  if (validate(obj)) return [];
  const out: FieldError[] = [];
  for (const e of validate.errors ?? []) {
    const fe = toFieldError(e, obj);
    if (fe !== undefined && !out.some((x) => x.field === fe.field && x.message === fe.message)) out.push(fe);
  }
  return out;
}
