/** Store URL parsing and the SQLite default. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isBerthError } from '../../../../src/core/index.js';
import { openStore, parseStoreUrl } from '../../../../src/cluster/store/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'berth-store-url-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const opts = { dataDir };

test('no URL means SQLite in the data dir', async () => {
  assert.deepEqual(parseStoreUrl(undefined, opts), { kind: 'sqlite', path: join(dataDir, 'state.db'), synchronous: 'full' });
  assert.deepEqual(parseStoreUrl('', opts), parseStoreUrl(undefined, opts));
  const store = await openStore(undefined, opts);
  try {
    await store.ready;
    await store.create('/x', new Uint8Array([1]));
    assert.ok(existsSync(join(dataDir, 'state.db')));
  } finally {
    await store.close();
  }
});

test('sqlite:// URLs', () => {
  assert.deepEqual(parseStoreUrl('sqlite:///var/lib/berth/db.sqlite', opts), { kind: 'sqlite', path: '/var/lib/berth/db.sqlite', synchronous: 'full' });
  assert.deepEqual(parseStoreUrl('sqlite://sub/state.db?synchronous=normal', opts), { kind: 'sqlite', path: join(dataDir, 'sub/state.db'), synchronous: 'normal' });
  assert.deepEqual(parseStoreUrl('sqlite://', opts), { kind: 'sqlite', path: join(dataDir, 'state.db'), synchronous: 'full' });
  assert.deepEqual(parseStoreUrl('sqlite://:memory:', opts), { kind: 'sqlite', path: ':memory:', synchronous: 'full' });
});

test('etcd:// and http:// endpoint lists', () => {
  assert.deepEqual(parseStoreUrl('etcd://10.0.0.1:2379,etcd-2:2379', opts), { kind: 'etcd', endpoints: ['http://10.0.0.1:2379', 'http://etcd-2:2379'] });
  assert.deepEqual(parseStoreUrl('http://127.0.0.1:2379,http://127.0.0.2:2379/', opts), { kind: 'etcd', endpoints: ['http://127.0.0.1:2379', 'http://127.0.0.2:2379'] });
  assert.deepEqual(parseStoreUrl('etcd://[::1]:2379', opts), { kind: 'etcd', endpoints: ['http://[::1]:2379'] });
});

test('bad URLs are InvalidArgument with the reason', () => {
  const cases: [string, RegExp][] = [
    ['mysql://root@localhost/db', /unsupported store URL/],
    ['etcd://', /bad etcd endpoint/],
    ['etcd://host', /want host:port/],
    ['etcd://host:99999', /bad etcd endpoint/],
    ['https://127.0.0.1:2379', /TLS/],
    ['sqlite:///x.db?synchronous=off', /synchronous must be/],
    ['sqlite:///x.db?cache=shared', /unknown parameter/],
    ['/just/a/path', /unsupported store URL/],
  ];
  for (const [url, message] of cases) {
    assert.throws(() => parseStoreUrl(url, opts), (err: unknown) => isBerthError(err, 'InvalidArgument') && message.test(err.message), url);
  }
});
