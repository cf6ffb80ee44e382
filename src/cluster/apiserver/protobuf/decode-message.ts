/**
 * Decodes a Kubernetes protobuf message into the JSON Kubernetes' own
 * encoding would produce for the same Go value: omitempty zeros dropped,
 * pointers kept, embedded structs inlined, bytes in base64, times in
 * RFC 3339, IntOrString/Quantity as their JSON forms. Unknown fields are
 * skipped, as a decoder built for an older API would.
 */
import protobuf from 'protobufjs/minimal.js';
import type { FieldDef, MessageDef } from './message-table.js';
import { MESSAGES } from './kinds.js';
import type { JsonObject, JsonValue } from './index.js';

type Reader = protobuf.Reader;
const { Reader: ReaderClass } = protobuf;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  return (v as { toNumber(): number }).toNumber();
}

function readScalar(r: Reader, type: string, wire: number): JsonValue {
  switch (type) {
    case 'string':
      return r.string();
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    case 'int64':
      return toNumber(r.int64());
    case 'uint64':
      return toNumber(r.uint64());
    case 'double':
      return r.double();
    case 'float':
      return r.float();
    default:
      throw new ProtobufDecodeError(`unsupported scalar ${type} (wire type ${wire})`);
  }
}

function isZero(v: JsonValue | undefined): boolean {
  return v === '' || v === 0 || v === false;
}

function subReader(r: Reader): { reader: Reader; end: number } {
  const len = r.uint32();
  const end = r.pos + len;
  if (end > r.len) throw new ProtobufDecodeError('index out of range: truncated message');
  return { reader: r, end };
}

/** Time/MicroTime: {seconds, nanos}; an empty message is the zero time (JSON null). */
function readTime(r: Reader, micro: boolean): JsonValue {
  const { end } = subReader(r);
  let seconds = 0;
  let nanos = 0;
  let any = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === (1 << 3) + WIRE_VARINT) {
      seconds = toNumber(r.int64());
      any = true;
    } else if (tag === (2 << 3) + WIRE_VARINT) {
      nanos = r.int32();
      any = true;
    } else {
      r.skipType(tag & 7);
    }
  }
  if (!any) return null;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  // metav1.Time drops sub-second precision; MicroTime keeps microseconds.
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

/** Go's time.Duration.String(). */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trimFraction(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trimFraction(n / 1e6)}ms`;
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = `${trimFraction(n / 1e9)}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  if (m > 0) return `${sign}${m}m${s}`;
  return `${sign}${s}`;
}

function trimFraction(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

/** Calls fn for each field of the message ending at `end`; fn must consume the value or return false to skip it. */
function eachField(r: Reader, end: number, fn: (no: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    if (!fn(tag >>> 3, tag & 7)) r.skipType(tag & 7);
  }
}

function readSpecial(r: Reader, type: string): JsonValue {
  if (type === 'Time' || type === 'MicroTime') return readTime(r, type === 'MicroTime');
  const { end } = subReader(r);
  switch (type) {
    case 'IntOrString': {
      let kind = 0;
      let intVal = 0;
      let strVal = '';
      eachField(r, end, (no, wire) => {
        if (no === 1 && wire === WIRE_VARINT) kind = toNumber(r.int64());
        else if (no === 2 && wire === WIRE_VARINT) intVal = r.int32();
        else if (no === 3 && wire === WIRE_BYTES) strVal = r.string();
        else return false;
        return true;
      });
      return kind === 1 ? strVal : intVal;
    }
    case 'Quantity': {
      let q = '';
      eachField(r, end, (no, wire) => (no === 1 && wire === WIRE_BYTES ? ((q = r.string()), true) : false));
      return q;
    }
    case 'Duration': {
      let ns = 0;
      eachField(r, end, (no, wire) => (no === 1 && wire === WIRE_VARINT ? ((ns = toNumber(r.int64())), true) : false));
      return formatDuration(ns);
    }
    case 'ExtraValue': {
      const items: JsonValue[] = [];
      eachField(r, end, (no, wire) => (no === 1 && wire === WIRE_BYTES ? (items.push(r.string()), true) : false));
      return items;
    }
    case 'RawExtension':
    case 'FieldsV1': {
      let bytes: Buffer | undefined;
      eachField(r, end, (no, wire) => (no === 1 && wire === WIRE_BYTES ? ((bytes = Buffer.from(r.bytes())), true) : false));
      return bytes === undefined || bytes.length === 0 ? null : parseEmbedded(bytes);
    }
    default:
      throw new ProtobufDecodeError(`unsupported special type ${type}`);
  }
}

function parseEmbedded(bytes: Buffer): JsonValue {
  try {
    return JSON.parse(bytes.toString('utf8')) as JsonValue;
  } catch {
    return bytes.toString('base64');
  }
}

function readValue(r: Reader, f: FieldDef, wire: number): JsonValue {
  if (f.category === 'scalar') return readScalar(r, f.type, wire);
  if (f.category === 'special') return readSpecial(r, f.type);
  const def = MESSAGES.get(f.type);
  if (def === undefined) throw new ProtobufDecodeError(`unknown message ${f.type}`);
  const { end } = subReader(r);
  return decodeFields(r, end, def);
}

function readMapEntry(r: Reader, f: FieldDef): [string, JsonValue] {
  const { end } = subReader(r);
  let key = '';
  let value: JsonValue | undefined;
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wire = tag & 7;
    if (no === 1 && wire === WIRE_BYTES) key = r.string();
    else if (no === 2) value = readValue(r, { ...f, map: false, repeated: false }, wire);
    else r.skipType(wire);
  }
  if (value === undefined) value = f.category === 'scalar' ? (f.type === 'string' || f.type === 'bytes' ? '' : f.type === 'bool' ? false : 0) : f.category === 'message' ? {} : null;
  return [key, value];
}

const PACKABLE = new Set(['bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);

function expectedWire(f: FieldDef): number {
  if (f.category !== 'scalar' || f.type === 'string' || f.type === 'bytes') return WIRE_BYTES;
  if (f.type === 'double') return WIRE_FIXED64;
  if (f.type === 'float') return WIRE_FIXED32;
  return WIRE_VARINT;
}

/** Decodes the fields of one message from r.pos to end. */
export function decodeFields(r: Reader, end: number, def: MessageDef): JsonObject {
  const values = new Map<number, JsonValue>();
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wire = tag & 7;
    const f = def.byNumber.get(no);
    if (f === undefined) {
      r.skipType(wire);
      continue;
    }
    const expected = f.map ? WIRE_BYTES : expectedWire(f);
    if (wire !== expected && !(f.repeated && wire === WIRE_BYTES && PACKABLE.has(f.type))) {
      throw new ProtobufDecodeError(`proto: wrong wireType = ${wire} for field ${f.json === '*' ? f.type : f.json} of ${def.name}`);
    }
    if (f.map) {
      const [k, v] = readMapEntry(r, f);
      const m = (values.get(no) as JsonObject | undefined) ?? {};
      m[k] = v;
      values.set(no, m);
    } else if (f.repeated) {
      const list = (values.get(no) as JsonValue[] | undefined) ?? [];
      if (wire === WIRE_BYTES && f.category === 'scalar' && PACKABLE.has(f.type)) {
        const { end: packedEnd } = subReader(r);
        const elementWire = f.type === 'double' ? WIRE_FIXED64 : f.type === 'float' ? WIRE_FIXED32 : WIRE_VARINT;
        while (r.pos < packedEnd) list.push(readScalar(r, f.type, elementWire));
      } else {
        list.push(readValue(r, f, wire));
      }
      values.set(no, list);
    } else {
      values.set(no, readValue(r, f, wire));
    }
  }
  if (r.pos !== end) throw new ProtobufDecodeError('index out of range: message overran its length');
  const out: JsonObject = {};
  for (const f of def.fields) {
    const v = values.get(f.no);
    if (v === undefined) {
      // A slice without omitempty is `null` in Go's JSON when nil.
      if (f.repeated && f.keep) out[f.json] = null;
      continue;
    }
    if (f.json === '*') {
      Object.assign(out, v as JsonObject);
      continue;
    }
    if (f.category === 'scalar' && !f.repeated && !f.map && !f.keep && isZero(v)) continue;
    if ((f.repeated || f.map) && (Array.isArray(v) ? v.length === 0 : Object.keys(v as JsonObject).length === 0)) {
      if (f.repeated && f.keep) out[f.json] = null;
      continue;
    }
    out[f.json] = v;
  }
  return out;
}

/** Decodes a whole buffer as the named message. */
export function decodeMessage(bytes: Uint8Array, messageName: string): JsonObject {
  const def = MESSAGES.get(messageName);
  if (def === undefined) throw new ProtobufDecodeError(`unknown message ${messageName}`);
  const r = ReaderClass.create(bytes);
  return decodeFields(r, bytes.length, def);
}

