/**
 * Non-resource endpoints: discovery (`/api`, `/apis`, legacy group and
 * group-version documents), `/version`, `/openapi/v2|v3`, health and
 * `/metrics`. Documents come from the schema port.
 */
import type { ServerResponse } from 'node:http';
import type { Collaborators } from '../collaborators.js';
import { wantsAggregatedDiscovery } from '../http/negotiate.js';
import { writeJson, writeText } from '../http/respond.js';
import type { Metrics } from '../metrics/index.js';
import { unknownResourceError } from '../errors.js';
import { runHealth, type HealthCheck } from './health.js';
import { versionInfo } from './version.js';

export interface NonResourceDeps {
  collab: Collaborators;
  metrics: Metrics;
  healthChecks: HealthCheck[];
  readyChecks: HealthCheck[];
}

function notFoundPath(_path: string): Error {
  return unknownResourceError();
}

export async function handleNonResource(deps: NonResourceDeps, path: string, query: URLSearchParams, accept: string | undefined, res: ServerResponse): Promise<void> {
  const schema = deps.collab.schema;
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (p === '/api' || p === '/apis') {
    const agg = wantsAggregatedDiscovery(accept);
    const doc = schema.discoveryRoot(p === '/api' ? 'api' : 'apis', agg !== undefined);
    const ct = agg === undefined ? 'application/json' : `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`;
    if (agg === 'v2beta1' && doc !== null && typeof doc === 'object') (doc as Record<string, unknown>)['apiVersion'] = 'apidiscovery.k8s.io/v2beta1';
    writeJson(res, 200, doc, ct);
    return;
  }
  let m = /^\/api\/([^/]+)$/.exec(p);
  if (m !== null) return writeDoc(res, schema.discoveryGroupVersion('', m[1] ?? ''), p);
  m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
  if (m !== null) return writeDoc(res, schema.discoveryGroupVersion(m[1] ?? '', m[2] ?? ''), p);
  m = /^\/apis\/([^/]+)$/.exec(p);
  if (m !== null) return writeDoc(res, schema.discoveryGroup(m[1] ?? ''), p);
  if (p === '/version') return writeJson(res, 200, versionInfo());
  if (p === '/openapi/v3') return writeJson(res, 200, schema.openapiV3Index());
  if (p.startsWith('/openapi/v3/')) {
    const doc = schema.openapiV3(p.slice('/openapi/v3/'.length));
    if (doc === undefined) throw notFoundPath(p);
    return writeRaw(res, doc, query);
  }
  if (p === '/openapi/v2') {
    if (schema.openapiV2 === undefined || ((accept ?? '').includes('protobuf') && !(accept ?? '').includes('json'))) {
      // Only JSON is produced; protobuf-only clients (kubectl's v2 fallback) get 406 and move on.
      writeText(res, 406, 'only application/json is served for /openapi/v2\n');
      return;
    }
    return writeRaw(res, schema.openapiV2(), query);
  }
  for (const endpoint of ['/healthz', '/livez', '/readyz']) {
    if (p === endpoint || p.startsWith(endpoint + '/')) {
      const checks = endpoint === '/readyz' ? [...deps.healthChecks, ...deps.readyChecks] : deps.healthChecks;
      const r = await runHealth(endpoint, checks, p, query);
      writeText(res, r.code, r.body);
      return;
    }
  }
  if (p === '/metrics') return writeText(res, 200, await deps.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8');
  if (p === '/') {
    return writeJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
  }
  throw notFoundPath(p);
}

/** A serialized OpenAPI document; `?hash=` requests of the current hash may be cached forever, as upstream allows. */
function writeRaw(res: ServerResponse, doc: { body: string; hash: string }, query: URLSearchParams): void {
  const immutable = query.get('hash') === doc.hash;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(doc.body)),
    ETag: `"${doc.hash}"`,
    'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private',
  });
  res.end(doc.body);
}

function writeDoc(res: ServerResponse, doc: unknown, path: string): void {
  if (doc === undefined || doc === null) throw notFoundPath(path);
  writeJson(res, 200, doc);
}
