/**
 * RFC 7386 JSON Merge Patch as evanphx/json-patch's MergePatch does it for
 * the API server: nulls delete, objects merge recursively, anything else
 * replaces; nulls inside newly added objects are pruned.
 */
import { badRequest } from './patch-errors.js';
import { deepClone, isObject, type JsonObject, type JsonValue } from './json-value.js';

/** Parses a merge patch body; a syntax error or `null` is "Invalid JSON Patch" (400). */
export function parseMergePatch(body: string | Uint8Array): JsonValue {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch {
    throw badRequest('Invalid JSON Patch');
  }
  if (parsed === null || (!isObject(parsed) && !Array.isArray(parsed))) throw badRequest('Invalid JSON Patch');
  return parsed;
}

/**
 * Merges `patch` into a copy of `doc`. A patch that is an array replaces the
 * document (evanphx behaviour); the caller then fails to decode it as an object.
 */
export function applyMergePatch(doc: JsonValue, patch: JsonValue | string | Uint8Array): JsonValue {
  const p = typeof patch === 'string' || patch instanceof Uint8Array ? parseMergePatch(patch) : patch;
  if (Array.isArray(p)) return pruneNulls(deepClone(p));
  if (!isObject(p)) throw badRequest('Invalid JSON Patch');
  if (!isObject(doc)) return pruneNulls(deepClone(p));
  const out = deepClone(doc);
  mergeInto(out, deepClone(p));
  return out;
}

function mergeInto(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) {
      doc[k] = pruneNulls(v);
    } else if (!isObject(cur)) {
      doc[k] = pruneNulls(v);
    } else if (!isObject(v)) {
      doc[k] = v;
    } else {
      mergeInto(cur, v);
    }
  }
}

/** Drops null-valued keys in objects, recursively; nulls inside arrays stay. */
function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) {
    for (const item of v) if (item !== null) pruneNulls(item);
    return v;
  }
  if (isObject(v)) {
    for (const [k, item] of Object.entries(v)) {
      if (item === null) delete v[k];
      else pruneNulls(item);
    }
  }
  return v;
}
