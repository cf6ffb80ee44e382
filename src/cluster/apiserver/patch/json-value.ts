/**
 * Plain JSON values and the few generic operations every patch engine needs:
 * type tests, deep equality, deep copy, and Go-compatible string ordering
 * (Go compares strings bytewise in UTF-8, JavaScript by UTF-16 code units).
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isScalar(v: unknown): v is JsonPrimitive {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

export function deepClone<T extends JsonValue | undefined>(v: T): T {
  if (v === undefined || v === null || typeof v !== 'object') return v;
  return structuredClone(v);
}

/** Compares strings the way Go's strings.Compare does (bytewise UTF-8). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Serializes JSON like Go's encoding/json on a map: keys sorted, HTML
 * characters escaped. Used where Kubernetes stores bytes it produced with
 * json.Marshal (last-applied-configuration).
 */
export function goJsonStringify(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return goScalar(v);
  if (Array.isArray(v)) return `[${v.map(goJsonStringify).join(',')}]`;
  const keys = Object.keys(v).sort(compareStrings);
  return `{${keys.map((k) => `${goScalar(k)}:${goJsonStringify(v[k] as JsonValue)}`).join(',')}}`;
}

function goScalar(v: JsonPrimitive): string {
  if (typeof v !== 'string') return JSON.stringify(v);
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's %v rendering of an unstructured value, for error messages that embed maps. */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort(compareStrings);
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  return String(v);
}
