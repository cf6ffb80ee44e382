/** GET of one object, LIST and WATCH (chunked JSON lines, Tables on request). */
import { negotiateTransform } from '../http/negotiate.js';
import { writeJson } from '../http/respond.js';
import { toStatus } from '../http/status.js';
import { badRequestError } from '../errors.js';
import { listObjects, listPrefix, parseFieldSelector, parseLabelSelector, watchObjects, type ParsedFieldSelector } from '../storage/index.js';
import type { KubeObject } from '../types.js';
import type { Call, ServerServices } from './handler-context.js';
import { includeObjectParam, renderList, renderObject, toTable } from './transform.js';
import { apiVersionOf, forVersion, targetOf } from './versioning.js';

export async function handleGet(s: ServerServices, c: Call): Promise<void> {
  const transform = negotiateTransform(c.req.headers.accept, false);
  const obj = await s.writer.get(c.type, c.info.namespace, c.info.name);
  writeJson(c.res, 200, renderObject(c.type, obj, transform, s.collab.printers, includeObjectParam(c.query)));
}

async function selectors(s: ServerServices, c: Call): Promise<{ label: ReturnType<typeof parseLabelSelector>; field: ParsedFieldSelector | undefined }> {
  const label = parseLabelSelector(c.query.get('labelSelector'));
  const fieldSelector = c.query.get('fieldSelector');
  const crdFields = fieldSelector !== null && fieldSelector !== '' ? await crdSelectableFields(s, c) : {};
  let field = parseFieldSelector(fieldSelector, c.type, crdFields);
  // A watch or list of one named object (GET …/name?watch=1) filters by name.
  if (c.info.name !== '') {
    const byName = parseFieldSelector(`metadata.name=${c.info.name}`, c.type);
    if (byName !== undefined) field = field === undefined ? byName : { ...byName, match: (o: KubeObject) => byName.match(o) && field!.match(o) };
  }
  if (field?.namespace !== undefined && c.info.namespace !== '' && field.namespace !== c.info.namespace) {
    // Contradicting namespaces select nothing, as upstream does.
    const never = { match: () => false };
    return { label, field: never };
  }
  return { label, field };
}

/** A CRD version's selectableFields: field selector name (its JSON path without the dot) → path. */
async function crdSelectableFields(s: ServerServices, c: Call): Promise<Record<string, string>> {
  if (c.type.crd === undefined) return {};
  const crd = await s.objects.tryGet({ group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', namespaced: false }, '', c.type.crd);
  const versions = ((crd?.object['spec'] as { versions?: unknown[] } | undefined)?.versions ?? []) as Array<{ name?: string; selectableFields?: Array<{ jsonPath?: string }> }>;
  const out: Record<string, string> = {};
  for (const f of versions.find((v) => v.name === c.type.version)?.selectableFields ?? []) {
    if (typeof f.jsonPath === 'string') out[f.jsonPath.replace(/^\./, '')] = f.jsonPath;
  }
  return out;
}

function limitParam(c: Call): number | undefined {
  const l = c.query.get('limit');
  if (l === null || l === '') return undefined;
  if (!/^\d+$/.test(l)) throw badRequestError(`limit: Invalid value: "${l}": must be a non-negative integer`);
  return Number(l);
}

export async function handleList(s: ServerServices, c: Call): Promise<void> {
  const transform = negotiateTransform(c.req.headers.accept, true);
  const { label, field } = await selectors(s, c);
  const out = await listObjects(s.store, {
    prefix: listPrefix(targetOf(c.type), c.info.namespace), label, field, limit: limitParam(c),
    continueToken: c.query.get('continue') ?? undefined,
    resourceVersion: c.query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: c.query.get('resourceVersionMatch') ?? undefined,
  });
  const meta = { resourceVersion: out.resourceVersion, ...(out.continue === undefined ? {} : { continue: out.continue }), ...(out.remainingItemCount === undefined ? {} : { remainingItemCount: out.remainingItemCount }) };
  writeJson(c.res, 200, renderList(c.type, out.items, meta, transform, s.collab.printers, includeObjectParam(c.query)));
}

/** Watches end after timeoutSeconds, or after 30-60 minutes like --min-request-timeout. */
function watchTimeoutMs(c: Call): number {
  const t = c.query.get('timeoutSeconds');
  if (t !== null && /^\d+$/.test(t) && Number(t) > 0) return Number(t) * 1000;
  return (1800 + Math.random() * 1800) * 1000;
}

export async function handleWatch(s: ServerServices, c: Call): Promise<void> {
  const transform = negotiateTransform(c.req.headers.accept, true);
  const { label, field } = await selectors(s, c);
  const includeObject = includeObjectParam(c.query);
  const allowBookmarks = c.query.get('allowWatchBookmarks') === 'true';
  const sendInitial = c.query.get('sendInitialEvents');
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), watchTimeoutMs(c));
  const onAbort = () => ac.abort();
  c.signal.addEventListener('abort', onAbort);
  const events = watchObjects(s.store, {
    prefix: listPrefix(targetOf(c.type), c.info.namespace), label, field, allowBookmarks, signal: ac.signal,
    resourceVersion: c.query.get('resourceVersion') ?? undefined,
    sendInitialEvents: sendInitial === 'true',
  });
  let headersDone = false;
  s.metrics.watchers(c.type, +1);
  try {
    c.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    c.res.flushHeaders();
    for await (const ev of events) {
      let object: unknown;
      if (ev.type === 'BOOKMARK') {
        const meta: Record<string, unknown> = { resourceVersion: String(ev.revision) };
        if (ev.initialEventsEnd) meta['annotations'] = { 'k8s.io/initial-events-end': 'true' };
        object = { kind: c.type.kind, apiVersion: apiVersionOf(c.type), metadata: meta };
      } else if (transform.kind === 'table') {
        object = toTable(s.collab.printers, c.type, [forVersion(c.type, ev.object)], { version: transform.version, includeObject, noHeaders: headersDone });
        headersDone = true;
      } else {
        object = renderObject(c.type, ev.object, transform, s.collab.printers, includeObject);
      }
      if (!c.res.write(JSON.stringify({ type: ev.type, object }) + '\n')) {
        await new Promise<void>((resolve) => { c.res.once('drain', resolve); c.res.once('close', resolve); });
      }
      if (ac.signal.aborted) break;
    }
  } catch (err) {
    if (!ac.signal.aborted && !c.res.writableEnded) {
      const status = toStatus(err);
      if (!c.res.headersSent) c.res.writeHead(200, { 'Content-Type': 'application/json' });
      c.res.write(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
    }
  } finally {
    clearTimeout(timer);
    c.signal.removeEventListener('abort', onAbort);
    s.metrics.watchers(c.type, -1);
    ac.abort();
    if (!c.res.writableEnded) c.res.end();
  }
}
