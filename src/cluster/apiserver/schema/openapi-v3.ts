/**
 * /openapi/v3 documents: the index (group-version path → serverRelativeURL
 * with a content hash) and one OpenAPI 3.0 document per served
 * group-version, cut from the upstream spec (paths of that group-version and
 * the components they reach) or generated for CRDs. PATCH operations carry
 * the fieldValidation parameter and inline patch content types, which is
 * what makes kubectl 1.32 trust server-side validation and compute apply
 * patches from v3.
 */
import { createHash } from 'node:crypto';
import { crdPaths, crdSchemas, inlineBodies } from './openapi-crd.js';
import { upstreamSpec } from './openapi-source.js';
import { refName } from './schema-type.js';
import type { KubeResourceRegistry } from './resource-registry.js';
import type { KubeObject, OpenApiDocument, OpenApiDocuments, OpenApiSchema, ResourceInfo } from './types.js';

export const KUBERNETES_VERSION = 'v1.32.0';

export function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export function documentOf(value: unknown): OpenApiDocument {
  const body = JSON.stringify(value);
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

/** The resource a path addresses below its group-version prefix, "" for the prefix itself. */
function resourceOfPath(rest: string): string {
  const seg = rest.split('/').filter((s) => s !== '');
  if (seg[0] === 'watch') seg.shift();
  if (seg[0] === 'namespaces' && seg[1] === '{namespace}' && seg.length > 2) return seg[2] ?? '';
  return seg[0] ?? '';
}

/** Collects every component reachable from `value` into `out`. */
export function collectRefs(value: unknown, schemas: Record<string, OpenApiSchema>, out: Record<string, OpenApiSchema>): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      stack.push(...v);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string') {
          const name = refName(child);
          if (name !== undefined && out[name] === undefined && schemas[name] !== undefined) {
            out[name] = schemas[name];
            stack.push(schemas[name]);
          }
        } else {
          stack.push(child);
        }
      }
    }
  }
}

function wrapDocument(paths: Record<string, unknown>, schemas: Record<string, OpenApiSchema>): Record<string, unknown> {
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION },
    paths,
    components: {
      schemas,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
  };
}

export class KubeOpenApi implements OpenApiDocuments {
  /** Per path: the document and the signature of what it was built from (a CRD change rebuilds only its group-version). */
  private docs = new Map<string, { signature: string; doc: OpenApiDocument | undefined }>();
  private v2: OpenApiDocument | undefined;

  constructor(private readonly registry: KubeResourceRegistry) {}

  v3Index(): KubeObject {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const g of this.registry.groups()) {
      for (const v of g.versions) {
        const p = gvPath(g.group, v);
        const doc = this.v3Document(p);
        if (doc !== undefined) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
      }
    }
    return { paths };
  }

  v3Document(path: string): OpenApiDocument | undefined {
    const served = this.registry.all().filter((r) => gvPath(r.group, r.version) === path);
    const signature = served.map((r) => `${r.resource}:${r.crd === undefined ? '' : String(this.registry.crdRevision(r.crd))}`).join(',');
    const hit = this.docs.get(path);
    if (hit !== undefined && hit.signature === signature) return hit.doc;
    const doc = served.length === 0 ? undefined : this.build(served);
    this.docs.set(path, { signature, doc });
    return doc;
  }

  v2Document(): OpenApiDocument {
    if (this.v2 !== undefined) return this.v2;
    // Definitions only: v2 consumers here want schemas; kubectl itself asks v2 as protobuf only.
    const text = JSON.stringify(upstreamSpec().schemas).replaceAll('"#/components/schemas/', '"#/definitions/');
    // Swagger 2.0 puts descriptions next to $ref; v3's allOf wrapper is unwrapped.
    const definitions = JSON.parse(text, (_k, v: unknown) => {
      const o = v as Record<string, unknown> | null;
      if (o === null || typeof o !== 'object' || !Array.isArray(o['allOf']) || o['allOf'].length !== 1) return v;
      const inner = o['allOf'][0] as Record<string, unknown>;
      if (typeof inner['$ref'] !== 'string') return v;
      const rest = { ...o };
      delete rest['allOf'];
      return { $ref: inner['$ref'], ...rest };
    }) as unknown;
    this.v2 = documentOf({ swagger: '2.0', info: { title: 'Kubernetes', version: KUBERNETES_VERSION }, paths: {}, definitions });
    return this.v2;
  }

  private build(served: ResourceInfo[]): OpenApiDocument {
    const path = gvPath(served[0]!.group, served[0]!.version);
    const builtin = served.filter((r) => r.crd === undefined);
    const crds = served.filter((r) => r.crd !== undefined);
    const spec = upstreamSpec();
    const paths: Record<string, unknown> = {};
    const schemas: Record<string, OpenApiSchema> = {};
    if (builtin.length > 0) this.addUpstreamPaths(path, builtin, paths);
    for (const r of crds) this.addCrd(r, paths, schemas);
    collectRefs(paths, spec.schemas, schemas);
    collectRefs(schemas, spec.schemas, schemas);
    const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)));
    return documentOf(wrapDocument(paths, sorted));
  }

  private addUpstreamPaths(path: string, served: ResourceInfo[], paths: Record<string, unknown>): void {
    const spec = upstreamSpec();
    const prefix = `/${path}/`;
    const names = new Set(served.map((r) => r.resource));
    for (const [p, item] of Object.entries(spec.paths)) {
      if (!p.startsWith(prefix)) continue;
      const res = resourceOfPath(p.slice(prefix.length));
      if (res !== '' && !names.has(res)) continue;
      paths[p] = inlineBodies(item, spec.requestBodies);
    }
  }

  private addCrd(r: ResourceInfo, paths: Record<string, unknown>, schemas: Record<string, OpenApiSchema>): void {
    const schema = this.registry.crdSchema({ group: r.group, version: r.version, kind: r.kind });
    Object.assign(schemas, crdSchemas(r, schema));
    Object.assign(paths, crdPaths(r));
  }
}
