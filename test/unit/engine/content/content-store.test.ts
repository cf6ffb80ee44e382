import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sha256Digest, type Digest } from '../../../../src/core/digest.js';
import { LocalContentStore, collectGarbage, referenceCounts } from '../../../../src/engine/content/index.js';

async function withStore(fn: (store: LocalContentStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-content-'));
  try {
    const store = new LocalContentStore(dir);
    await store.init();
    await fn(store, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('ingest verifies digest and size, blobs appear only when complete', () =>
  withStore(async (store, dir) => {
    const data = Buffer.from('hello world');
    const digest = sha256Digest(data);
    const w = await store.writer();
    await w.write(data.subarray(0, 5));
    assert.equal(await store.has(digest), false, 'not visible while writing');
    assert.equal((await readdir(join(dir, 'blobs', 'sha256'))).length, 0);
    await w.write(data.subarray(5));
    const info = await w.commit({ digest, size: data.length });
    assert.equal(info.digest, digest);
    assert.equal((await store.readBuffer(digest)).toString(), 'hello world');
    assert.equal((await readdir(join(dir, 'ingest'))).length, 0, 'ingest dir cleaned');

    await assert.rejects(store.ingest(Buffer.from('other'), { digest }), /unexpected commit digest/);
    await assert.rejects(store.ingest(Buffer.from('other'), { size: 3 }), /unexpected commit size 5, expected 3/);
    assert.equal((await readdir(join(dir, 'ingest'))).length, 0, 'failed ingests leave nothing');
    assert.equal((await store.list()).length, 1);
  }));

test('streams and reads back; missing blobs are NotFound', () =>
  withStore(async (store) => {
    const chunks = [Buffer.alloc(70000, 1), Buffer.alloc(70000, 2)];
    const info = await store.ingest(Readable.from(chunks));
    assert.equal(info.size, 140000);
    assert.equal(info.digest, sha256Digest(Buffer.concat(chunks)));
    const back: Buffer[] = [];
    for await (const c of store.readStream(info.digest)) back.push(c as Buffer);
    assert.equal(Buffer.concat(back).length, 140000);
    const missing = sha256Digest('nope');
    await assert.rejects(store.info(missing), (e: Error & { kind?: string }) => e.kind === 'NotFound');
    await assert.rejects(async () => {
      for await (const _ of store.readStream(missing)) void _;
    }, /not found/);
  }));

test('init removes stale ingests', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-content-'));
  try {
    await mkdir(join(dir, 'ingest', 'deadbeef'), { recursive: true });
    await writeFile(join(dir, 'ingest', 'deadbeef', 'data'), 'partial');
    const store = new LocalContentStore(dir);
    await store.init();
    assert.deepEqual(await readdir(join(dir, 'ingest')), []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('garbage collection follows manifest and index links and honours leases', () =>
  withStore(async (store) => {
    const put = async (v: string | object): Promise<{ digest: Digest; size: number }> => {
      const buf = Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
      const info = await store.ingest(buf);
      return { digest: info.digest, size: info.size };
    };
    const layer = await put('layer-bytes');
    const shared = await put('shared-layer');
    const config = await put({ architecture: 'amd64', os: 'linux' });
    const manifest = await put({ schemaVersion: 2, config: { ...config, mediaType: 'c' }, layers: [{ ...layer, mediaType: 'l' }, { ...shared, mediaType: 'l' }] });
    const other = await put({ schemaVersion: 2, config: { ...config, mediaType: 'c' }, layers: [{ ...shared, mediaType: 'l' }] });
    const index = await put({ schemaVersion: 2, manifests: [{ ...other, mediaType: 'm' }] });
    const orphan = await put('orphan');
    const leasedBlob = await put('leased');

    const counts = await referenceCounts(store, [manifest.digest, index.digest]);
    assert.equal(counts.get(shared.digest), 2);
    assert.equal(counts.get(config.digest), 2);
    assert.equal(counts.get(layer.digest), 1);
    assert.equal(counts.has(orphan.digest), false);

    const lease = store.lease();
    lease.add(leasedBlob.digest);
    const r1 = await collectGarbage(store, [manifest.digest, index.digest]);
    assert.deepEqual(r1.removed, [orphan.digest]);
    assert.equal(r1.reclaimed, 6);
    lease.release();

    const r2 = await collectGarbage(store, [index.digest]);
    assert.deepEqual(new Set(r2.removed), new Set([leasedBlob.digest, manifest.digest, layer.digest]));
    assert.ok(await store.has(shared.digest));
    assert.ok(await store.has(config.digest));
  }));
