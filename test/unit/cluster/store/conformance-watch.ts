/** Watch, compaction and lifecycle parts of the store conformance suite. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../../../src/core/index.js';
import type { StoreConformanceOptions, WithStore } from './conformance.js';
import { collect, dec, enc, rejectsWith, sleep, within } from './conformance-helpers.js';

export function watchConformance(withStore: WithStore, options: StoreConformanceOptions): void {
  test('watch replays history in order with prevKv and delete events', withStore(async (store, p) => {
    const r1 = (await store.create(`${p}a`, enc('a1'))).modRevision;
    const r2 = (await store.update(`${p}a`, enc('a2'), r1)).modRevision;
    const r3 = (await store.create(`${p}b`, enc('b1'))).modRevision;
    const r4 = (await store.delete(`${p}a`)).modRevision;
    const { events } = await collect(store, p, r1 - 1, 4);
    assert.deepEqual(events.map((e) => [e.type, e.kv.key.slice(p.length), e.kv.modRevision, dec(e.kv.value)]), [
      ['put', 'a', r1, 'a1'], ['put', 'a', r2, 'a2'], ['put', 'b', r3, 'b1'], ['delete', 'a', r4, 'a2'],
    ]);
    const [create, update, , del] = events;
    assert.equal(create!.prevKv, undefined, 'a create has no prevKv');
    assert.equal(create!.kv.createRevision, r1);
    assert.deepEqual(update!.prevKv && { ...update!.prevKv, value: dec(update!.prevKv.value) },
      { key: `${p}a`, value: 'a1', createRevision: r1, modRevision: r1 });
    assert.equal(update!.kv.createRevision, r1);
    assert.equal(del!.kv.createRevision, r1);
    assert.deepEqual(del!.prevKv && { v: dec(del!.prevKv.value), m: del!.prevKv.modRevision }, { v: 'a2', m: r2 });
    const resumed = await collect(store, p, r2, 2);
    assert.deepEqual(resumed.events.map((e) => e.kv.modRevision), [r3, r4], 'resume delivers exactly what follows');
  }));

  test('watch delivers live writes without gaps or duplicates', withStore(async (store, p) => {
    const start = await store.currentRevision();
    let writes: Promise<unknown> = Promise.resolve();
    const collected = collect(store, p, start, 150, {
      started: () => {
        writes = (async () => {
          await sleep(50);
          const kvs = await Promise.all(Array.from({ length: 100 }, (_, i) => store.create(`${p}k${i}`, enc(`${i}`))));
          for (const kv of kvs.slice(0, 50)) await store.update(kv.key, enc('x'), kv.modRevision);
        })();
      },
    });
    const [{ events }] = await Promise.all([collected, writes.then(() => undefined)]);
    await writes;
    assert.equal(events.length, 150);
    assert.deepEqual(events.map((e) => e.kv.modRevision), Array.from({ length: 150 }, (_, i) => start + 1 + i));
    assert.equal(events.filter((e) => e.prevKv !== undefined).length, 50);
  }));

  test('watch isolates prefixes', withStore(async (store, p) => {
    const start = await store.currentRevision();
    for (const key of [`${p}a/1`, `${p}ab`, `${p}b/1`, `${p}a`, `${p}a/2`]) await store.create(key, enc(key));
    const { events } = await collect(store, `${p}a/`, start, 2);
    assert.deepEqual(events.map((e) => e.kv.key), [`${p}a/1`, `${p}a/2`]);
  }));

  test('watch from a future revision starts there', withStore(async (store, p) => {
    const start = await store.currentRevision();
    const collected = collect(store, p, start + 3, 2);
    for (let i = 0; i < 5; i++) await store.create(`${p}k${i}`, enc(`${i}`));
    const { events } = await collected;
    assert.deepEqual(events.map((e) => e.kv.modRevision), [start + 4, start + 5]);
  }));

  test('150 concurrent watchers each get every event', withStore(async (store, p) => {
    const start = await store.currentRevision();
    let ready = 0;
    const watchers = Array.from({ length: 150 }, (_, i) =>
      collect(store, i % 2 === 0 ? p : `${p}k`, start, 20, { timeoutMs: 20_000, started: () => ready++ }));
    assert.equal(ready, 150);
    await sleep(100);
    for (let i = 0; i < 20; i++) await store.create(`${p}k${i}`, enc(`${i}`));
    for (const { events } of await Promise.all(watchers)) {
      assert.deepEqual(events.map((e) => e.kv.modRevision), Array.from({ length: 20 }, (_, i) => start + 1 + i));
    }
  }));

  test('a slow watcher catches up without losing events', withStore(async (store, p) => {
    const start = await store.currentRevision();
    const controller = new AbortController();
    const iterator = store.watch(p, { afterRevision: start, signal: controller.signal })[Symbol.asyncIterator]();
    try {
      await store.create(`${p}first`, enc('0'));
      const first = await iterator.next(); // the watch is live; now stop reading while 400 writes land
      assert.equal(first.done, false);
      for (let i = 0; i < 8; i++) {
        await Promise.all(Array.from({ length: 50 }, (_, j) => store.create(`${p}k${i}-${j}`, enc('x'))));
      }
      const revisions = first.done ? [] : first.value.events.map((e) => e.kv.modRevision);
      while (revisions.length < 401) {
        const next = await iterator.next();
        assert.equal(next.done, false);
        if (!next.done) revisions.push(...next.value.events.map((e) => e.kv.modRevision));
      }
      assert.deepEqual(revisions, Array.from({ length: 401 }, (_, i) => start + 1 + i));
    } finally {
      controller.abort();
      await iterator.return?.();
    }
  }, { maxBufferedEvents: 50 }));

  test('watch ends when its signal aborts', withStore(async (store, p) => {
    const controller = new AbortController();
    const start = await store.currentRevision();
    const loop = (async () => {
      let batches = 0;
      for await (const _ of store.watch(p, { afterRevision: start, signal: controller.signal })) batches++;
      return batches;
    })();
    await sleep(100);
    controller.abort();
    assert.equal(await within(loop, 3000), 0);
    const aborted = new AbortController();
    aborted.abort();
    const none: unknown[] = [];
    for await (const batch of store.watch(p, { afterRevision: 0, signal: aborted.signal })) none.push(batch);
    assert.deepEqual(none, []);
  }));

  test('progress notifications report the revision while idle', withStore(async (store, p) => {
    const start = await store.currentRevision();
    const other = await store.create(`${p}other/x`, enc('x')); // moves the revision, not this watcher's prefix
    const { batches } = await collect(store, `${p}quiet/`, start, 0, {
      progressNotify: true,
      timeoutMs: options.progressTimeoutMs,
      until: (c) => c.batches.some((b) => b.events.length === 0 && b.revision >= other.modRevision),
    });
    assert.ok(batches.every((b) => b.events.length === 0));
  }));

  test('compaction keeps live keys and expires older revisions', withStore(async (store, p) => {
    const r1 = (await store.create(`${p}a`, enc('a1'))).modRevision;
    const r2 = (await store.update(`${p}a`, enc('a2'), r1)).modRevision;
    const r3 = (await store.create(`${p}b`, enc('b1'))).modRevision;
    const r4 = (await store.delete(`${p}b`)).modRevision;
    const r5 = (await store.create(`${p}c`, enc('c1'))).modRevision;
    const r6 = (await store.update(`${p}c`, enc('c2'), r5)).modRevision;
    await store.compact(r5);
    assert.equal(await store.compactedRevision(), r5);
    const a = await store.get(`${p}a`);
    assert.deepEqual(a && { v: dec(a.value), c: a.createRevision, m: a.modRevision }, { v: 'a2', c: r1, m: r2 });
    assert.equal(dec((await store.get(`${p}a`, r5))!.value), 'a2');
    assert.equal(dec((await store.get(`${p}c`, r5))!.value), 'c1');
    assert.equal(await store.get(`${p}b`, r5), undefined);
    assert.deepEqual((await store.list(p, { revision: r5 })).kvs.map((kv) => dec(kv.value)), ['a2', 'c1']);
    await rejectsWith(store.get(`${p}a`, r4), 'FailedPrecondition', 'Expired');
    await rejectsWith(store.list(p, { revision: r3 }), 'FailedPrecondition', 'Expired');
    await assert.rejects(collect(store, p, r3, 1), (err: unknown) => {
      assert.ok(isBerthError(err, 'FailedPrecondition'), String(err));
      assert.equal(err.details?.['reason'], 'Expired');
      assert.equal(err.details?.['compactedRevision'], r5);
      return true;
    });
    const { events } = await collect(store, p, r4, 2);
    assert.deepEqual(events.map((e) => [e.kv.modRevision, e.prevKv?.modRevision]), [[r5, undefined], [r6, r5]]);
    await store.compact(r2); // at or below the compacted revision: nothing to do
    await rejectsWith(store.compact(r6 + 1000), 'InvalidArgument');
    const a3 = await store.update(`${p}a`, enc('a3'), r2);
    assert.equal(a3.createRevision, r1);
    await store.compact(a3.modRevision);
    assert.equal(dec((await store.get(`${p}a`))!.value), 'a3');
    assert.deepEqual((await store.list(p)).kvs.map((kv) => dec(kv.value)), ['a3', 'c2']);
  }));

  test('close ends watches and refuses further calls', async () => {
    const store = await options.open();
    await store.ready;
    const p = `/conformance/close-${Date.now()}/`;
    const start = await store.currentRevision();
    const controller = new AbortController();
    const loop = (async () => {
      for await (const _ of store.watch(p, { afterRevision: start, signal: controller.signal })) {
        // nothing is written under p
      }
      return 'ended';
    })();
    await sleep(100);
    await store.close();
    try {
      assert.equal(await within(loop, 3000), 'ended');
    } finally {
      controller.abort();
    }
    await rejectsWith(store.get(`${p}x`), 'Unavailable');
    await rejectsWith(store.create(`${p}x`, enc('x')), 'Unavailable');
    await rejectsWith(collect(store, p, 0, 1), 'Unavailable');
    await store.close(); // idempotent
  });
}
