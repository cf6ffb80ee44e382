import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GcGate } from '../../../../src/engine/images/gc-gate.js';

test('a collection asked for during an operation waits until the operation ends', async () => {
  const gate = new GcGate();
  const order: string[] = [];
  let finish!: () => void;
  const op = gate.hold(async () => {
    order.push('op start');
    await new Promise<void>((r) => (finish = r));
    order.push('op end');
  });
  await new Promise((r) => setImmediate(r));
  const deferred = await gate.collect(async () => {
    order.push('gc');
    return 1;
  });
  assert.equal(deferred, undefined, 'deferred while an operation runs');
  assert.deepEqual(order, ['op start']);
  finish();
  await op;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['op start', 'op end', 'gc']);
  assert.equal(await gate.collect(async () => 2), 2, 'runs at once when idle');
});

test('operations wait for a running collection', async () => {
  const gate = new GcGate();
  const order: string[] = [];
  let finish!: () => void;
  const gc = gate.collect(async () => {
    order.push('gc start');
    await new Promise<void>((r) => (finish = r));
    order.push('gc end');
  });
  const op = gate.hold(async () => void order.push('op'));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['gc start']);
  finish();
  await Promise.all([gc, op]);
  assert.deepEqual(order, ['gc start', 'gc end', 'op']);
});
