/**
 * The inverse of decode-message.ts: a Kubernetes JSON object to its protobuf
 * message, fields in number order like gogo-protobuf writes them (repeated
 * scalars unpacked, as proto2). Responses may stay JSON, so this mainly
 * serves tests and clients that insist on protobuf.
 */
import protobuf from 'protobufjs/minimal.js';
import type { FieldDef, MessageDef } from './message-table.js';
import { MESSAGES } from './kinds.js';
import type { JsonObject, JsonValue } from './index.js';

type Writer = protobuf.Writer;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

function wireOf(f: FieldDef): number {
  if (f.category !== 'scalar' || f.type === 'string' || f.type === 'bytes') return WIRE_BYTES;
  if (f.type === 'double') return WIRE_FIXED64;
  if (f.type === 'float') return WIRE_FIXED32;
  return WIRE_VARINT;
}

function writeScalar(w: Writer, type: string, v: JsonValue): void {
  switch (type) {
    case 'string':
      w.string(String(v));
      return;
    case 'bytes':
      w.bytes(Buffer.from(String(v), 'base64'));
      return;
    case 'bool':
      w.bool(v === true);
      return;
    case 'int32':
      w.int32(Number(v));
      return;
    case 'uint32':
      w.uint32(Number(v));
      return;
    case 'int64':
      w.int64(Number(v));
      return;
    case 'uint64':
      w.uint64(Number(v));
      return;
    case 'double':
      w.double(Number(v));
      return;
    case 'float':
      w.float(Number(v));
      return;
  }
}

/** Go duration strings ("1h2m3.5s", "150ms") to nanoseconds. */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  let total = 0;
  const re = /([\d.]+)(ns|us|µs|ms|s|m|h)/g;
  for (const m of s.matchAll(re)) total += Number(m[1]) * (units[m[2] ?? 's'] ?? 1);
  return Math.round(s.startsWith('-') ? -total : total);
}

function writeSpecial(w: Writer, type: string, v: JsonValue): void {
  w.fork();
  switch (type) {
    case 'Time':
    case 'MicroTime': {
      if (typeof v === 'string') {
        const ms = Date.parse(v);
        const seconds = Math.floor(ms / 1000);
        w.uint32((1 << 3) | WIRE_VARINT).int64(seconds);
        const frac = /\.(\d+)/.exec(v)?.[1];
        if (type === 'MicroTime' && frac !== undefined) w.uint32((2 << 3) | WIRE_VARINT).int32(Number(frac.padEnd(9, '0').slice(0, 9)));
      }
      break;
    }
    case 'IntOrString':
      if (typeof v === 'string') w.uint32((1 << 3) | WIRE_VARINT).int64(1).uint32((3 << 3) | WIRE_BYTES).string(v);
      else w.uint32((1 << 3) | WIRE_VARINT).int64(0).uint32((2 << 3) | WIRE_VARINT).int32(Number(v));
      break;
    case 'Quantity':
      w.uint32((1 << 3) | WIRE_BYTES).string(String(v));
      break;
    case 'Duration':
      w.uint32((1 << 3) | WIRE_VARINT).int64(parseDuration(String(v)));
      break;
    case 'ExtraValue':
      for (const item of Array.isArray(v) ? v : []) w.uint32((1 << 3) | WIRE_BYTES).string(String(item));
      break;
    case 'RawExtension':
    case 'FieldsV1':
      if (v !== null) w.uint32((1 << 3) | WIRE_BYTES).bytes(Buffer.from(JSON.stringify(v)));
      break;
  }
  w.ldelim();
}

function writeValue(w: Writer, f: FieldDef, v: JsonValue): void {
  if (f.category === 'scalar') writeScalar(w, f.type, v);
  else if (f.category === 'special') writeSpecial(w, f.type, v);
  else {
    const def = MESSAGES.get(f.type) as MessageDef;
    w.fork();
    encodeFields(w, (v ?? {}) as JsonObject, def);
    w.ldelim();
  }
}

export function encodeFields(w: Writer, obj: JsonObject, def: MessageDef): void {
  for (const f of [...def.fields].sort((a, b) => a.no - b.no)) {
    if (f.json === '*') {
      const inner = MESSAGES.get(f.type) as MessageDef;
      w.uint32((f.no << 3) | WIRE_BYTES).fork();
      encodeFields(w, obj, inner);
      w.ldelim();
      continue;
    }
    const v = obj[f.json];
    if (v === undefined || (v === null && f.category !== 'special')) continue;
    if (f.map) {
      for (const [k, val] of Object.entries((v ?? {}) as JsonObject)) {
        w.uint32((f.no << 3) | WIRE_BYTES).fork();
        w.uint32((1 << 3) | WIRE_BYTES).string(k);
        w.uint32((2 << 3) | wireOf(f));
        writeValue(w, f, val);
        w.ldelim();
      }
    } else if (f.repeated) {
      for (const item of Array.isArray(v) ? v : []) {
        w.uint32((f.no << 3) | wireOf(f));
        writeValue(w, f, item);
      }
    } else {
      w.uint32((f.no << 3) | wireOf(f));
      writeValue(w, f, v);
    }
  }
}

/** Encodes `obj` as the named message (no envelope). */
export function encodeMessage(obj: JsonObject, messageName: string): Uint8Array {
  const def = MESSAGES.get(messageName);
  if (def === undefined) throw new Error(`unknown message ${messageName}`);
  const w = protobuf.Writer.create();
  encodeFields(w, obj, def);
  return w.finish();
}
