/**
 * SchemaType over raw OpenAPI schemas: follows `$ref` (and the single-entry
 * `allOf` upstream v3 wraps refs in) through a resolver, and exposes the
 * Kubernetes extensions the patch engines and validators need.
 */
import type { ListType, OpenApiSchema, SchemaType } from './types.js';

export type RefResolver = (ref: string) => OpenApiSchema | undefined;

const REF_PREFIXES = ['#/components/schemas/', '#/definitions/'];

/** Component name of a `$ref`, undefined for other refs. */
export function refName(ref: string): string | undefined {
  for (const p of REF_PREFIXES) if (ref.startsWith(p)) return ref.slice(p.length);
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

class SchemaTypeImpl implements SchemaType {
  constructor(readonly raw: OpenApiSchema, private readonly resolve: RefResolver, private readonly cache: WeakMap<object, SchemaType>) {}

  get type(): string | undefined {
    return str(this.raw['type']);
  }
  get format(): string | undefined {
    return str(this.raw['format']);
  }
  get properties(): readonly string[] {
    const p = this.raw['properties'];
    return typeof p === 'object' && p !== null ? Object.keys(p) : [];
  }
  get required(): readonly string[] {
    const r = this.raw['required'];
    return Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : [];
  }
  field(name: string): SchemaType | undefined {
    const props = this.raw['properties'] as Record<string, OpenApiSchema> | undefined;
    const p = props?.[name];
    if (p !== undefined) return wrap(p, this.resolve, this.cache);
    return this.values();
  }
  items(): SchemaType | undefined {
    const i = this.raw['items'];
    return typeof i === 'object' && i !== null ? wrap(i as OpenApiSchema, this.resolve, this.cache) : undefined;
  }
  values(): SchemaType | undefined {
    const a = this.raw['additionalProperties'];
    return typeof a === 'object' && a !== null ? wrap(a as OpenApiSchema, this.resolve, this.cache) : undefined;
  }
  get listType(): ListType | undefined {
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
    return str(this.raw['x-kubernetes-patch-strategy']);
  }
  get patchMergeKey(): string | undefined {
    return str(this.raw['x-kubernetes-patch-merge-key']);
  }
  get preserveUnknownFields(): boolean {
    return this.raw['x-kubernetes-preserve-unknown-fields'] === true;
  }
  get intOrString(): boolean {
    return this.raw['x-kubernetes-int-or-string'] === true || this.raw['format'] === 'int-or-string';
  }
  get embeddedResource(): boolean {
    return this.raw['x-kubernetes-embedded-resource'] === true;
  }
  get defaultValue(): unknown {
    return this.raw['default'];
  }
}

/**
 * Wraps a raw schema, merging the referenced component into it. Extensions
 * on the referring node (list type, patch strategy, description) win, as
 * they describe the field rather than its type.
 */
export function wrap(raw: OpenApiSchema, resolve: RefResolver, cache: WeakMap<object, SchemaType>): SchemaType {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  let merged = raw;
  const target = refTarget(raw);
  if (target !== undefined) {
    const resolved = resolve(target);
    if (resolved !== undefined) {
      const inner = wrap(resolved, resolve, cache).raw;
      const rest: OpenApiSchema = { ...raw };
      delete rest['$ref'];
      delete rest['allOf'];
      merged = { ...inner, ...rest };
    }
  }
  const t = new SchemaTypeImpl(merged, resolve, cache);
  cache.set(raw, t);
  return t;
}

function refTarget(raw: OpenApiSchema): string | undefined {
  const ref = raw['$ref'];
  if (typeof ref === 'string') return ref;
  const all = raw['allOf'];
  if (Array.isArray(all) && all.length === 1) {
    const only = all[0] as OpenApiSchema | undefined;
    if (only !== undefined && typeof only['$ref'] === 'string') return only['$ref'];
  }
  return undefined;
}

/** Steps down a field path; "[]" steps into array items. */
export function descend(start: SchemaType | undefined, path: readonly string[]): SchemaType | undefined {
  let node = start;
  for (const step of path) {
    if (node === undefined) return undefined;
    node = step === '[]' ? node.items() : node.field(step);
  }
  return node;
}
