/**
 * SchemaLookup over the upstream components (built-in kinds) and the
 * registry's CRD schemas. CRD schemas get the standard apiVersion/kind/
 * metadata properties added, as the apiextensions server does.
 */
import { gvkKey, upstreamSpec } from './openapi-source.js';
import type { KubeResourceRegistry } from './resource-registry.js';
import { descend, refName, wrap, type RefResolver } from './schema-type.js';
import type { GroupVersionKind, OpenApiSchema, SchemaLookup, SchemaType } from './types.js';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const resolver: RefResolver = (ref) => {
  const name = refName(ref);
  return name === undefined ? undefined : upstreamSpec().schemas[name];
};

/** A CRD version schema with the properties every object has. */
export function withObjectMeta(schema: OpenApiSchema): OpenApiSchema {
  const props = (schema['properties'] as Record<string, OpenApiSchema> | undefined) ?? {};
  return {
    ...schema,
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      ...props,
      metadata: { $ref: `#/components/schemas/${OBJECT_META}` },
    },
  };
}

export class KubeSchemaLookup implements SchemaLookup {
  private readonly cache = new WeakMap<object, SchemaType>();
  private readonly crdWrapped = new WeakMap<object, OpenApiSchema>();

  constructor(private readonly registry: KubeResourceRegistry) {}

  forKind(gvk: GroupVersionKind): SchemaType | undefined {
    const crd = this.registry.crdSchema(gvk);
    if (crd !== undefined) {
      let full = this.crdWrapped.get(crd);
      if (full === undefined) {
        full = withObjectMeta(crd);
        this.crdWrapped.set(crd, full);
      }
      return wrap(full, resolver, this.cache);
    }
    const info = this.registry.byKind(gvk);
    if (info?.crd !== undefined) {
      // A CRD without a schema (preserve everything).
      return wrap(withObjectMeta({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }), resolver, this.cache);
    }
    const name = upstreamSpec().kindIndex.get(gvkKey(gvk.group, gvk.version, gvk.kind));
    return name === undefined ? undefined : this.byName(name);
  }

  byName(name: string): SchemaType | undefined {
    const raw = upstreamSpec().schemas[name];
    return raw === undefined ? undefined : wrap(raw, resolver, this.cache);
  }

  at(gvk: GroupVersionKind, path: readonly string[]): SchemaType | undefined {
    return descend(this.forKind(gvk), path);
  }
}
