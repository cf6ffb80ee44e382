/**
 * RFC 6902 JSON Patch with the behaviour of gopkg.in/evanphx/json-patch.v4,
 * which the Kubernetes API server uses: negative array indexes, `replace`
 * of a missing object key acting as `add`, null meaning "missing" for
 * `test`, and the same error texts. A failed operation becomes the 422
 * Kubernetes answers (its message is fixed; the detail goes to the cause).
 */
import { badRequest, entityTooLarge, genericUnprocessable } from './patch-errors.js';
import { deepClone, deepEqual, isObject, type JsonObject, type JsonValue } from './json-value.js';

const MAX_OPERATIONS = 10000;

export interface JsonPatchOperation {
  op?: unknown;
  path?: unknown;
  from?: unknown;
  value?: JsonValue;
  [key: string]: unknown;
}

/** Decodes a JSON Patch body; errors are the 400/413 Kubernetes answers. */
export function parseJsonPatch(body: string | Uint8Array | readonly unknown[]): JsonPatchOperation[] {
  let parsed: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw badRequest(goSyntaxMessage(err));
    }
  }
  if (!Array.isArray(parsed)) throw badRequest(`json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type jsonpatch.Patch`);
  for (const op of parsed) {
    if (op !== null && !isObject(op)) throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (parsed.length > MAX_OPERATIONS) {
    throw entityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${parsed.length}`);
  }
  return parsed.map((op) => (op === null ? {} : (op as JsonPatchOperation)));
}

/** Applies a JSON Patch to a copy of `doc`. */
export function applyJsonPatch(doc: JsonValue, patch: string | Uint8Array | readonly unknown[]): JsonValue {
  const ops = parseJsonPatch(patch);
  const root: { doc: JsonValue } = { doc: deepClone(doc) };
  for (const op of ops) {
    const failure = applyOne(root, op);
    if (failure !== undefined) throw genericUnprocessable(failure);
  }
  return root.doc;
}

type Container = JsonObject | JsonValue[];

function decodeKey(k: string): string {
  return k.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number | string {
  if (/^[+-]?\d+$/.test(s)) return Number.parseInt(s, 10);
  return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

/** Reads a key of a container; a string result is an error text. */
function getIn(c: Container, key: string): { value: JsonValue | undefined } | string {
  if (!Array.isArray(c)) return { value: Object.hasOwn(c, key) ? c[key] : undefined };
  const idx = resolveIndex(c.length, key, false);
  if (typeof idx === 'string') return idx;
  return { value: c[idx] };
}

function resolveIndex(len: number, key: string, forInsert: boolean): number | string {
  const n = atoi(key);
  if (typeof n === 'string') return n;
  const size = forInsert ? len + 1 : len;
  if (n >= size || n < -size) return `Unable to access invalid index: ${n}: invalid index referenced`;
  return n < 0 ? n + size : n;
}

function findObject(root: { doc: JsonValue }, path: string): { container: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let node: JsonValue = root.doc;
  if (!isContainer(node)) return undefined;
  for (const part of split.slice(1, -1)) {
    const got = getIn(node as Container, decodeKey(part));
    if (typeof got === 'string' || got.value === undefined || got.value === null || !isContainer(got.value)) return undefined;
    node = got.value;
  }
  return { container: node as Container, key: decodeKey(split[split.length - 1] ?? '') };
}

function isContainer(v: JsonValue): v is Container {
  return Array.isArray(v) || isObject(v);
}

function addTo(c: Container, key: string, value: JsonValue): string | undefined {
  if (!Array.isArray(c)) {
    c[key] = value;
    return undefined;
  }
  if (key === '-') {
    c.push(value);
    return undefined;
  }
  const n = atoi(key);
  if (typeof n === 'string') return `value was not a proper array index: '${key}': ${n}`;
  const idx = resolveIndex(c.length, key, true);
  if (typeof idx === 'string') return idx;
  c.splice(idx, 0, value);
  return undefined;
}

function removeFrom(c: Container, key: string): string | undefined {
  if (!Array.isArray(c)) {
    if (!Object.hasOwn(c, key)) return `Unable to remove nonexistent key: ${key}: missing value`;
    delete c[key];
    return undefined;
  }
  const idx = resolveIndex(c.length, key, false);
  if (typeof idx === 'string') return idx;
  c.splice(idx, 1);
  return undefined;
}

function stringField(op: JsonPatchOperation, name: 'path' | 'from'): string | undefined {
  const v = op[name];
  return typeof v === 'string' ? v : undefined;
}

/** Returns an error text, or undefined on success. */
function applyOne(root: { doc: JsonValue }, op: JsonPatchOperation): string | undefined {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const hasValue = Object.hasOwn(op, 'value');
  const value: JsonValue = hasValue ? deepClone(op.value ?? null) : null;
  const path = stringField(op, 'path');
  switch (kind) {
    case 'add': {
      if (path === undefined) return 'add operation failed to decode path: missing value';
      const at = findObject(root, path);
      if (at === undefined) return `add operation does not apply: doc is missing path: "${path}": missing value`;
      const err = addTo(at.container, at.key, value);
      return err === undefined ? undefined : `error in add for path: '${path}': ${err}`;
    }
    case 'remove': {
      if (path === undefined) return 'remove operation failed to decode path: missing value';
      const at = findObject(root, path);
      if (at === undefined) return `remove operation does not apply: doc is missing path: "${path}": missing value`;
      const err = removeFrom(at.container, at.key);
      return err === undefined ? undefined : `error in remove for path: '${path}': ${err}`;
    }
    case 'replace': {
      if (path === undefined) return 'replace operation failed to decode path: operation missing path field: missing value';
      if (path === '') {
        if (!isContainer(value)) return 'replace operation value must be object or array: %!w(<nil>)';
        root.doc = value;
        return undefined;
      }
      const at = findObject(root, path);
      if (at === undefined) return `replace operation does not apply: doc is missing path: ${path}: missing value`;
      const got = getIn(at.container, at.key);
      if (typeof got === 'string') return `replace operation does not apply: doc is missing key: ${path}: missing value`;
      if (Array.isArray(at.container)) {
        const idx = resolveIndex(at.container.length, at.key, false) as number;
        at.container[idx] = value;
      } else {
        at.container[at.key] = value;
      }
      return undefined;
    }
    case 'move': {
      const from = stringField(op, 'from');
      if (from === undefined) return 'move operation failed to decode from: operation, missing from field: missing value';
      const src = findObject(root, from);
      if (src === undefined) return `move operation does not apply: doc is missing from path: ${from}: missing value`;
      const got = getIn(src.container, src.key);
      if (typeof got === 'string') return `error in move for path: '${src.key}': ${got}`;
      const removeErr = removeFrom(src.container, src.key);
      if (removeErr !== undefined) return `error in move for path: '${src.key}': ${removeErr}`;
      if (path === undefined) return 'move operation failed to decode path: operation missing path field: missing value';
      const dst = findObject(root, path);
      if (dst === undefined) return `move operation does not apply: doc is missing destination path: ${path}: missing value`;
      const err = addTo(dst.container, dst.key, got.value ?? null);
      return err === undefined ? undefined : `error in move for path: '${path}': ${err}`;
    }
    case 'copy': {
      const from = stringField(op, 'from');
      if (from === undefined) return 'copy operation failed to decode from: operation, missing from field: missing value';
      const src = findObject(root, from);
      if (src === undefined) return `copy operation does not apply: doc is missing from path: ${from}: missing value`;
      const got = getIn(src.container, src.key);
      if (typeof got === 'string') return `error in copy for from: '${from}': ${got}`;
      if (path === undefined) return 'copy operation failed to decode path: missing value';
      const dst = findObject(root, path);
      if (dst === undefined) return `copy operation does not apply: doc is missing destination path: ${path}: missing value`;
      const err = addTo(dst.container, dst.key, deepClone(got.value ?? null));
      return err === undefined ? undefined : `error while adding value during copy: ${err}`;
    }
    case 'test':
      return testOp(root, op, path, hasValue, value);
    default:
      return `Unexpected kind: ${kind}`;
  }
}

function testOp(root: { doc: JsonValue }, op: JsonPatchOperation, path: string | undefined, hasValue: boolean, value: JsonValue): string | undefined {
  if (path === undefined) return 'test operation failed to decode path: operation missing path field: missing value';
  const failed = `testing value ${path} failed: test failed`;
  if (path === '') return hasValue && deepEqual(root.doc, value) ? undefined : failed;
  const at = findObject(root, path);
  if (at === undefined) return `test operation does not apply: is missing path: ${path}: missing value`;
  const got = getIn(at.container, at.key);
  if (typeof got === 'string') return `error in test for path: '${path}': ${got}`;
  // evanphx treats a JSON null like a missing value on both sides.
  const actual = got.value ?? null;
  if (actual === null) return !hasValue || op.value === null ? undefined : failed;
  if (!hasValue) return failed;
  return deepEqual(actual, value) ? undefined : failed;
}

/** Go's json name for the kind of a decoded value ("object", "string", ...). */
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** An approximation of Go's json syntax error text from a JavaScript one. */
export function goSyntaxMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Unexpected end of JSON input/.test(msg)) return 'unexpected end of JSON input';
  const tok = /Unexpected token '?(.)'?/.exec(msg);
  if (tok !== null) return `invalid character '${tok[1] ?? ''}' looking for beginning of value`;
  return msg;
}
