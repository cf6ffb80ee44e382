/**
 * Lists with Kubernetes semantics: resourceVersion / resourceVersionMatch,
 * limit + continue (tokens pin the list revision; once it is compacted they
 * are 410 Expired), label and field filtering, remainingItemCount.
 */
import { isBerthError } from '../../../core/index.js';
import type { Store } from '../../store/types.js';
import { badRequestError, expiredError, timeoutError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { decodeObject } from './codec.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import type { ParsedFieldSelector } from './field-selector.js';
import type { LabelMatcher } from './label-selector.js';

export interface ListQuery {
  prefix: string;
  label?: LabelMatcher | undefined;
  field?: ParsedFieldSelector | undefined;
  limit?: number | undefined;
  continueToken?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
}

export interface ListOutcome {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export const CONTINUE_EXPIRED = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequestError(`Invalid value: "${rv}": resourceVersion must be a non-negative integer`);
  return Number(rv);
}

/** Waits (up to 3 s, like the watch cache) for the store to reach a revision. */
export async function waitForRevision(store: Store, rv: number): Promise<number> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const current = await store.currentRevision();
    if (current >= rv) return current;
    if (Date.now() > deadline) throw timeoutError(`Too large resource version: ${rv}, current: ${current}`, 1);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function readRevision(store: Store, q: ListQuery): Promise<number | undefined> {
  const rv = q.resourceVersion ?? '';
  const match = q.resourceVersionMatch ?? '';
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') throw badRequestError(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (match !== '' && rv === '') throw badRequestError('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (rv === '' || rv === '0') return undefined;
  const n = parseResourceVersion(rv);
  // A limited list at a specific version without a match is served exactly (legacy semantics).
  const exact = match === 'Exact' || (match === '' && (q.limit ?? 0) > 0);
  if (!exact) {
    await waitForRevision(store, n);
    return undefined;
  }
  const compacted = await store.compactedRevision();
  if (n < compacted) throw expiredError(`too old resource version: ${n} (${compacted})`);
  await waitForRevision(store, n);
  return n;
}

export async function listObjects(store: Store, q: ListQuery): Promise<ListOutcome> {
  let revision: number | undefined;
  let start = q.prefix;
  if (q.continueToken !== undefined && q.continueToken !== '') {
    if (q.resourceVersion !== undefined && q.resourceVersion !== '' && q.resourceVersion !== '0') throw badRequestError('specifying resource version is not allowed when using continue');
    const token = decodeContinue(q.continueToken);
    const compacted = await store.compactedRevision();
    if (token.rv < compacted) throw expiredError(CONTINUE_EXPIRED);
    revision = token.rv;
    start = q.prefix + token.start;
  } else {
    revision = await readRevision(store, q);
  }
  const limit = q.limit !== undefined && q.limit > 0 ? q.limit : 0;
  const filtering = q.label !== undefined || q.field !== undefined;
  const items: KubeObject[] = [];
  let listRevision = revision ?? 0;
  let lastKey: string | undefined;
  let more = false;
  let remaining: number | undefined;
  // Fetch pages until the limit is filled with matching objects.
  let pageSize = limit === 0 ? 0 : Math.max(limit, filtering ? 500 : limit);
  for (;;) {
    let page;
    try {
      page = await store.list(q.prefix, { ...(listRevision > 0 ? { revision: listRevision } : {}), ...(pageSize > 0 ? { limit: pageSize } : {}), startKey: start });
    } catch (err) {
      if (isBerthError(err) && err.details?.['reason'] === 'Expired') {
        throw q.continueToken ? expiredError(CONTINUE_EXPIRED) : expiredError(`too old resource version: ${listRevision} (${String(err.details['compactedRevision'] ?? '')})`);
      }
      throw err;
    }
    listRevision = page.revision;
    let i = 0;
    for (const kv of page.kvs) {
      i++;
      const obj = decodeObject(kv);
      if ((q.label === undefined || q.label(obj.metadata.labels)) && (q.field === undefined || q.field.match(obj))) items.push(obj);
      lastKey = kv.key;
      if (limit > 0 && items.length === limit) break;
    }
    const consumedAll = i === page.kvs.length;
    more = page.more || !consumedAll;
    if (limit > 0 && items.length === limit) {
      if (!filtering) remaining = page.count - i;
      break;
    }
    if (!page.more || lastKey === undefined) break;
    start = lastKey + '\u0000';
    pageSize = Math.min(pageSize * 2, 10_000);
  }
  const out: ListOutcome = { items, resourceVersion: String(listRevision) };
  if (more && limit > 0 && lastKey !== undefined) {
    out.continue = encodeContinue({ rv: listRevision, start: lastKey.slice(q.prefix.length) + '\u0000' });
    if (remaining !== undefined && remaining > 0) out.remainingItemCount = remaining;
    else if (remaining === 0) delete out.continue;
  }
  return out;
}
