/**
 * The JSON of a kind's Go zero value (what `scheme.New(kind)` serializes
 * to): embedded metadata with `creationTimestamp: null`, and every
 * non-pointer struct present as `{}` (fields marked `!` in the tables).
 * Server-side apply and managedFields compare creates against it, which
 * decides where FieldsV1 records a "." for a newly added struct or list.
 */
import type { MessageDef } from './message-table.js';
import { MESSAGES, messageFor } from './kinds.js';
import type { JsonObject } from './index.js';

function zeroOf(def: MessageDef, depth: number): JsonObject {
  const out: JsonObject = {};
  if (depth > 16) return out;
  for (const f of def.fields) {
    if (f.repeated || f.map) {
      // A slice without omitempty marshals as null.
      if (f.repeated && f.keep) out[f.json] = null;
      continue;
    }
    if (f.category === 'message' && (f.keep || f.json === '*')) {
      const sub = zeroOf(MESSAGES.get(f.type) as MessageDef, depth + 1);
      if (f.json === '*') Object.assign(out, sub);
      else out[f.json] = sub;
    } else if (f.category === 'special' && f.keep && (f.type === 'Time' || f.type === 'MicroTime')) {
      out[f.json] = null;
    }
  }
  return out;
}

/** The zero value of a built-in kind as JSON, undefined for kinds without a message table. */
export function zeroObject(apiVersion: string, kind: string): JsonObject | undefined {
  const def = messageFor(apiVersion, kind);
  return def === undefined ? undefined : zeroOf(def, 0);
}
