import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PoolSizer } from '../../../../src/engine/runtime/pool-sizer.js';

test('the pool grows to the largest recent burst of starts, within bounds, and shrinks back once it is forgotten', () => {
  let now = 0;
  const s = new PoolSizer(2, 16, 5_000, 60_000, () => now);
  assert.equal(s.target(), 2);
  for (let i = 0; i < 3; i++) {
    s.record();
    now += 6_000; // sequential starts, far apart: one per window
  }
  assert.equal(s.target(), 2);
  for (let i = 0; i < 10; i++) s.record(); // a burst of 10
  assert.equal(s.target(), 10);
  now += 30_000;
  s.record();
  assert.equal(s.target(), 10, 'the burst is remembered');
  for (let i = 0; i < 40; i++) s.record();
  assert.equal(s.target(), 16, 'capped');
  now += 61_000;
  assert.equal(s.target(), 2, 'forgotten after memoryMs');
  s.record();
  assert.equal(s.target(), 2);
});
