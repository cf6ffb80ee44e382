/**
 * A tiny protobuf wire writer for tests, independent of protobufjs and of
 * the decoder's tables: each helper returns the bytes of one field.
 */
export type Bytes = number[];

export function varint(value: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

const tag = (no: number, wire: number): Bytes => varint((no << 3) | wire);

export const int = (no: number, value: number | bigint): Bytes => [...tag(no, 0), ...varint(value)];
export const bool = (no: number, value: boolean): Bytes => int(no, value ? 1 : 0);

export function bytes(no: number, data: Uint8Array | Bytes): Bytes {
  const arr = [...data];
  return [...tag(no, 2), ...varint(arr.length), ...arr];
}

export const str = (no: number, s: string): Bytes => bytes(no, Buffer.from(s, 'utf8'));
export const msg = (no: number, ...fields: Bytes[]): Bytes => bytes(no, fields.flat());
/** A map<string, V> entry whose value is already encoded as field 2. */
export const entry = (no: number, key: string, value: Bytes): Bytes => msg(no, str(1, key), value);
export const packed = (no: number, values: number[]): Bytes => bytes(no, values.flatMap((v) => varint(v)));

/** `k8s\0` + runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Bytes): Uint8Array {
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...bytes(2, raw), ...str(3, ''), ...str(4, '')]);
}
