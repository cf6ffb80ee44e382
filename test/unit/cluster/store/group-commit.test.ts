/** Group commit: one transaction per tick, per-write outcomes, whole-batch failures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflict, isBerthError } from '../../../../src/core/index.js';
import { GroupCommit } from '../../../../src/cluster/store/sqlite-group-commit.js';

function harness() {
  const log: string[] = [];
  let failNext: Error | undefined;
  const commit = new GroupCommit<number>(
    (fn) => {
      log.push('begin');
      fn();
      if (failNext !== undefined) {
        const err = failNext;
        failNext = undefined;
        log.push('rollback');
        throw err;
      }
      log.push('commit');
    },
    () => log.push('after'),
    { maxBatch: 10 },
  );
  return { commit, log, fail: (err: Error) => (failNext = err) };
}

test('writes submitted in one tick share one transaction and settle after the commit', async () => {
  const { commit, log } = harness();
  const results = await Promise.all(Array.from({ length: 5 }, (_, i) => commit.submit(() => (log.push(`w${i}`), i))));
  assert.deepEqual(results, [0, 1, 2, 3, 4]);
  assert.deepEqual(log, ['begin', 'w0', 'w1', 'w2', 'w3', 'w4', 'commit', 'after']);
});

test('a refused write fails alone; the others commit', async () => {
  const { commit } = harness();
  const results = await Promise.allSettled([
    commit.submit(() => 1),
    commit.submit(() => {
      throw conflict('stale');
    }),
    commit.submit(() => 3),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.ok(isBerthError((results[1] as PromiseRejectedResult).reason, 'Conflict'));
});

test('a failed transaction rejects its whole batch as Unavailable; later batches go on', async () => {
  const { commit, fail } = harness();
  fail(new Error('disk I/O error'));
  const failed = await Promise.allSettled([commit.submit(() => 1), commit.submit(() => 2)]);
  for (const r of failed) assert.ok(r.status === 'rejected' && isBerthError(r.reason, 'Unavailable'));
  assert.equal(await commit.submit(() => 3), 3);
});

test('batches are capped at maxBatch and close waits for queued writes', async () => {
  const { commit, log } = harness();
  const all = Promise.all(Array.from({ length: 25 }, (_, i) => commit.submit(() => i)));
  await commit.close();
  assert.equal((await all).length, 25);
  assert.equal(log.filter((l) => l === 'commit').length, 3);
  await assert.rejects(commit.submit(() => 1), (err: unknown) => isBerthError(err, 'Unavailable'));
});
