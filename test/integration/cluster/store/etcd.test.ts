/**
 * The store conformance suite against a real etcd (Debian etcd-server),
 * started on loopback with free ports and a temp data dir.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EtcdStore, openStore } from '../../../../src/cluster/store/index.js';
import { etcdUnavailableReason, startEtcd, type RunningEtcd } from '../../../fixtures/etcd.js';
import { storeConformance } from '../../../unit/cluster/store/conformance.js';
import { collect, enc, rejectsWith, sleep } from '../../../unit/cluster/store/conformance-helpers.js';

const skip = etcdUnavailableReason();
if (skip !== undefined) {
  test('etcd store', { skip }, () => undefined);
} else {
  let etcd: RunningEtcd | undefined;
  before(async () => {
    etcd = await startEtcd({ dataParent: '/dev/shm', progressNotifyIntervalMs: 500 });
  });
  after(async () => {
    await etcd?.stop();
  });
  const running = (): RunningEtcd => {
    assert.ok(etcd, 'etcd started');
    return etcd;
  };

  storeConformance('etcd', {
    open: async (options) =>
      new EtcdStore({
        endpoints: running().endpoints,
        ...(options?.maxBufferedEvents === undefined ? {} : { maxBufferedEvents: options.maxBufferedEvents }),
      }),
    progressTimeoutMs: 5000,
  });

  describe('etcd store specifics', () => {
    test('openStore accepts etcd:// and http:// endpoint lists', async () => {
      for (const url of [running().url, running().endpoints.join(','), `${running().url},${running().url.slice(7)}`]) {
        const store = await openStore(url, { dataDir: '/nonexistent' });
        try {
          await store.ready;
          assert.ok((await store.currentRevision()) >= 1);
        } finally {
          await store.close();
        }
      }
    });

    test('lists and watches larger than gRPC\'s default 4 MiB message', async () => {
      const store = new EtcdStore({ endpoints: running().endpoints });
      try {
        const start = await store.currentRevision();
        const big = new Uint8Array(200 * 1024).fill(120);
        for (let i = 0; i < 30; i++) await store.create(`/big/${i}`, big); // 6 MiB in all
        const { kvs, count } = await store.list('/big/');
        assert.equal(count, 30);
        assert.equal(kvs.reduce((n, kv) => n + kv.value.length, 0), 30 * big.length);
        const { events } = await collect(store, '/big/', start, 30);
        assert.equal(events.length, 30);
      } finally {
        await store.close();
      }
    });

    test('a watch fails with Unavailable when etcd goes away', async () => {
      const own = await startEtcd({ dataParent: '/dev/shm' });
      const store = new EtcdStore({ endpoints: own.endpoints, callTimeoutMs: 2000 });
      try {
        const start = await store.currentRevision();
        const watching = collect(store, '/w/', start, 2, { timeoutMs: 15_000 });
        await store.create('/w/1', enc('1'));
        await sleep(200);
        const failed = rejectsWith(watching, 'Unavailable'); // observed before it can reject
        await own.stop();
        await failed;
      } finally {
        await store.close();
        await own.stop();
      }
    });

    test('an unreachable etcd reports Unavailable', async () => {
      const store = new EtcdStore({ endpoints: ['http://127.0.0.1:1'], callTimeoutMs: 2000 });
      try {
        await rejectsWith(store.create('/x', enc('x')), 'Unavailable');
      } finally {
        await store.close();
      }
    });
  });
}
