import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './helpers.js';

/** Sandbox life-cycle timing on the fake edge: namespace pool, the ready handoff, failing teardown steps. */
async function withHarness(fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness();
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('namespace pool: starts take a ready namespace, refills come after, close removes the spares', async () => {
  const h = await harness({ netnsPool: 2 });
  try {
    const a = await h.create('a');
    const first = await h.start(a);
    assert.equal(h.host.calls.find((c) => c.op === 'netns.create')?.arg, first.netnsPath, 'the first start makes its own');
    assert.equal(h.host.namespaces.size, 1, 'no refill during the start');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.host.namespaces.size, 3, 'one in use, two spares');
    const b = await h.create('b');
    const spares = h.host.calls.filter((c) => c.op === 'netns.create').map((c) => c.arg);
    const second = await h.start(b);
    assert.ok(spares.includes(second.netnsPath!), 'the second start took a spare');
    assert.ok(h.host.namespaces.has(second.netnsPath!) && second.netnsPath !== first.netnsPath);
    assert.equal(b.NetworkSettings.SandboxKey.split('/').pop(), b.NetworkSettings.SandboxID.slice(0, 12), 'named after the sandbox id');
    await h.service.finishRestore();
    assert.ok(h.host.namespaces.size >= 3, 'finishRestore keeps the spares');
    await h.stop(a);
    await h.stop(b);
    await h.service.close();
    assert.deepEqual([...h.host.namespaces], []);
  } finally {
    await h.close();
  }
});

test('a teardown step that fails does not stop the others; the state file stays so the next start retries', () =>
  withHarness(async (h) => {
    const c = await h.create('c', { PortBindings: { '80/tcp': [{ HostPort: '18080' }] } }, { ExposedPorts: { '80/tcp': {} } });
    const setup = await h.start(c);
    h.host.failNext.add('netns.remove');
    await h.stop(c);
    await h.service.settle();
    assert.deepEqual(h.host.firewallState?.ports, [], 'the DNAT rule went anyway');
    assert.deepEqual([...h.host.attachments.keys()], [], 'CNI DEL ran');
    assert.ok(h.host.namespaces.has(setup.netnsPath!), 'the namespace is still there');
    // The next daemon start finds the sandbox record of a container that is not running, and finishes the job.
    await h.service.close();
    const service = await h.restart();
    await service.finishRestore();
    assert.deepEqual([...h.host.namespaces], []);
  }));

test('setUp answers before CNI is done; the process waits for ready; a failure there undoes everything', () =>
  withHarness(async (h) => {
    h.host.cniAddDelayMs = 60;
    const c = await h.create('c', { PortBindings: { '80/tcp': [{ HostPort: '18080' }] } }, { ExposedPorts: { '80/tcp': {} } });
    const setup = await h.service.setUp(c);
    assert.ok(setup.ready, 'a ready promise');
    assert.ok(h.host.namespaces.has(setup.netnsPath!), 'the namespace exists at once');
    assert.equal(h.host.attachments.size, 0, 'CNI still in flight');
    // A teardown (failed start) waits for the work in flight rather than racing it.
    const teardown = h.service.tearDown(c);
    await setup.ready;
    await teardown;
    await h.service.settle();
    assert.deepEqual([...h.host.namespaces], []);
    assert.deepEqual([...h.host.attachments.keys()], []);

    h.host.failNext.add('cni.add');
    const again = await h.service.setUp(c);
    await assert.rejects(again.ready!, /fake cni.add failure/);
    assert.deepEqual([...h.host.namespaces], [], 'undone before ready rejected');
    assert.equal(h.ports.held.size, 0);
  }));
