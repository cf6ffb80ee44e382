/**
 * OpenAPI v3 pieces for CRD-defined resources. Paths are derived from the
 * upstream paths of a built-in resource of the same scope (Deployment for
 * namespaced, VolumeAttachment for cluster-scoped): the apiserver builds
 * CRD paths with the same generic endpoint installer, so parameters and
 * responses match; only names, schemas and GVKs change.
 */
import { upstreamSpec } from './openapi-source.js';
import { withObjectMeta } from './schema-lookup.js';
import type { OpenApiSchema, ResourceInfo } from './types.js';

interface Template {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

const NAMESPACED: Template = { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true };
const CLUSTER: Template = { group: 'storage.k8s.io', version: 'v1', plural: 'volumeattachments', kind: 'VolumeAttachment', namespaced: false };

/** Component name the apiextensions server uses: reversed group, version, kind. */
export function crdSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function upstreamName(t: Template): string {
  return `io.k8s.api.${t.group.split('.')[0]}.${t.version}.${t.kind}`;
}

function camel(group: string, version: string): string {
  const parts = [...group.split(/[.-]/), version].filter((p) => p !== '');
  return parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
}

export function crdSchemas(r: ResourceInfo, schema: OpenApiSchema | undefined): Record<string, OpenApiSchema> {
  const name = crdSchemaName(r.group, r.version, r.kind);
  const gvk = [{ group: r.group, kind: r.kind, version: r.version }];
  const base = withObjectMeta(schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  const list: OpenApiSchema = {
    description: `${r.kind}List is a list of ${r.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', description: `List of ${r.resource}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, items: { $ref: `#/components/schemas/${name}` } },
      kind: { type: 'string' },
      metadata: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' },
    },
    'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.listKind, version: r.version }],
  };
  return { [name]: { ...base, 'x-kubernetes-group-version-kind': gvk }, [`${name}List`]: list };
}

export function crdPaths(r: ResourceInfo): Record<string, unknown> {
  const t = r.namespaced ? NAMESPACED : CLUSTER;
  const spec = upstreamSpec();
  const from = `/apis/${t.group}/${t.version}/`;
  const to = `/apis/${r.group}/${r.version}/`;
  const target = crdSchemaName(r.group, r.version, r.kind);
  const out: Record<string, unknown> = {};
  for (const [p, item] of Object.entries(spec.paths)) {
    if (!p.startsWith(from)) continue;
    const rest = p.slice(from.length);
    const m = /^(?:namespaces\/\{namespace\}\/)?([a-z]+)(?:\/\{name\}(?:\/(status|scale))?)?$/.exec(rest);
    if (m === null || m[1] !== t.plural) continue;
    if (m[2] === 'status' && !r.subresources.some((s) => s.name === 'status')) continue;
    if (m[2] === 'scale' && !r.subresources.some((s) => s.name === 'scale')) continue;
    let text = JSON.stringify(inlineBodies(item, spec.requestBodies));
    text = text
      .replaceAll(`${upstreamName(t)}List`, `${target}List`)
      .replaceAll(`"${upstreamName(t)}"`, `"${target}"`)
      .replaceAll(`#/components/schemas/${upstreamName(t)}"`, `#/components/schemas/${target}"`)
      .replaceAll(`{"group":"${t.group}","kind":"${t.kind}","version":"${t.version}"}`, JSON.stringify({ group: r.group, kind: r.kind, version: r.version }))
      .replaceAll(camel(t.group.split('.')[0] ?? '', t.version), camel(r.group, r.version))
      .replaceAll(`"${t.group.split('.')[0]}_${t.version}"`, `"${camel(r.group, '')}_${r.version}"`)
      .replaceAll(t.plural, r.resource)
      .replaceAll(t.kind, r.kind);
    out[`${to}${rest.replace(t.plural, r.resource)}`] = withoutStrategicPatch(JSON.parse(text) as Record<string, unknown>);
  }
  return out;
}

/**
 * Custom resources take JSON, merge and apply patches only, as upstream's
 * CRD documents say: a PATCH operation that advertised strategic merge
 * patch would make kubectl's client-side apply send one and get a 415.
 */
function withoutStrategicPatch(item: Record<string, unknown>): Record<string, unknown> {
  const content = (item['patch'] as { requestBody?: { content?: Record<string, unknown> } } | undefined)?.requestBody?.content;
  if (content !== undefined) delete content['application/strategic-merge-patch+json'];
  return item;
}

/** Copies a path item with shared request bodies inlined and per-operation servers dropped. */
export function inlineBodies(item: Record<string, unknown>, bodies: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [method, op] of Object.entries(item)) {
    if (typeof op !== 'object' || op === null || method === 'parameters') {
      out[method] = op;
      continue;
    }
    const o: Record<string, unknown> = { ...(op as Record<string, unknown>) };
    delete o['servers'];
    const ref = (o['requestBody'] as Record<string, unknown> | undefined)?.['$ref'];
    if (typeof ref === 'string') {
      const body = bodies[ref.slice(ref.lastIndexOf('/') + 1)];
      if (body === undefined) delete o['requestBody'];
      else o['requestBody'] = body;
    }
    out[method] = o;
  }
  return out;
}
