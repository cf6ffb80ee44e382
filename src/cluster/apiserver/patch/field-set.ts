/**
 * A set of field paths, shaped like structured-merge-diff's fieldpath.Set:
 * a tree whose nodes have members (paths that end here) and children
 * (paths that continue). The set operations keep SMD's semantics exactly —
 * in particular Difference removes members only, while RecursiveDifference
 * also drops everything below a removed member.
 */
import { comparePathElements, fieldPE, serializePathElement, type FieldPath, type PathElement } from './path-element.js';
import type { TypeStructure } from './index.js';

export type { FieldPath, PathElement } from './path-element.js';

interface ChildNode {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

export class FieldSet {
  /** Keyed by the FieldsV1 serialization, which is canonical. */
  private readonly memberMap = new Map<string, PathElement>();
  private readonly childMap = new Map<string, ChildNode>();

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Inserts a path; parents are not made members. The empty path (the whole object) is ignored. */
  insert(path: FieldPath): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i] as PathElement);
    const last = path[path.length - 1] as PathElement;
    node.memberMap.set(serializePathElement(last), last);
  }

  private descend(pe: PathElement): FieldSet {
    const k = serializePathElement(pe);
    let c = this.childMap.get(k);
    if (c === undefined) {
      c = { pe, set: new FieldSet() };
      this.childMap.set(k, c);
    }
    return c.set;
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node !== undefined; i++) node = node.childMap.get(serializePathElement(path[i] as PathElement))?.set;
    return node !== undefined && node.memberMap.has(serializePathElement(path[path.length - 1] as PathElement));
  }

  hasMember(pe: PathElement): boolean {
    return this.memberMap.has(serializePathElement(pe));
  }

  /** The subset below `pe`, without the prefix. */
  withPrefix(pe: PathElement): FieldSet {
    return this.childMap.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  empty(): boolean {
    if (this.memberMap.size > 0) return false;
    for (const c of this.childMap.values()) if (!c.set.empty()) return false;
    return true;
  }

  size(): number {
    let n = this.memberMap.size;
    for (const c of this.childMap.values()) n += c.set.size();
    return n;
  }

  union(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.memberMap) out.memberMap.set(k, pe);
    for (const [k, pe] of other.memberMap) out.memberMap.set(k, pe);
    for (const [k, c] of this.childMap) {
      const o = other.childMap.get(k);
      out.childMap.set(k, { pe: c.pe, set: o === undefined ? c.set : c.set.union(o.set) });
    }
    for (const [k, c] of other.childMap) if (!out.childMap.has(k)) out.childMap.set(k, c);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.memberMap) if (other.memberMap.has(k)) out.memberMap.set(k, pe);
    for (const [k, c] of this.childMap) {
      const o = other.childMap.get(k);
      if (o === undefined) continue;
      const r = c.set.intersection(o.set);
      if (!r.empty()) out.childMap.set(k, { pe: c.pe, set: r });
    }
    return out;
  }

  /** Members of `other` are removed; children are subtracted node by node. */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.memberMap) if (!other.memberMap.has(k)) out.memberMap.set(k, pe);
    for (const [k, c] of this.childMap) {
      const o = other.childMap.get(k);
      if (o === undefined) {
        out.childMap.set(k, c);
        continue;
      }
      const d = c.set.difference(o.set);
      if (!d.empty()) out.childMap.set(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /** Like difference, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.memberMap) if (!other.memberMap.has(k)) out.memberMap.set(k, pe);
    for (const [k, c] of this.childMap) {
      if (other.memberMap.has(k)) continue;
      const o = other.childMap.get(k);
      if (o === undefined) {
        out.childMap.set(k, c);
        continue;
      }
      const d = c.set.recursiveDifference(o.set);
      if (!d.empty()) out.childMap.set(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /**
   * Adds as members the named (declared) fields that only appear as
   * parents, so pruning can remove a struct field whose children were all
   * dropped. Map keys and list items are left alone.
   */
  ensureNamedFieldsAreMembers(structure: TypeStructure | undefined): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.memberMap) out.memberMap.set(k, pe);
    for (const [k, c] of this.childMap) {
      let childStructure: TypeStructure | undefined;
      if (c.pe.kind === 'field' && structure?.kind === 'object') {
        const declared = structure.field(c.pe.name);
        if (declared !== undefined) out.memberMap.set(k, c.pe);
        childStructure = declared ?? structure.elements();
      } else if (c.pe.kind === 'key' && structure?.kind === 'list') {
        childStructure = structure.elements();
      }
      out.childMap.set(k, { pe: c.pe, set: c.set.ensureNamedFieldsAreMembers(childStructure) });
    }
    return out;
  }

  /** Sorted members and children, as SMD stores them. */
  sortedMembers(): PathElement[] {
    return [...this.memberMap.values()].sort(comparePathElements);
  }

  sortedChildren(): { pe: PathElement; set: FieldSet }[] {
    return [...this.childMap.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
  }

  /** Every member path in SMD's order: this node's members, then each child's subtree. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (set: FieldSet, prefix: PathElement[]): void => {
      for (const pe of set.sortedMembers()) out.push([...prefix, pe]);
      for (const c of set.sortedChildren()) walk(c.set, [...prefix, c.pe]);
    };
    walk(this, []);
    return out;
  }

  equals(other: FieldSet): boolean {
    const a = this.paths().map((p) => p.map(serializePathElement).join('\u0000'));
    const b = other.paths().map((p) => p.map(serializePathElement).join('\u0000'));
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  /** Builds a set from dotted field-name paths such as ["status"] or ["metadata", "labels"]. */
  static fromFieldNames(paths: readonly (readonly string[])[]): FieldSet {
    return FieldSet.of(...paths.map((p) => p.map(fieldPE)));
  }
}
