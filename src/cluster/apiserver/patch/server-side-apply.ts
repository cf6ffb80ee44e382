/**
 * Server-side apply (`application/apply-patch+yaml`), following Kubernetes'
 * FieldManager.Apply chain: version check, the kubectl last-applied upgrade
 * path (conflicts with fields kubectl client-side apply already set are
 * forced), "before-first-apply" ownership of pre-existing fields, the merge
 * and prune of structured-merge-diff, and conflicts rendered as the 409
 * kubectl prints.
 */
import { parse as parseYaml, parseDocument } from 'yaml';
import type { ApplyOptions, ApplyResult } from './index.js';
import { conflictError } from './conflicts.js';
import { applyIdentifier, chainContext, managedFieldsOf, metadataOf, recordUpdate, stripMeta, withManagedFields, withoutManagedFields, type ChainContext } from './manager-chain.js';
import { decodeManagedFields, encodeManagedFields, type Managed } from './managed-fields.js';
import { FieldSet } from './field-set.js';
import { badRequest, plainServerError } from './patch-errors.js';
import { compareObjects, toFieldSet } from './typed-walk.js';
import { dropNullFields, validateApplied } from './typed-ops.js';
import { ConflictsError, updaterApply } from './updater.js';
import { goJsonStringify, isObject, type JsonObject, type JsonValue } from './json-value.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Parses an apply body (YAML or JSON) into an object; duplicate keys matter only for Strict/Warn. */
export function decodeApplyBody(body: string | Uint8Array, fieldValidation: ApplyOptions['fieldValidation'] = 'Ignore'): { object: JsonObject; warnings: string[]; strictError?: string } {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    throw badRequest(`error decoding YAML: error converting YAML to JSON: yaml: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null || parsed === undefined) parsed = {};
  if (!isObject(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
    throw badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  const warnings: string[] = [];
  let strictError: string | undefined;
  if (fieldValidation === 'Strict' || fieldValidation === 'Warn') {
    const duplicates = duplicateKeyErrors(text);
    if (duplicates !== undefined) {
      if (fieldValidation === 'Strict') strictError = duplicates;
      else warnings.push(duplicates);
    }
  }
  return strictError === undefined ? { object: parsed, warnings } : { object: parsed, warnings, strictError };
}

/** Duplicate keys worded like sigs.k8s.io/yaml's strict decoding (go-yaml v2 unmarshal errors). */
function duplicateKeyErrors(text: string): string | undefined {
  const lines: string[] = [];
  for (const err of parseDocument(text, { uniqueKeys: true }).errors) {
    if (err.code !== 'DUPLICATE_KEY') continue;
    const raw = text.slice(err.pos[0], err.pos[1]);
    let key: unknown = raw;
    try {
      key = parseYaml(raw);
    } catch {
      // keep the raw text
    }
    lines.push(`line ${err.linePos?.[0].line ?? 0}: key ${JSON.stringify(String(key))} already set in map`);
  }
  return lines.length === 0 ? undefined : `error converting YAML to JSON: yaml: unmarshal errors:\n  ${lines.join('\n  ')}`;
}

/**
 * Applies `body` for `opts.manager`. `live` is the stored object, undefined
 * when the apply creates it. Throws the 400/409/500 errors Kubernetes
 * answers; on success returns the new object with managedFields.
 */
export function applyPatch(live: JsonObject | undefined, body: string | Uint8Array | JsonObject, opts: ApplyOptions): ApplyResult {
  const decoded = typeof body === 'string' || body instanceof Uint8Array ? decodeApplyBody(body, opts.fieldValidation) : { object: body, warnings: [] as string[] };
  const applied = decoded.object;
  const ctx = chainContext(opts);
  const liveObj = live ?? ctx.emptyObject;

  const gvk = gvkString(applied);
  if (applied['apiVersion'] !== opts.apiVersion || applied['kind'] !== opts.kind) throw badRequest(`invalid object type: ${gvk}`);

  let managed: Managed;
  try {
    managed = decodeManagedFields(managedFieldsOf(liveObj));
  } catch (err) {
    throw plainServerError(`failed to decode managed fields: ${err instanceof Error ? err.message : String(err)}`);
  }

  let result: { object: JsonObject; managed: Managed };
  try {
    result = applyWithLastApplied(liveObj, applied, managed, opts, ctx);
  } catch (err) {
    if (err instanceof ConflictsError) throw conflictError(err.conflicts);
    throw err;
  }

  if ('strictError' in decoded && decoded.strictError !== undefined) throw badRequest(`error strict decoding YAML: ${decoded.strictError}`);

  let object = result.object;
  if (opts.manager === 'kubectl' && hasLastApplied(object)) object = setLastApplied(object, applied);
  const entries = encodeManagedFields(result.managed) ?? [];
  return { object: withManagedFields(object, entries), managedFields: entries, changed: !sameContent(liveObj, object), warnings: decoded.warnings };
}

function sameContent(a: JsonObject, b: JsonObject): boolean {
  return JSON.stringify(withoutManagedFields(a)) === JSON.stringify(withoutManagedFields(b));
}

/** kubectl's upgrade path from client-side apply: conflicts on fields its last-applied annotation set are forced. */
function applyWithLastApplied(live: JsonObject, applied: JsonObject, managed: Managed, opts: ApplyOptions, ctx: ChainContext): { object: JsonObject; managed: Managed } {
  const attempt = (force: boolean): { object: JsonObject; managed: Managed } => {
    const copy: Managed = { fields: new Map(managed.fields), times: new Map(managed.times) };
    return applyInner(live, applied, copy, opts.manager, force, ctx);
  };
  try {
    return attempt(opts.force === true);
  } catch (err) {
    if (!(err instanceof ConflictsError) || opts.manager !== 'kubectl') throw err;
    const allowed = allowedFromLastApplied(live, ctx);
    if (allowed === undefined) throw err;
    const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw new ConflictsError(remaining);
    return attempt(true);
  }
}

function applyInner(live: JsonObject, applied: JsonObject, managed: Managed, manager: string, force: boolean, ctx: ChainContext): { object: JsonObject; managed: Managed } {
  let current = live;
  if (managed.fields.size === 0) {
    // Fields that existed before the first apply belong to "before-first-apply".
    recordUpdate(ctx.emptyObject, live, managed, 'before-first-apply', ctx);
    current = withManagedFields(live, undefined);
  }
  const id = applyIdentifier(manager, ctx);

  const meta = metadataOf(applied);
  if (meta !== undefined && meta['managedFields'] !== undefined && meta['managedFields'] !== null) throw badRequest('metadata.managedFields must be nil');
  const errors = validateApplied(applied, ctx.structure);
  if (errors.length > 0) {
    const detail = errors.length === 1 ? (errors[0] as string) : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
    throw plainServerError(`failed to create typed patch object (${objectRef(applied)}): ${detail}`);
  }

  const { object, changed } = updaterApply(withoutManagedFields(current), applied, managed, id, force, ctx);
  stripMeta(managed, id);
  if (!changed) return { object: withoutManagedFields(live), managed };
  managed.times.set(id, ctx.now);
  return { object: dropNullFields(object) as JsonObject, managed };
}

function allowedFromLastApplied(live: JsonObject, ctx: ChainContext): FieldSet | undefined {
  const raw = metadataOf(live)?.['annotations'];
  const text = isObject(raw) ? raw[LAST_APPLIED_ANNOTATION] : undefined;
  if (typeof text !== 'string' || text === '') return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last['apiVersion'] !== ctx.version) return undefined;
  try {
    const c = compareObjects(last, withoutManagedFields(live), ctx.structure);
    return toFieldSet(last, ctx.structure).difference(c.modified).difference(c.added).difference(c.removed);
  } catch {
    return undefined;
  }
}

function hasLastApplied(obj: JsonObject): boolean {
  const a = metadataOf(obj)?.['annotations'];
  return isObject(a) && typeof a[LAST_APPLIED_ANNOTATION] === 'string' && a[LAST_APPLIED_ANNOTATION] !== '';
}

/** The annotation kubectl server-side apply keeps in sync: the applied object as Go's encoder writes it. */
function setLastApplied(obj: JsonObject, applied: JsonObject): JsonObject {
  const config = structuredClone(applied);
  const cm = metadataOf(config);
  const ca = cm?.['annotations'];
  // Like upstream's buildLastApplied, an annotations map left empty stays as {}.
  if (isObject(ca)) delete ca[LAST_APPLIED_ANNOTATION];
  const out = structuredClone(obj);
  const annotations = metadataOf(out)?.['annotations'] as JsonObject;
  annotations[LAST_APPLIED_ANNOTATION] = `${goJsonStringify(config as JsonValue)}\n`;
  return out;
}

/** schema.GroupVersionKind's String(): "apps/v1, Kind=Deployment", "/v1, Kind=ConfigMap". */
export function gvkString(obj: JsonObject): string {
  const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return `${group}/${version}, Kind=${kind}`;
}

function objectRef(obj: JsonObject): string {
  const meta = metadataOf(obj);
  const ns = typeof meta?.['namespace'] === 'string' ? meta['namespace'] : '';
  const name = typeof meta?.['name'] === 'string' ? meta['name'] : '';
  return `${ns}/${name}; ${gvkString(obj)}`;
}
