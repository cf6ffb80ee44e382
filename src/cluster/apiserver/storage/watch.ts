/**
 * Watches with Kubernetes semantics over the store's revision log:
 * synthetic ADDED events for the current state when no resourceVersion is
 * given (or "0", or sendInitialEvents), selector-aware event types (an
 * object leaving the selection is DELETED, entering it ADDED), bookmarks,
 * and 410 Expired for a start revision that was compacted away.
 */
import { isBerthError } from '../../../core/index.js';
import type { Store, WatchEvent } from '../../store/types.js';
import { expiredError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { decodeObject } from './codec.js';
import type { ParsedFieldSelector } from './field-selector.js';
import type { LabelMatcher } from './label-selector.js';
import { listObjects, parseResourceVersion, waitForRevision } from './list.js';

export type WatchOut =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'BOOKMARK'; revision: number; initialEventsEnd: boolean };

export interface WatchQuery {
  prefix: string;
  label?: LabelMatcher | undefined;
  field?: ParsedFieldSelector | undefined;
  resourceVersion?: string | undefined;
  sendInitialEvents?: boolean | undefined;
  allowBookmarks: boolean;
  signal: AbortSignal;
  /** Minimum spacing of idle bookmarks. */
  bookmarkIntervalMs?: number;
}

function matches(q: WatchQuery, obj: KubeObject): boolean {
  return (q.label === undefined || q.label(obj.metadata.labels)) && (q.field === undefined || q.field.match(obj));
}

function convert(q: WatchQuery, e: WatchEvent): WatchOut | undefined {
  if (e.type === 'delete') {
    const obj = decodeObject(e.kv);
    return matches(q, obj) ? { type: 'DELETED', object: obj } : undefined;
  }
  const cur = decodeObject(e.kv);
  const curOk = matches(q, cur);
  if (e.prevKv === undefined) return curOk ? { type: 'ADDED', object: cur } : undefined;
  const old = decodeObject(e.prevKv);
  const oldOk = matches(q, old);
  if (curOk && oldOk) return { type: 'MODIFIED', object: cur };
  if (curOk) return { type: 'ADDED', object: cur };
  if (oldOk) {
    old.metadata.resourceVersion = String(e.kv.modRevision);
    return { type: 'DELETED', object: old };
  }
  return undefined;
}

export async function* watchObjects(store: Store, q: WatchQuery): AsyncGenerator<WatchOut> {
  const rv = q.resourceVersion ?? '';
  let after: number;
  const initial = rv === '' || rv === '0' || q.sendInitialEvents === true;
  if (initial) {
    if (rv !== '' && rv !== '0') await waitForRevision(store, parseResourceVersion(rv));
    const listed = await listObjects(store, { prefix: q.prefix, label: q.label, field: q.field });
    after = Number(listed.resourceVersion);
    for (const object of listed.items) yield { type: 'ADDED', object };
    if (q.sendInitialEvents === true && q.allowBookmarks) yield { type: 'BOOKMARK', revision: after, initialEventsEnd: true };
  } else {
    after = parseResourceVersion(rv);
    const compacted = await store.compactedRevision();
    if (after < compacted) throw expiredError(`too old resource version: ${after} (${compacted})`);
  }
  const interval = q.bookmarkIntervalMs ?? 30_000;
  let lastBookmark = Date.now();
  try {
    for await (const batch of store.watch(q.prefix, { afterRevision: after, signal: q.signal, progressNotify: q.allowBookmarks })) {
      for (const e of batch.events) {
        const out = convert(q, e);
        if (out !== undefined) yield out;
      }
      if (q.allowBookmarks && batch.events.length === 0 && Date.now() - lastBookmark >= interval) {
        lastBookmark = Date.now();
        yield { type: 'BOOKMARK', revision: batch.revision, initialEventsEnd: false };
      }
    }
  } catch (err) {
    if (q.signal.aborted) return;
    if (isBerthError(err) && err.details?.['reason'] === 'Expired') {
      throw expiredError(`too old resource version: ${after} (${String(err.details['compactedRevision'] ?? '')})`);
    }
    throw err;
  }
}
