/**
 * TypeStructure from OpenAPI v3 (or v2) schemas, following kube-openapi's
 * schemaconv rules: list semantics from x-kubernetes-list-type, else from
 * the SMP patch strategy (merge + key → map, merge → set), else atomic;
 * objects without properties, or with additionalProperties: true, or under
 * x-kubernetes-preserve-unknown-fields, accept any field ("deduced").
 *
 * It reads schemas through SchemaNodeLike, which the schema module's
 * SchemaType satisfies; RawSchemaNode provides the same over a raw document
 * with `$ref` resolution, for tests and callers without that module.
 */
import type { TypeStructure } from './index.js';
import type { JsonValue } from './json-value.js';

/** The subset of a resolved OpenAPI node this module reads. */
export interface SchemaNodeLike {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly type: string | undefined;
  readonly properties: readonly string[];
  field(name: string): SchemaNodeLike | undefined;
  items(): SchemaNodeLike | undefined;
  values(): SchemaNodeLike | undefined;
  readonly listType: 'atomic' | 'set' | 'map' | undefined;
  readonly listMapKeys: readonly string[];
  readonly mapType: 'atomic' | 'granular' | undefined;
  readonly patchStrategy: string | undefined;
  readonly patchMergeKey: string | undefined;
  readonly preserveUnknownFields: boolean;
  readonly intOrString: boolean;
  readonly defaultValue: unknown;
}

/** An OpenAPI v3 document (components.schemas) or a Swagger 2 one (definitions). */
export interface OpenApiDocumentLike {
  components?: { schemas?: Record<string, Record<string, unknown>> };
  definitions?: Record<string, Record<string, unknown>>;
}

const SCALAR_TYPES = new Set(['string', 'integer', 'number', 'boolean']);

class DeducedStructure implements TypeStructure {
  readonly kind = 'any' as const;
  readonly listType = 'atomic' as const;
  readonly listMapKeys: readonly string[] = [];
  readonly mapType = undefined;
  readonly patchStrategy = undefined;
  readonly patchMergeKey = undefined;
  readonly defaultValue = undefined;
  field(): TypeStructure | undefined {
    return undefined;
  }
  elements(): TypeStructure {
    return DEDUCED;
  }
}

const DEDUCED: TypeStructure = new DeducedStructure();

/** The structure of untyped data: objects merge per key, lists are atomic. */
export function deducedStructure(): TypeStructure {
  return DEDUCED;
}

class NodeStructure implements TypeStructure {
  readonly kind: TypeStructure['kind'];
  private readonly fields = new Map<string, TypeStructure | undefined>();
  private elementCache: TypeStructure | undefined | null = null;

  constructor(private readonly node: SchemaNodeLike, private readonly preserveUnknown: boolean) {
    this.kind = kindOf(node);
  }

  field(name: string): TypeStructure | undefined {
    if (this.kind !== 'object') return undefined;
    if (this.fields.has(name)) return this.fields.get(name);
    const child = this.node.properties.includes(name) ? this.node.field(name) : undefined;
    const s = child === undefined ? undefined : wrapNode(child, this.preserveUnknown);
    this.fields.set(name, s);
    return s;
  }

  elements(): TypeStructure | undefined {
    if (this.elementCache !== null) return this.elementCache;
    this.elementCache = this.computeElements();
    return this.elementCache;
  }

  private computeElements(): TypeStructure | undefined {
    if (this.kind === 'any') return DEDUCED;
    if (this.kind === 'list') {
      const items = this.node.items();
      return items === undefined ? DEDUCED : wrapNode(items, this.preserveUnknown);
    }
    if (this.kind !== 'object') return undefined;
    const ap = this.node.raw['additionalProperties'];
    if (typeof ap === 'object' && ap !== null) {
      const values = this.node.values();
      return values === undefined ? DEDUCED : wrapNode(values, this.preserveUnknown);
    }
    if (ap === true || this.preserveUnknown || (ap === undefined && this.node.properties.length === 0)) return DEDUCED;
    return undefined;
  }

  get listType(): TypeStructure['listType'] {
    if (this.kind !== 'list') return undefined;
    if (this.node.listType !== undefined) return this.node.listType;
    const strategy = this.node.patchStrategy;
    if (strategy === 'merge' || strategy === 'merge,retainKeys') return this.node.patchMergeKey === undefined ? 'set' : 'map';
    return 'atomic';
  }

  get listMapKeys(): readonly string[] {
    if (this.kind !== 'list') return [];
    if (this.node.listType !== undefined) return this.node.listType === 'map' ? this.node.listMapKeys : [];
    const key = this.node.patchMergeKey;
    return this.listType === 'map' && key !== undefined ? [key] : [];
  }

  get mapType(): TypeStructure['mapType'] {
    return this.node.mapType;
  }
  get patchStrategy(): string | undefined {
    return this.node.patchStrategy;
  }
  get patchMergeKey(): string | undefined {
    return this.node.patchMergeKey;
  }
  get defaultValue(): JsonValue | undefined {
    return (this.node.defaultValue as JsonValue | undefined) ?? documentedDefault(this.node);
  }
}

/**
 * Our swagger-derived definitions lack kube-openapi's `default` ("TCP" for
 * ContainerPort/ServicePort protocol, a list-map key SSA must fill in), but
 * their descriptions state it: "Defaults to \"TCP\".", "Default is TCP.".
 */
function documentedDefault(node: SchemaNodeLike): string | undefined {
  const description = node.raw['description'];
  if (node.type !== 'string' || typeof description !== 'string') return undefined;
  return /\bDefaults? (?:to|is) "?([A-Za-z0-9-]+)"?\.(?:\s|$)/.exec(description)?.[1];
}

function kindOf(node: SchemaNodeLike): TypeStructure['kind'] {
  if (node.intOrString) return 'scalar';
  const t = node.type;
  if (t === 'array') return 'list';
  if (t === 'object') return 'object';
  if (t !== undefined && SCALAR_TYPES.has(t)) return 'scalar';
  const raw = node.raw;
  if (node.properties.length > 0 || raw['additionalProperties'] !== undefined) return 'object';
  if (raw['items'] !== undefined) return 'list';
  for (const key of ['anyOf', 'oneOf']) {
    const alts = raw[key];
    if (Array.isArray(alts) && alts.length > 0 && alts.every((a) => typeof a === 'object' && a !== null && SCALAR_TYPES.has(String((a as Record<string, unknown>)['type'])))) {
      return 'scalar';
    }
  }
  return 'any';
}

const nodeCache = new WeakMap<object, { plain?: TypeStructure; preserved?: TypeStructure }>();

function wrapNode(node: SchemaNodeLike, inheritedPreserve: boolean): TypeStructure {
  const preserve = inheritedPreserve || node.preserveUnknownFields;
  let entry = nodeCache.get(node);
  if (entry === undefined) {
    entry = {};
    nodeCache.set(node, entry);
  }
  const slot = preserve ? 'preserved' : 'plain';
  const hit = entry[slot];
  if (hit !== undefined) return hit;
  const s = new NodeStructure(node, preserve);
  entry[slot] = s;
  return s;
}

/** A TypeStructure over a resolved schema node (e.g. the schema module's SchemaType). */
export function structureFromSchemaNode(node: SchemaNodeLike): TypeStructure {
  return wrapNode(node, false);
}

export type RefResolver = (ref: string) => Record<string, unknown> | undefined;

const REF_PREFIXES = ['#/components/schemas/', '#/definitions/'];

function resolverFor(doc: OpenApiDocumentLike): RefResolver {
  const schemas = doc.components?.schemas ?? doc.definitions ?? {};
  return (ref) => {
    for (const p of REF_PREFIXES) if (ref.startsWith(p)) return schemas[ref.slice(p.length)];
    return undefined;
  };
}

function refOf(raw: Readonly<Record<string, unknown>>): string | undefined {
  if (typeof raw['$ref'] === 'string') return raw['$ref'];
  const all = raw['allOf'];
  if (Array.isArray(all) && all.length === 1) {
    const only = all[0] as Record<string, unknown> | undefined;
    if (only !== undefined && typeof only['$ref'] === 'string') return only['$ref'];
  }
  return undefined;
}

/** SchemaNodeLike over a raw schema; a `$ref` (or single-entry allOf) merges the target under the node's own keys. */
class RawSchemaNode implements SchemaNodeLike {
  readonly raw: Readonly<Record<string, unknown>>;

  constructor(raw: Readonly<Record<string, unknown>>, private readonly resolve: RefResolver, depth = 0) {
    const ref = refOf(raw);
    const target = ref === undefined || depth > 32 ? undefined : resolve(ref);
    if (target === undefined) {
      this.raw = raw;
    } else {
      const rest: Record<string, unknown> = { ...raw };
      delete rest['$ref'];
      delete rest['allOf'];
      this.raw = { ...new RawSchemaNode(target, resolve, depth + 1).raw, ...rest };
    }
  }

  private str(key: string): string | undefined {
    const v = this.raw[key];
    return typeof v === 'string' ? v : undefined;
  }
  private child(v: unknown): SchemaNodeLike | undefined {
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? new RawSchemaNode(v as Record<string, unknown>, this.resolve) : undefined;
  }
  get type(): string | undefined {
    const t = this.raw['type'];
    return Array.isArray(t) ? (t.find((x) => x !== 'null') as string | undefined) : this.str('type');
  }
  get properties(): readonly string[] {
    const p = this.raw['properties'];
    return typeof p === 'object' && p !== null ? Object.keys(p) : [];
  }
  field(name: string): SchemaNodeLike | undefined {
    const p = this.raw['properties'] as Record<string, unknown> | undefined;
    return p === undefined ? undefined : this.child(p[name]);
  }
  items(): SchemaNodeLike | undefined {
    return this.child(this.raw['items']);
  }
  values(): SchemaNodeLike | undefined {
    return this.child(this.raw['additionalProperties']);
  }
  get listType(): 'atomic' | 'set' | 'map' | undefined {
    const t = this.raw['x-kubernetes-list-type'];
    return t === 'atomic' || t === 'set' || t === 'map' ? t : undefined;
  }
  get listMapKeys(): readonly string[] {
    const k = this.raw['x-kubernetes-list-map-keys'];
    return Array.isArray(k) ? k.filter((x): x is string => typeof x === 'string') : [];
  }
  get mapType(): 'atomic' | 'granular' | undefined {
    const t = this.raw['x-kubernetes-map-type'];
    return t === 'atomic' || t === 'granular' ? t : undefined;
  }
  get patchStrategy(): string | undefined {
    return this.str('x-kubernetes-patch-strategy');
  }
  get patchMergeKey(): string | undefined {
    return this.str('x-kubernetes-patch-merge-key');
  }
  get preserveUnknownFields(): boolean {
    return this.raw['x-kubernetes-preserve-unknown-fields'] === true;
  }
  get intOrString(): boolean {
    return this.raw['x-kubernetes-int-or-string'] === true || this.raw['format'] === 'int-or-string';
  }
  get defaultValue(): unknown {
    return this.raw['default'];
  }
}

/**
 * A TypeStructure from a raw schema (or a component name) of an OpenAPI
 * document; `$ref`s resolve against the document's components/definitions.
 */
export function structureFromOpenApi(schemaOrName: Record<string, unknown> | string, doc: OpenApiDocumentLike = {}): TypeStructure {
  const resolve = resolverFor(doc);
  const raw = typeof schemaOrName === 'string' ? resolve(`#/components/schemas/${schemaOrName}`) : schemaOrName;
  if (raw === undefined) return DEDUCED;
  return wrapNode(new RawSchemaNode(raw, resolve), false);
}

/** The component of a document whose x-kubernetes-group-version-kind names the kind. */
export function findSchemaForKind(doc: OpenApiDocumentLike, gvk: { group: string; version: string; kind: string }): Record<string, unknown> | undefined {
  const schemas = doc.components?.schemas ?? doc.definitions ?? {};
  for (const schema of Object.values(schemas)) {
    const list = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(list)) continue;
    for (const entry of list as Array<Record<string, unknown>>) {
      if (entry['group'] === gvk.group && entry['version'] === gvk.version && entry['kind'] === gvk.kind) return schema;
    }
  }
  return undefined;
}
