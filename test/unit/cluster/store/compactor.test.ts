/** The periodic compactor keeps the last keepRevisions revisions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteStore, startCompactor } from '../../../../src/cluster/store/index.js';
import { enc, rejectsWith, sleep } from './conformance-helpers.js';

test('compacts to current - keepRevisions, on demand and on its timer', async () => {
  const store = new SqliteStore({ path: ':memory:' });
  const controller = new AbortController();
  try {
    let kv = await store.create('/k', enc('0'));
    for (let i = 1; i < 30; i++) kv = await store.update('/k', enc(`${i}`), kv.modRevision);
    const compactor = startCompactor(store, { intervalMs: 20, keepRevisions: 10, signal: controller.signal });
    assert.equal(await compactor.runOnce(), 20);
    assert.equal(await compactor.runOnce(), undefined, 'nothing new to compact');
    await rejectsWith(store.get('/k', 19), 'FailedPrecondition', 'Expired');
    for (let i = 0; i < 10; i++) kv = await store.update('/k', enc(`x${i}`), kv.modRevision);
    await sleep(100); // the timer compacts to 30
    assert.equal(await store.compactedRevision(), 30);
    controller.abort();
    await compactor.done;
  } finally {
    controller.abort();
    await store.close();
  }
});
