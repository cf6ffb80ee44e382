import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PoolSizer } from '../../../../src/engine/runtime/pool-sizer.js';

test('the pool grows to the most starts seen in flight at once, within bounds, and shrinks back once that is forgotten', () => {
  let now = 0;
  const s = new PoolSizer(2, 16, 60_000, () => now);
  assert.equal(s.target(), 2);
  for (let i = 0; i < 50; i++) {
    s.observe(1); // sequential starts, however many: one at a time
    now += 100;
  }
  assert.equal(s.target(), 2);
  for (let i = 1; i <= 10; i++) s.observe(i); // a burst of 10
  assert.equal(s.target(), 10);
  now += 30_000;
  s.observe(1);
  assert.equal(s.target(), 10, 'the burst is remembered');
  for (let i = 1; i <= 40; i++) s.observe(i);
  assert.equal(s.target(), 16, 'capped');
  now += 61_000;
  assert.equal(s.target(), 2, 'forgotten after memoryMs');
  s.observe(1);
  assert.equal(s.target(), 2);
});
