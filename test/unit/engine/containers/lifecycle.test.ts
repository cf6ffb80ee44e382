import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, tick } from './fakes.js';

test('create merges the image config and persists the record', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', Env: ['A=1'], Labels: { x: 'y' } }, 'web');
  const rec = h.service.get('web');
  assert.equal(rec.Id, Id);
  assert.equal(rec.Path, '/bin/sh');
  assert.deepEqual(rec.Config.Env, ['A=1', 'PATH=/bin'], 'the user env first, then the image variables it does not set (moby merge)');
  assert.equal(rec.Config.Hostname, Id.slice(0, 12));
  assert.equal(rec.State.Status, 'created');
  assert.ok(h.images.layers.has(Id));
  assert.equal(h.service.get(Id.slice(0, 6)).Id, Id);
  assert.deepEqual(h.events.map((e) => e.Action), ['create']);
  const again = h.restart();
  await again.load();
  assert.equal(again.get('web').Id, Id);
});

test('create refuses a taken name, an unknown image and bad host config, leaving nothing behind', async (t) => {
  const h = harness();
  t.after(() => h.close());
  await h.service.create({ Image: 'busybox:test' }, 'web');
  await assert.rejects(h.service.create({ Image: 'busybox:test' }, 'web'), (e) => isBerthError(e, 'Conflict') && /The container name "\/web" is already in use/.test(e.message));
  await assert.rejects(h.service.create({ Image: 'nope:1' }, 'x1'), (e) => isBerthError(e, 'NotFound') && e.message === 'No such image: nope:1');
  await assert.rejects(h.service.create({ Image: 'busybox:test', HostConfig: { Memory: 1024 } }, 'y1'), /Minimum memory limit allowed is 6MB/);
  await assert.rejects(h.service.create({ Image: 'busybox:test', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, 'z1'), /AutoRemove/);
  await assert.rejects(h.service.create({ Image: 'busybox:test' }, 'bad name!'), /Invalid container name/);
  await assert.rejects(h.service.create({ Image: 'busybox:test' }, 'x'), /Invalid container name \(x\)/, 'Docker needs two characters');
  assert.equal(h.service.list().length, 1);
  assert.equal(h.images.layers.size, 1);
});

test('start, exit and wait conditions', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test' }, 'c1');
  const removed = h.service.wait(Id, 'removed');
  const nextExit = h.service.wait(Id, 'next-exit');
  await h.service.lifecycle.start(Id);
  assert.equal(h.service.get(Id).State.Running, true);
  assert.ok(h.networking.up.has(Id));
  await assert.rejects(h.service.lifecycle.start(Id), (e) => isBerthError(e) && e.details?.['status'] === 304);
  h.runtime.exit(Id, 3);
  assert.deepEqual(await nextExit.promise, { StatusCode: 3, Error: null });
  const rec = h.service.get(Id);
  assert.equal(rec.State.Status, 'exited');
  assert.equal(rec.State.ExitCode, 3);
  assert.ok(!h.networking.up.has(Id), 'network torn down after exit');
  assert.ok(h.runtime.deleted.includes(Id));
  assert.deepEqual(await h.service.wait(Id, 'not-running').promise, { StatusCode: 3, Error: null });
  await h.service.remove(Id, { force: false, volumes: true });
  assert.deepEqual(await removed.promise, { StatusCode: 3, Error: null });
  assert.deepEqual(h.events.map((e) => e.Action), ['create', 'start', 'die', 'destroy']);
  assert.equal(h.events[2]!.Actor.Attributes['exitCode'], '3');
});

test('AutoRemove removes the container after exit and wakes removed waiters with the exit code', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', HostConfig: { AutoRemove: true } }, 'rm1');
  const removed = h.service.wait(Id, 'removed');
  await h.service.lifecycle.start(Id);
  h.runtime.exit(Id, 7);
  assert.deepEqual(await removed.promise, { StatusCode: 7, Error: null });
  assert.equal(h.service.find(Id), undefined);
  assert.deepEqual(h.volumes.removed, [{ id: Id, anonymous: true }]);
  assert.deepEqual(h.events.map((e) => e.Action), ['create', 'start', 'die', 'destroy']);
  await h.service.settle();
  assert.ok(h.runtime.deleted.includes(Id), 'task released after destroy');
  assert.ok(!h.images.layers.has(Id), 'layer removed after destroy');
  assert.ok(!existsSync(join(h.dir, 'containers', Id)), 'files removed after destroy');
});

test('a removal answers before the task, rootfs and layer are released; the name is free at once', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', HostConfig: { AutoRemove: true } }, 'fast');
  const removed = h.service.wait(Id, 'removed');
  await h.service.lifecycle.start(Id);
  // The runtime's delete (monitor, cgroups) is slow: the client must not wait for it.
  let finishDelete!: () => void;
  const deleting = new Promise<void>((r) => (finishDelete = r));
  const realDelete = h.runtime.delete.bind(h.runtime);
  h.runtime.delete = async (id: string) => {
    await deleting;
    return realDelete(id);
  };
  h.runtime.exit(Id, 0);
  assert.deepEqual(await removed.promise, { StatusCode: 0, Error: null });
  assert.equal(h.service.find(Id), undefined);
  assert.equal(h.service.list().length, 0, 'ps -a no longer shows it');
  assert.ok(h.images.layers.has(Id), 'layer still there: its rootfs is released first');
  const again = await h.service.create({ Image: 'busybox:test' }, 'fast');
  assert.notEqual(again.Id, Id);
  finishDelete();
  await h.service.settle();
  assert.ok(h.runtime.deleted.includes(Id));
  assert.ok(!h.images.layers.has(Id));
  assert.ok(h.images.layers.has(again.Id));
  // A restart does not bring the removed container back.
  const restarted = h.restart();
  await restarted.load();
  assert.deepEqual(restarted.list().map((r) => r.Name), ['fast']);
});

test('restore removes what an interrupted removal left: task, rootfs dir, layer, files', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const kept = await h.service.create({ Image: 'busybox:test' }, 'kept');
  const orphan = 'f'.repeat(64);
  h.images.layers.add(orphan);
  mkdirSync(join(h.dir, 'rootfs', orphan), { recursive: true });
  mkdirSync(join(h.dir, 'containers', orphan), { recursive: true });
  writeFileSync(join(h.dir, 'containers', orphan, `${orphan}-json.log`), '');
  h.runtime.restoreResult = [{ id: orphan, running: false, pid: 0, exit: { exitCode: 0, finishedAt: new Date(), oomKilled: false } }];
  const restarted = h.restart();
  await restarted.load();
  assert.deepEqual(restarted.list().map((r) => r.Id), [kept.Id]);
  assert.ok(h.runtime.deleted.includes(orphan));
  assert.ok(!h.images.layers.has(orphan));
  assert.ok(h.images.layers.has(kept.Id));
  assert.ok(!existsSync(join(h.dir, 'rootfs', orphan)));
  assert.ok(!existsSync(join(h.dir, 'containers', orphan)));
});

test('stop sends the stop signal then SIGKILL after the timeout', async (t) => {
  const h = harness();
  t.after(() => h.close());
  h.runtime.exitOn = { SIGKILL: 137 };
  const { Id } = await h.service.create({ Image: 'busybox:test', StopSignal: 'SIGUSR1' }, 's1');
  await h.service.lifecycle.start(Id);
  await h.service.lifecycle.stop(Id, 0);
  assert.deepEqual(h.runtime.tasks.get(Id)!.signals, ['SIGUSR1', 'SIGKILL']);
  assert.equal(h.service.get(Id).State.ExitCode, 137);
  assert.equal(h.service.get(Id).HasBeenManuallyStopped, true);
  await assert.rejects(h.service.lifecycle.stop(Id), (e) => isBerthError(e) && e.details?.['status'] === 304);
  const actions = h.events.map((e) => e.Action);
  assert.deepEqual(actions.slice(-4), ['kill', 'kill', 'die', 'stop']);
});

test('remove refuses a running container unless forced', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test' }, 'r1');
  await h.service.lifecycle.start(Id);
  await assert.rejects(h.service.remove(Id, { force: false, volumes: false }), /You cannot remove a running container/);
  await h.service.remove(Id, { force: true, volumes: false });
  assert.equal(h.service.find(Id), undefined);
  await h.service.settle();
  assert.ok(!h.images.layers.has(Id));
});

test('on-failure restarts up to the maximum retry count', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } } }, 'of');
  await h.service.lifecycle.start(Id);
  for (let i = 0; i < 2; i++) {
    h.runtime.exit(Id, 1);
    await tick(20);
    assert.equal(h.service.get(Id).State.Status, 'restarting');
    await tick(500);
    assert.equal(h.service.get(Id).State.Running, true, `restart ${i + 1}`);
  }
  h.runtime.exit(Id, 1);
  await tick(300);
  const rec = h.service.get(Id);
  assert.equal(rec.State.Status, 'exited');
  assert.equal(rec.RestartCount, 2);
});

test('a failed start leaves the container created with Docker exit code 127 for a missing executable', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', Cmd: ['nosuch'] }, 'f1');
  h.runtime.failNextStart = new Error('exec: "nosuch": executable file not found in $PATH');
  await assert.rejects(h.service.lifecycle.start(Id), (e) => isBerthError(e, 'InvalidArgument'));
  const rec = h.service.get(Id);
  assert.equal(rec.State.Status, 'created');
  assert.equal(rec.State.ExitCode, 127);
  assert.ok(!h.networking.up.has(Id), 'networking undone');
});

test('restore re-adopts running containers and settles ones that exited meanwhile', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const a = await h.service.create({ Image: 'busybox:test' }, 'keep');
  const b = await h.service.create({ Image: 'busybox:test' }, 'ended');
  const c = await h.service.create({ Image: 'busybox:test', HostConfig: { RestartPolicy: { Name: 'always' } } }, 'always');
  const d = await h.service.create({ Image: 'busybox:test', HostConfig: { RestartPolicy: { Name: 'unless-stopped' } } }, 'unless');
  for (const x of [a, b, c, d]) await h.service.lifecycle.start(x.Id);
  await h.service.lifecycle.stop(c.Id, 0);
  await h.service.lifecycle.stop(d.Id, 0);
  // "daemon restart": a new service on the same state; the runtime reports what happened meanwhile.
  h.runtime.restoreResult = [
    { id: a.Id, running: true, pid: 42 },
    { id: b.Id, running: false, pid: 0, exit: { exitCode: 9, finishedAt: new Date(), oomKilled: false } },
  ];
  const restarted = h.restart();
  await restarted.load();
  assert.equal(restarted.get('keep').State.Running, true);
  assert.equal(restarted.get('ended').State.Status, 'exited');
  assert.equal(restarted.get('ended').State.ExitCode, 9);
  assert.equal(restarted.get('always').State.Running, true, 'always: started with the daemon even after a manual stop');
  assert.equal(restarted.get('unless').State.Running, false, 'unless-stopped: a manual stop sticks');
  h.runtime.exit(a.Id, 0);
  await tick(20);
  assert.equal(restarted.get('keep').State.Status, 'exited');
});

test('an exec resized while it is starting gets the size once it runs (dockerd waits for the start)', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test' }, 'ex');
  await h.service.lifecycle.start(Id);
  const exec = h.service.execs.create(Id, { Cmd: ['sh'], Tty: true });
  await assert.rejects(h.service.execs.resize(exec.Id, 1, 1), (e) => isBerthError(e, 'Conflict'), 'not started: refused at once');
  let open!: () => void;
  h.runtime.execGate = new Promise((r) => (open = r));
  const started = h.service.execs.start(exec.Id, {});
  const resized = h.service.execs.resize(exec.Id, 17, 77);
  await tick();
  assert.deepEqual(h.runtime.execResizes, []);
  open();
  await started;
  await resized;
  assert.deepEqual(h.runtime.execResizes, [[17, 77]]);
});
