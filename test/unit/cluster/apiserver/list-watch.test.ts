/** List and watch semantics over a real (in-memory SQLite) store. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, SqliteStore, type Store } from '../../../../src/cluster/store/index.js';
import { listObjects, ObjectStore, parseLabelSelector, watchObjects, type WatchOut } from '../../../../src/cluster/apiserver/storage/index.js';
import { toStatus } from '../../../../src/cluster/apiserver/http/status.js';
import type { KubeObject } from '../../../../src/cluster/apiserver/types.js';

const cms = { group: '', resource: 'configmaps', namespaced: true };
const prefix = '/registry/core/configmaps/';

async function withStore(fn: (store: Store, objects: ObjectStore) => Promise<void>): Promise<void> {
  const store = await openStore('sqlite://:memory:', { dataDir: '/tmp' });
  await store.ready;
  try {
    await fn(store, new ObjectStore(store));
  } finally {
    await store.close();
  }
}

const cm = (ns: string, name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels } });

test('keys follow /registry/<group>/<resource>/<namespace>/<name>; resourceVersion is the store revision', async () => {
  await withStore(async (store, objects) => {
    const created = await objects.create(cms, cm('ns1', 'a'));
    const kv = await store.get('/registry/core/configmaps/ns1/a');
    assert.ok(kv);
    assert.equal(created.metadata.resourceVersion, String(kv.modRevision));
    assert.equal((JSON.parse(Buffer.from(kv.value).toString()) as KubeObject).metadata.resourceVersion, undefined, 'not stored in the value');
    await assert.rejects(objects.create(cms, cm('ns1', 'a')), (e: unknown) => toStatus(e).message === 'configmaps "a" already exists');
    await assert.rejects(objects.update(cms, 'ns1', 'missing', (c) => c), (e: unknown) => toStatus(e).code === 404);
    await assert.rejects(objects.delete(cms, 'ns1', 'a', Number(created.metadata.resourceVersion) + 100), (e: unknown) => toStatus(e).reason === 'Conflict');
  });
});

test('pagination: limit/continue, remainingItemCount, selectors filling pages, 410 after compaction', async () => {
  await withStore(async (store, objects) => {
    for (let i = 0; i < 25; i++) await objects.create(cms, cm(i % 2 === 0 ? 'even' : 'odd', `cm-${String(i).padStart(2, '0')}`, { parity: i % 2 === 0 ? 'even' : 'odd' }));
    const first = await listObjects(store, { prefix, limit: 10 });
    assert.equal(first.items.length, 10);
    assert.equal(first.remainingItemCount, 15);
    assert.ok(first.continue);
    const second = await listObjects(store, { prefix, limit: 10, continueToken: first.continue });
    const third = await listObjects(store, { prefix, limit: 10, continueToken: second.continue });
    assert.equal(third.items.length, 5);
    assert.equal(third.continue, undefined);
    const names = [...first.items, ...second.items, ...third.items].map((o) => o.metadata.name);
    assert.equal(new Set(names).size, 25);
    assert.equal(second.resourceVersion, first.resourceVersion, 'pages are read at the first page revision');
    const odd = await listObjects(store, { prefix, limit: 5, label: parseLabelSelector('parity=odd') });
    assert.equal(odd.items.length, 5);
    assert.ok(odd.items.every((o) => o.metadata.labels?.['parity'] === 'odd'));
    assert.equal(odd.remainingItemCount, undefined, 'unknown with a selector');
    const inNs = await listObjects(store, { prefix: `${prefix}even/` });
    assert.equal(inNs.items.length, 13);
    // Writes move the store on; compacting past the token's revision expires it.
    await objects.create(cms, cm('even', 'late'));
    await store.compact(await store.currentRevision());
    await assert.rejects(listObjects(store, { prefix, limit: 10, continueToken: first.continue }), (e: unknown) => {
      const s = toStatus(e);
      return s.code === 410 && s.reason === 'Expired' && /continue parameter is too old/.test(s.message ?? '');
    });
    await assert.rejects(listObjects(store, { prefix, resourceVersion: first.resourceVersion, resourceVersionMatch: 'Exact' }), (e: unknown) => toStatus(e).code === 410);
  });
});

test('resourceVersion semantics: Exact reads the past, NotOlderThan waits, too large times out', async () => {
  await withStore(async (store, objects) => {
    const a = await objects.create(cms, cm('ns', 'a'));
    await objects.create(cms, cm('ns', 'b'));
    const past = await listObjects(store, { prefix, resourceVersion: a.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
    assert.deepEqual(past.items.map((o) => o.metadata.name), ['a']);
    const now = await listObjects(store, { prefix, resourceVersion: a.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
    assert.equal(now.items.length, 2);
    await assert.rejects(listObjects(store, { prefix, resourceVersion: '999999', resourceVersionMatch: 'NotOlderThan' }), (e: unknown) => toStatus(e).code === 504);
    await assert.rejects(listObjects(store, { prefix, resourceVersionMatch: 'Exact' }), (e: unknown) => toStatus(e).code === 400);
  });
});

async function take(it: AsyncGenerator<WatchOut>, n: number): Promise<WatchOut[]> {
  const out: WatchOut[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done === true) break;
    out.push(r.value);
  }
  return out;
}

test('watch: initial ADDED events, bookmark at the end of them, and selector transitions', async () => {
  await withStore(async (store, objects) => {
    await objects.create(cms, cm('ns', 'a', { app: 'x' }));
    const ac = new AbortController();
    const it = watchObjects(store, { prefix, label: parseLabelSelector('app=x'), allowBookmarks: true, sendInitialEvents: true, signal: ac.signal });
    const initial = await take(it, 2);
    assert.equal(initial[0]?.type, 'ADDED');
    assert.deepEqual(initial[1], { type: 'BOOKMARK', revision: Number(await store.currentRevision()), initialEventsEnd: true });
    await objects.update(cms, 'ns', 'a', (c) => ({ ...c, data: { v: '1' } }));
    await objects.update(cms, 'ns', 'a', (c) => ({ ...c, metadata: { ...c.metadata, labels: { app: 'y' } } }));
    await objects.create(cms, cm('ns', 'b', { app: 'y' }));
    await objects.update(cms, 'ns', 'b', (c) => ({ ...c, metadata: { ...c.metadata, labels: { app: 'x' } } }));
    const b = await objects.get(cms, 'ns', 'b');
    await objects.delete(cms, 'ns', 'b', b.kv.modRevision);
    const events = await take(it, 4);
    assert.deepEqual(events.map((e) => `${e.type}:${e.type === 'BOOKMARK' ? '' : e.object.metadata.name}`), ['MODIFIED:a', 'DELETED:a', 'ADDED:b', 'DELETED:b']);
    const deleted = events[3];
    assert.ok(deleted !== undefined && deleted.type === 'DELETED');
    assert.equal(deleted.object.metadata.resourceVersion, String(await store.currentRevision()), 'a DELETED event carries the deletion revision');
    ac.abort();
  });
});

test('watch from a compacted revision is 410 Expired', async () => {
  await withStore(async (store, objects) => {
    await objects.create(cms, cm('ns', 'a'));
    await objects.create(cms, cm('ns', 'b'));
    await store.compact(await store.currentRevision());
    const it = watchObjects(store, { prefix, resourceVersion: '1', allowBookmarks: false, signal: new AbortController().signal });
    await assert.rejects(it.next(), (e: unknown) => {
      const s = toStatus(e);
      return s.code === 410 && /^too old resource version: 1 \(\d+\)$/.test(s.message ?? '');
    });
  });
});

test('watch: idle bookmarks carry the current revision, only when asked for', async () => {
  const store = new SqliteStore({ path: ':memory:', progressIntervalMs: 40, pollIntervalMs: 20 });
  try {
    const objects = new ObjectStore(store);
    await objects.create(cms, cm('ns', 'a'));
    // Writes elsewhere move the revision on while this watch stays idle.
    await objects.create({ group: '', resource: 'secrets', namespaced: true }, cm('ns', 's'));
    const ac = new AbortController();
    const it = watchObjects(store, { prefix, resourceVersion: '0', allowBookmarks: true, bookmarkIntervalMs: 100, signal: ac.signal });
    const started = Date.now();
    const [added, bookmark] = await take(it, 2);
    assert.equal(added?.type, 'ADDED');
    assert.deepEqual(bookmark, { type: 'BOOKMARK', revision: await store.currentRevision(), initialEventsEnd: false });
    assert.ok(Date.now() - started >= 90, 'not before the interval');
    ac.abort();
    const quiet = new AbortController();
    const none = watchObjects(store, { prefix, resourceVersion: String(await store.currentRevision()), allowBookmarks: false, bookmarkIntervalMs: 10, signal: quiet.signal });
    const next = none.next();
    const timeout = new Promise((resolve) => setTimeout(() => resolve('idle'), 300));
    assert.equal(await Promise.race([next, timeout]), 'idle', 'no bookmarks without allowWatchBookmarks');
    quiet.abort();
    await next.catch(() => undefined);
  } finally {
    await store.close();
  }
});
