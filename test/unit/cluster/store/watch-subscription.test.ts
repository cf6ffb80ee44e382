/** The shared watcher queue: ordering, de-duplication, slow consumers, errors, abort. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchBatch, WatchEvent } from '../../../../src/cluster/store/index.js';
import { WatchSubscription, type WatchSource } from '../../../../src/cluster/store/watch-subscription.js';
import { expired } from '../../../../src/cluster/store/revision-errors.js';

const event = (rev: number): WatchEvent => ({
  type: 'put',
  kv: { key: `/k/${rev}`, value: new Uint8Array(), createRevision: rev, modRevision: rev },
});
const batch = (...revs: number[]): WatchBatch => ({ events: revs.map(event), revision: revs[revs.length - 1] ?? 0 });

/** A source that records start/stop and lets the test push. */
function recordingSource(): WatchSource & { starts: number[]; stops: number } {
  const source = {
    starts: [] as number[],
    stops: 0,
    start(sub: WatchSubscription): void {
      source.starts.push(sub.position);
    },
    stop(): void {
      source.stops++;
    },
  };
  return source;
}

const revisionsOf = (batches: WatchBatch[]): number[] => batches.flatMap((b) => b.events.map((e) => e.kv.modRevision));

test('drops repeated events and keeps order', async () => {
  const source = recordingSource();
  const controller = new AbortController();
  const sub = new WatchSubscription('/k/', { afterRevision: 2, signal: controller.signal }, source, 100);
  const it = sub.iterate();
  const first = it.next();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(source.starts, [2]);
  sub.push(batch(1, 2, 3, 4));
  sub.push(batch(4, 5));
  sub.push({ events: [], revision: 3 }); // stale progress: dropped
  const got: WatchBatch[] = [];
  got.push((await first).value as WatchBatch, (await it.next()).value as WatchBatch);
  assert.deepEqual(revisionsOf(got), [3, 4, 5]);
  controller.abort();
  assert.equal((await it.next()).done, true);
  assert.equal(source.stops, 1);
});

test('a consumer past maxBufferedEvents is paused and resumed from its position', async () => {
  const source = recordingSource();
  const controller = new AbortController();
  const sub = new WatchSubscription('/k/', { afterRevision: 0, signal: controller.signal }, source, 3);
  const it = sub.iterate();
  const first = it.next();
  await new Promise((resolve) => setImmediate(resolve));
  sub.push(batch(1, 2));
  sub.push(batch(3, 4)); // 4 queued > 3: the source is told to stop
  assert.equal(source.stops, 1);
  assert.equal(sub.active, false);
  sub.push(batch(5)); // ignored while paused
  assert.deepEqual(revisionsOf([(await first).value as WatchBatch, (await it.next()).value as WatchBatch]), [1, 2, 3, 4]);
  const resumed = it.next(); // queue drained: the source is asked to start again from 4
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(source.starts, [0, 4]);
  sub.push(batch(5, 6));
  assert.deepEqual(revisionsOf([(await resumed).value as WatchBatch]), [5, 6]);
  controller.abort();
  await it.return(undefined);
});

test('an error is thrown after the batches queued before it; progress batches coalesce', async () => {
  const source = recordingSource();
  const sub = new WatchSubscription('/k/', { afterRevision: 0, signal: new AbortController().signal, progressNotify: true }, source, 100);
  const it = sub.iterate();
  const first = it.next();
  await new Promise((resolve) => setImmediate(resolve));
  sub.push(batch(1));
  sub.push({ events: [], revision: 5 });
  sub.push({ events: [], revision: 7 });
  sub.fail(expired(8, 9));
  assert.deepEqual(revisionsOf([(await first).value as WatchBatch]), [1]);
  assert.deepEqual((await it.next()).value, { events: [], revision: 7 });
  await assert.rejects(it.next(), (err: { details?: Record<string, unknown> }) => err.details?.['reason'] === 'Expired');
});
