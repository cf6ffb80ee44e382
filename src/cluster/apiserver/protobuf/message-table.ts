/**
 * A compact description of Kubernetes protobuf messages, one line per field:
 *
 *   "<number> <json name> [type][!]"
 *
 * - type defaults to `string`; scalars: string bytes bool int32 int64 uint32
 *   uint64 double float; specials: Time MicroTime Duration IntOrString
 *   Quantity RawExtension FieldsV1 ExtraValue; anything else names a message.
 * - `[T]` is repeated, `{T}` a map<string, T>.
 * - `!` keeps the JSON field when it holds a zero value: Go pointers
 *   (`*int32` replicas) and fields without omitempty (`containerPort`).
 *   Without it, zero scalars are dropped, as Go's omitempty does after
 *   gogo-protobuf decoded them (gogo writes non-pointer zero values).
 * - json name `*` inlines the message's fields into the parent (Go embedded
 *   structs such as Probe's ProbeHandler or Volume's VolumeSource).
 *
 * Field numbers are the interface facts of k8s.io/api generated.proto; the
 * lists name only the fields Berth needs and stay in Go declaration order,
 * which is the JSON key order.
 */

export const SCALAR_TYPES = ['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float'] as const;
export const SPECIAL_TYPES = ['Time', 'MicroTime', 'Duration', 'IntOrString', 'Quantity', 'RawExtension', 'FieldsV1', 'ExtraValue'] as const;

export type ScalarType = (typeof SCALAR_TYPES)[number];
export type SpecialType = (typeof SPECIAL_TYPES)[number];

export interface FieldDef {
  readonly no: number;
  /** JSON name, or '*' for an inlined (embedded) message. */
  readonly json: string;
  readonly type: string;
  readonly category: 'scalar' | 'special' | 'message';
  readonly repeated: boolean;
  readonly map: boolean;
  /** Emit zero values (Go pointer or non-omitempty field). */
  readonly keep: boolean;
}

export interface MessageDef {
  readonly name: string;
  readonly fields: readonly FieldDef[];
  readonly byNumber: ReadonlyMap<number, FieldDef>;
}

/** Message name → field lines. */
export type MessageTable = Readonly<Record<string, readonly string[]>>;

const scalarSet = new Set<string>(SCALAR_TYPES);
const specialSet = new Set<string>(SPECIAL_TYPES);

export function parseFieldLine(line: string, message: string): FieldDef {
  const m = /^(\d+) ([^\s!]+)(?: ([^\s!]+))?(!)?$/.exec(line.trim());
  if (m === null) throw new Error(`${message}: malformed field line ${JSON.stringify(line)}`);
  const [, no, json, rawType, bang] = m;
  let type = rawType ?? 'string';
  let repeated = false;
  let map = false;
  if (type.startsWith('[') && type.endsWith(']')) {
    repeated = true;
    type = type.slice(1, -1);
  } else if (type.startsWith('{') && type.endsWith('}')) {
    map = true;
    type = type.slice(1, -1);
  }
  const category = scalarSet.has(type) ? 'scalar' : specialSet.has(type) ? 'special' : 'message';
  return { no: Number(no), json: json as string, type, category, repeated, map, keep: bang === '!' };
}

/** Compiles tables into message definitions; throws on references to unknown messages. */
export function compileTables(...tables: MessageTable[]): Map<string, MessageDef> {
  const out = new Map<string, MessageDef>();
  for (const table of tables) {
    for (const [name, lines] of Object.entries(table)) {
      if (out.has(name)) throw new Error(`message ${name} defined twice`);
      const fields = lines.map((l) => parseFieldLine(l, name));
      const byNumber = new Map<number, FieldDef>();
      for (const f of fields) {
        if (byNumber.has(f.no)) throw new Error(`${name}: field number ${f.no} used twice`);
        byNumber.set(f.no, f);
      }
      out.set(name, { name, fields, byNumber });
    }
  }
  for (const def of out.values()) {
    for (const f of def.fields) {
      if (f.category === 'message' && !out.has(f.type)) throw new Error(`${def.name}.${f.json}: unknown message ${f.type}`);
      if (f.json === '*' && (f.category !== 'message' || f.repeated || f.map)) throw new Error(`${def.name}: only a single message can be inlined`);
    }
  }
  return out;
}
