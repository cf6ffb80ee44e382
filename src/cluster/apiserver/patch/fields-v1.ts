/**
 * The FieldsV1 wire form of a field set: a JSON object whose keys are
 * serialized path elements and whose values are the subtrees; `"."` marks a
 * node that is itself a member. Output order follows SMD (sorted elements,
 * `"."` last) so stored bytes match what Kubernetes writes.
 */
import { FieldSet } from './field-set.js';
import { comparePathElements, deserializePathElement, serializePathElement, type PathElement } from './path-element.js';
import { isObject, type JsonObject, type JsonValue } from './json-value.js';

export function fieldSetToFieldsV1(set: FieldSet): JsonObject {
  return emit(set, false);
}

/** Members and non-empty children merged in SMD order; a member with children gets "." last. */
function emit(set: FieldSet, includeSelf: boolean): JsonObject {
  const nodes = new Map<string, { pe: PathElement; member: boolean; child?: FieldSet }>();
  for (const pe of set.sortedMembers()) nodes.set(serializePathElement(pe), { pe, member: true });
  for (const c of set.sortedChildren()) {
    if (c.set.empty()) continue;
    const key = serializePathElement(c.pe);
    const existing = nodes.get(key);
    if (existing !== undefined) existing.child = c.set;
    else nodes.set(key, { pe: c.pe, member: false, child: c.set });
  }
  const out: JsonObject = {};
  for (const [key, n] of [...nodes].sort((a, b) => comparePathElements(a[1].pe, b[1].pe))) {
    out[key] = n.child === undefined ? {} : emit(n.child, n.member);
  }
  if (includeSelf && Object.keys(out).length > 0) out['.'] = {};
  return out;
}

/** Parses FieldsV1; unknown element types are dropped like upstream does. */
export function fieldSetFromFieldsV1(fields: JsonValue | undefined): FieldSet {
  const set = new FieldSet();
  if (fields === undefined || fields === null) return set;
  if (!isObject(fields)) throw new Error('FieldsV1 must be a JSON object');
  read(fields, [], set);
  return set;
}

/** Returns true when the node at `prefix` is a member (explicit "." or an empty object). */
function read(node: JsonObject, prefix: PathElement[], into: FieldSet): boolean {
  let member = false;
  let hasChildren = false;
  for (const [key, value] of Object.entries(node)) {
    if (key === '.') {
      member = true;
      continue;
    }
    const pe = deserializePathElement(key);
    if (pe === undefined) continue;
    if (!isObject(value)) throw new Error(`FieldsV1 value for ${key} must be an object`);
    hasChildren = true;
    const path = [...prefix, pe];
    if (read(value, path, into)) into.insert(path);
  }
  return member || !hasChildren;
}
