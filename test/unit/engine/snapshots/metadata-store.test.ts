import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotMetadata } from '../../../../src/engine/snapshots/metadata-store.js';
import { writeFileAtomic } from '../../../../src/engine/content/index.js';

const info = (key: string, id: number) => ({ key, kind: 'active' as const, id, labels: {}, created: '2024-01-01T00:00:00.000Z' });

test('updates queued during a write are group-committed: one write for the batch, each caller after its change is durable', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-meta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'metadata.json');
  const writes: string[] = [];
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const meta = new SnapshotMetadata(path, async (p, data) => {
    writes.push(data);
    await gate;
    await writeFileAtomic(p, data);
  });
  const first = meta.update((d) => void (d.snapshots['a'] = info('a', d.nextId++)));
  await new Promise((r) => setImmediate(r));
  // While the first write is in flight: three more, one of which fails.
  const second = meta.update((d) => void (d.snapshots['b'] = info('b', d.nextId++)));
  const failing = meta.update((d) => {
    d.snapshots['bad'] = info('bad', d.nextId++);
    throw new Error('refused');
  });
  const third = meta.update((d) => {
    d.snapshots['c'] = info('c', d.nextId++);
    return 'third';
  });
  assert.equal(meta.get('a'), undefined, 'not visible before it is written');
  gate = Promise.resolve();
  release();
  await first;
  await assert.rejects(failing, /refused/);
  assert.equal(await third, 'third');
  await second;
  assert.equal(writes.length, 2, 'first alone, then the batch');
  const saved = JSON.parse(await readFile(path, 'utf8')) as { nextId: number; snapshots: Record<string, { id: number }> };
  assert.deepEqual(Object.keys(saved.snapshots).sort(), ['a', 'b', 'c']);
  assert.equal(saved.snapshots['c']!.id, 3, 'the failed update changed nothing, not even nextId');
  assert.equal(saved.nextId, 4);
  assert.equal(meta.get('c')?.id, 3);
});

test('a failed write rejects its whole batch and keeps the previous state', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-meta-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  let fail = true;
  const meta = new SnapshotMetadata(join(dir, 'metadata.json'), async (p, data) => {
    if (fail) throw new Error('disk full');
    await writeFileAtomic(p, data);
  });
  await assert.rejects(meta.update((d) => void (d.snapshots['a'] = info('a', d.nextId++))), /disk full/);
  assert.equal(meta.get('a'), undefined);
  fail = false;
  await meta.update((d) => void (d.snapshots['b'] = info('b', d.nextId++)));
  assert.equal(meta.get('b')?.id, 1);
});
