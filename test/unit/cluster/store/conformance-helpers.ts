/** Small helpers shared by the store conformance suite and backend-specific tests. */
import assert from 'node:assert/strict';
import { isBerthError, type ErrorKind } from '../../../../src/core/index.js';
import type { Store, WatchBatch, WatchEvent } from '../../../../src/cluster/store/index.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Asserts p rejects with a BerthError of kind (and, optionally, details.reason). */
export async function rejectsWith(p: Promise<unknown>, kind: ErrorKind, reason?: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isBerthError(err, kind), `expected ${kind}, got ${String(err)}`);
    if (reason !== undefined) assert.equal(err.details?.['reason'], reason, `details.reason of ${err.message}`);
    return true;
  });
}

export interface Collected {
  events: WatchEvent[];
  batches: WatchBatch[];
}

/**
 * Watches prefix from afterRevision until `until` says stop (or count events
 * arrived); fails on timeout. Batches are checked for revision order on the way.
 */
export async function collect(
  store: Store,
  prefix: string,
  afterRevision: number,
  count: number,
  options: { timeoutMs?: number; progressNotify?: boolean; until?: (c: Collected) => boolean; started?: () => void } = {},
): Promise<Collected> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  const got: Collected = { events: [], batches: [] };
  const until = options.until ?? ((c: Collected) => c.events.length >= count);
  let last = afterRevision;
  try {
    const iterable = store.watch(prefix, {
      afterRevision,
      signal: controller.signal,
      ...(options.progressNotify === undefined ? {} : { progressNotify: options.progressNotify }),
    });
    options.started?.();
    for await (const batch of iterable) {
      for (const e of batch.events) {
        assert.ok(e.kv.modRevision > last, `event revision ${e.kv.modRevision} after ${last}: gap-free order`);
        last = e.kv.modRevision;
      }
      assert.ok(batch.revision >= last, `batch revision ${batch.revision} covers its events (${last})`);
      got.batches.push(batch);
      got.events.push(...batch.events);
      if (until(got)) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  assert.ok(until(got), `watch on ${prefix} timed out with ${got.events.length} events (wanted ${count})`);
  return got;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** p's value, or 'timeout' after ms (the timer is cleared either way). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
