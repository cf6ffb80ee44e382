/**
 * The behaviour suite every Store implementation must pass. Run it from a
 * backend's test file:
 *
 *   storeConformance('sqlite', { open: (o) => ..., progressTimeoutMs: 3000 });
 *
 * Each test opens its own store (or a new client to a shared backend),
 * works under its own random key prefix and closes the store, so a shared
 * etcd serves every test. Tests assume nobody else writes to the backend
 * while they run (revision arithmetic is exact).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Store } from '../../../../src/cluster/store/index.js';
import { dec, enc, rejectsWith } from './conformance-helpers.js';
import { watchConformance } from './conformance-watch.js';

export interface ConformanceStoreOptions {
  /** Queue length at which a slow watcher is paused (to test catch-up). */
  maxBufferedEvents?: number;
}

export interface StoreConformanceOptions {
  /** A fresh store (or a new client of a shared backend); the suite closes it. */
  open(options?: ConformanceStoreOptions): Promise<Store>;
  /** How long an idle progressNotify watcher may take to report progress. */
  progressTimeoutMs: number;
}

export type WithStore = (fn: (store: Store, prefix: string) => Promise<void>, options?: ConformanceStoreOptions) => () => Promise<void>;

export function storeConformance(name: string, options: StoreConformanceOptions): void {
  const withStore: WithStore = (fn, storeOptions) => async () => {
    const store = await options.open(storeOptions);
    try {
      await store.ready;
      await fn(store, `/conformance/${randomUUID()}/`);
    } finally {
      await store.close();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    test('create stores a key and refuses a live duplicate', withStore(async (store, p) => {
      const r0 = await store.currentRevision();
      const kv = await store.create(`${p}a`, enc('v1'));
      assert.equal(kv.modRevision, r0 + 1);
      assert.equal(kv.createRevision, kv.modRevision);
      assert.equal(kv.key, `${p}a`);
      assert.equal(await store.currentRevision(), r0 + 1);
      const got = await store.get(`${p}a`);
      assert.ok(got);
      assert.deepEqual({ ...got, value: dec(got.value) }, { key: `${p}a`, value: 'v1', createRevision: r0 + 1, modRevision: r0 + 1 });
      await rejectsWith(store.create(`${p}a`, enc('v2')), 'AlreadyExists');
      assert.equal(await store.currentRevision(), r0 + 1, 'a refused write makes no revision');
      assert.equal(await store.get(`${p}missing`), undefined);
    }));

    test('update requires the current modRevision', withStore(async (store, p) => {
      const created = await store.create(`${p}a`, enc('v1'));
      const updated = await store.update(`${p}a`, enc('v2'), created.modRevision);
      assert.equal(updated.modRevision, created.modRevision + 1);
      assert.equal(updated.createRevision, created.createRevision);
      assert.equal(dec(updated.value), 'v2');
      await assert.rejects(store.update(`${p}a`, enc('v3'), created.modRevision), (err: { kind?: string; details?: Record<string, unknown> }) => {
        assert.equal(err.kind, 'Conflict');
        assert.equal(err.details?.['currentRevision'], updated.modRevision);
        return true;
      });
      await rejectsWith(store.update(`${p}missing`, enc('x'), updated.modRevision), 'NotFound');
      await rejectsWith(store.update(`${p}missing`, enc('x'), 0), 'NotFound');
      assert.equal(await store.currentRevision(), updated.modRevision);
      const got = await store.get(`${p}a`);
      assert.equal(got && dec(got.value), 'v2');
    }));

    test('delete returns the deleted value and frees the key', withStore(async (store, p) => {
      const created = await store.create(`${p}a`, enc('v1'));
      const updated = await store.update(`${p}a`, enc('v2'), created.modRevision);
      await rejectsWith(store.delete(`${p}a`, created.modRevision), 'Conflict');
      const deleted = await store.delete(`${p}a`, updated.modRevision);
      assert.equal(deleted.modRevision, updated.modRevision + 1);
      assert.equal(deleted.createRevision, created.createRevision);
      assert.equal(dec(deleted.value), 'v2');
      assert.equal(await store.get(`${p}a`), undefined);
      await rejectsWith(store.delete(`${p}a`), 'NotFound');
      await rejectsWith(store.update(`${p}a`, enc('x'), deleted.modRevision), 'NotFound');
      const again = await store.create(`${p}a`, enc('v3'));
      assert.equal(again.createRevision, deleted.modRevision + 1, 'a re-created key starts a new generation');
      const plain = await store.delete(`${p}a`);
      assert.equal(dec(plain.value), 'v3');
      assert.equal(await store.currentRevision(), plain.modRevision);
    }));

    test('each successful write advances the revision by exactly one', withStore(async (store, p) => {
      let rev = await store.currentRevision();
      for (let i = 0; i < 5; i++) {
        const kv = await store.create(`${p}k${i}`, enc(`${i}`));
        assert.equal(kv.modRevision, ++rev);
        const up = await store.update(`${p}k${i}`, enc(`${i}b`), kv.modRevision);
        assert.equal(up.modRevision, ++rev);
        await rejectsWith(store.update(`${p}k${i}`, enc('stale'), kv.modRevision), 'Conflict');
      }
      assert.equal(await store.currentRevision(), rev);
    }));

    test('concurrent writes get exact, distinct results', withStore(async (store, p) => {
      const r0 = await store.currentRevision();
      const creates = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`${p}c${i}`, enc(`${i}`))));
      const revisions = creates.map((kv) => kv.modRevision).sort((a, b) => a - b);
      assert.deepEqual(revisions, Array.from({ length: 50 }, (_, i) => r0 + 1 + i));
      const base = creates[0]!;
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.update(base.key, enc(`racer${i}`), base.modRevision)),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one racer wins');
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { kind?: string }).kind, 'Conflict');
      const dupes = await Promise.allSettled(Array.from({ length: 10 }, () => store.create(`${p}same`, enc('x'))));
      assert.equal(dupes.filter((r) => r.status === 'fulfilled').length, 1, 'exactly one create of a key wins');
      assert.equal(await store.currentRevision(), r0 + 52);
    }));

    test('reads at past revisions see the state of that revision', withStore(async (store, p) => {
      await store.create(`${p}other`, enc('o')); // so that r1 - 1 is a real revision (0 means latest)
      const r1 = (await store.create(`${p}k`, enc('v1'))).modRevision;
      const r2 = (await store.update(`${p}k`, enc('v2'), r1)).modRevision;
      const r3 = (await store.delete(`${p}k`)).modRevision;
      const r4 = (await store.create(`${p}k`, enc('v3'))).modRevision;
      assert.equal(dec((await store.get(`${p}k`, r1))!.value), 'v1');
      assert.equal(dec((await store.get(`${p}k`, r2))!.value), 'v2');
      assert.equal(await store.get(`${p}k`, r3), undefined);
      assert.equal(await store.get(`${p}k`, r1 - 1), undefined);
      const now = await store.get(`${p}k`, r4);
      assert.deepEqual(now && { c: now.createRevision, m: now.modRevision, v: dec(now.value) }, { c: r4, m: r4, v: 'v3' });
      const atR2 = await store.list(`${p}k`, { revision: r2 });
      assert.deepEqual(atR2.kvs.map((kv) => dec(kv.value)), ['v2']);
      assert.equal(atR2.revision, r2);
      assert.equal((await store.list(`${p}k`, { revision: r3 })).kvs.length, 0);
      await rejectsWith(store.get(`${p}k`, r4 + 1000), 'FailedPrecondition', 'FutureRevision');
      await rejectsWith(store.list(p, { revision: r4 + 1000 }), 'FailedPrecondition', 'FutureRevision');
    }));

    test('list returns the live keys under the prefix in key order', withStore(async (store, p) => {
      const inside = [`${p}b`, `${p}a`, `${p}c/x`, `${p}c`, `${p}\u00e9`, `${p}~`];
      for (const key of inside) await store.create(key, enc(key));
      const gone = await store.create(`${p}deleted`, enc('x'));
      await store.delete(gone.key);
      for (const key of [p.slice(0, -1), `${p.slice(0, -1)}0`, `${p.slice(0, -1)}x/a`]) await store.create(key, enc('outside'));
      const res = await store.list(p);
      // Byte order: '~' (0x7e) sorts before 'é' (0xc3 0xa9).
      assert.deepEqual(res.kvs.map((kv) => kv.key), [`${p}a`, `${p}b`, `${p}c`, `${p}c/x`, `${p}~`, `${p}\u00e9`]);
      assert.equal(res.count, 6);
      assert.equal(res.more, false);
      assert.equal(res.revision, await store.currentRevision());
      for (const kv of res.kvs) assert.equal(dec(kv.value), kv.key);
      assert.equal((await store.list(`${p}c`)).kvs.length, 2);
      assert.equal((await store.list(`${p}nothing/`)).count, 0);
      const binary = new Uint8Array(256).map((_, i) => i);
      await store.create(`${p}bin`, binary);
      assert.deepEqual([...(await store.get(`${p}bin`))!.value], [...binary]);
    }));

    test('list paginates at a fixed revision with limit, startKey, more and count', withStore(async (store, p) => {
      const key = (i: number): string => `${p}k${String(i).padStart(2, '0')}`;
      for (let i = 0; i < 25; i++) await store.create(key(i), enc(`v${i}`));
      const page1 = await store.list(p, { limit: 10 });
      const at = page1.revision;
      assert.deepEqual(page1.kvs.map((kv) => kv.key), Array.from({ length: 10 }, (_, i) => key(i)));
      assert.equal(page1.more, true);
      assert.equal(page1.count, 25);
      // Writes between pages must not show up in the pages read at `at`.
      await store.create(key(25), enc('late'));
      await store.delete(key(5));
      await store.delete(key(15));
      const k20 = await store.get(key(20));
      await store.update(key(20), enc('changed'), k20!.modRevision);
      const page2 = await store.list(p, { limit: 10, revision: at, startKey: `${page1.kvs[9]!.key}\0` });
      assert.deepEqual(page2.kvs.map((kv) => kv.key), Array.from({ length: 10 }, (_, i) => key(i + 10)));
      assert.equal(page2.more, true);
      assert.equal(page2.count, 15, 'count runs from startKey on');
      assert.equal(page2.revision, at);
      const page3 = await store.list(p, { limit: 10, revision: at, startKey: `${page2.kvs[9]!.key}\0` });
      assert.deepEqual(page3.kvs.map((kv) => dec(kv.value)), ['v20', 'v21', 'v22', 'v23', 'v24']);
      assert.equal(page3.more, false);
      assert.equal(page3.count, 5);
      const exact = await store.list(p, { limit: 5, revision: at, startKey: key(20) });
      assert.equal(exact.more, false, 'a page that ends exactly at the last key has no more');
      const latest = await store.list(p);
      assert.equal(latest.count, 24);
      assert.equal(dec(latest.kvs.find((kv) => kv.key === key(20))!.value), 'changed');
    }));

    watchConformance(withStore, options);
  });
}
