/**
 * Docker behaviours the e2e suite found missing, pinned down without root:
 * create-time defaults and checks, env merge order, start error codes, ps
 * filter errors and command quoting, paused kills, stop/remove against a
 * restart in flight, held starts at daemon start-up, stats network counters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { adaptHostConfig, normalizeStrSlices, validateCreateConfig } from '../../../../src/engine/containers/host-defaults.js';
import { imageEnvUnder } from '../../../../src/engine/containers/merge-config.js';
import { classifyStartError } from '../../../../src/engine/containers/start-errors.js';
import { quoteCommand, validateListFilters } from '../../../../src/engine/containers/summary.js';
import { parseFilters } from '../../../../src/core/index.js';
import { parseNetDev } from '../../../../src/platform/linux/net-dev.js';
import type { ContainerRecord } from '../../../../src/engine/containers/index.js';
import { harness, tick } from './fakes.js';

test('adaptHostConfig fills what dockerd fills at create', () => {
  const h = adaptHostConfig({ Memory: 64 * 1024 * 1024, PidsLimit: 0, MemorySwappiness: -1, ShmSize: 0, IpcMode: '', CgroupnsMode: '' });
  assert.equal(h.MemorySwap, 128 * 1024 * 1024);
  assert.equal(h.PidsLimit, null);
  assert.equal(h.MemorySwappiness, null);
  assert.equal(h.ShmSize, 64 * 1024 * 1024);
  assert.equal(h.IpcMode, 'private');
  assert.equal(h.CgroupnsMode, 'host');
  assert.ok(h.MaskedPaths?.includes('/proc/kcore'));
  assert.deepEqual(h.ReadonlyPaths, ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
  assert.equal(h.SecurityOpt, undefined);
  assert.equal(adaptHostConfig({ PidsLimit: -7 }).PidsLimit, null, 'any negative value is unlimited');
  assert.equal(adaptHostConfig({ PidsLimit: 20 }).PidsLimit, 20);
  assert.equal(adaptHostConfig({ Memory: 1, MemorySwap: -1 }).MemorySwap, -1, 'unlimited swap stays');
  const priv = adaptHostConfig({ Privileged: true });
  assert.equal(priv.MaskedPaths, undefined, 'nothing masked for a privileged container');
  assert.deepEqual(priv.SecurityOpt, ['label=disable']);
  assert.deepEqual(adaptHostConfig({ PidMode: 'host', SecurityOpt: ['no-new-privileges'] }).SecurityOpt, ['no-new-privileges', 'label=disable']);
});

test('create-time checks: stop signal and capabilities, with dockerd messages', () => {
  assert.throws(() => validateCreateConfig({ StopSignal: 'SIGFOO' }, {}), (e) => isBerthError(e, 'InvalidArgument') && (e as Error).message === 'Invalid signal: SIGFOO');
  assert.doesNotThrow(() => validateCreateConfig({ StopSignal: 'USR1' }, { CapAdd: ['net_admin'], CapDrop: ['ALL'] }));
  assert.throws(() => validateCreateConfig({}, { CapAdd: ['FOO'] }), (e) => isBerthError(e, 'InvalidArgument') && (e as Error).message === 'invalid CapAdd: unknown capability: "CAP_FOO"');
  assert.throws(() => validateCreateConfig({}, { CapDrop: ['CAP_NOPE'] }), /invalid CapDrop: unknown capability: "CAP_NOPE"/);
  assert.deepEqual(normalizeStrSlices({ Cmd: 'echo' as unknown as string[], Entrypoint: ['sh'] }), { Cmd: ['echo'], Entrypoint: ['sh'] });
});

test('the user env comes first, then the image variables it does not set', () => {
  assert.deepEqual(imageEnvUnder(['A=1', 'PATH=/mine'], ['PATH=/bin', 'B=2']), ['A=1', 'PATH=/mine', 'B=2']);
  assert.deepEqual(imageEnvUnder(null, ['PATH=/bin']), ['PATH=/bin']);
  assert.deepEqual(imageEnvUnder(['X'], ['X=image']), ['X'], 'a bare name overrides too');
});

test('start errors map to 127/126/128 by message, whatever their kind', () => {
  const invalid = Object.assign(new Error('exec: "nosuch": executable file not found in $PATH'), {});
  assert.equal(classifyStartError(invalid, 'nosuch').exitCode, 127);
  const kinded = classifyStartError(new (class extends Error {})('x'), 'sh');
  assert.equal(kinded.exitCode, 128);
  assert.equal(classifyStartError(new Error('exec: "/etc/passwd": permission denied'), '/etc/passwd').exitCode, 126);
  assert.equal(classifyStartError(new Error('mount /data: no such file or directory'), 'sleep').exitCode, 128, 'a missing file that is not the command');
});

test('ps filter values are checked as dockerd does', () => {
  const bad = (q: Record<string, string[]>, msg: string): void => assert.throws(() => validateListFilters(parseFilters(JSON.stringify(q))), (e) => (e as Error).message === msg);
  bad({ foo: ['x'] }, "Invalid filter 'foo'");
  bad({ status: ['sleeping'] }, "Invalid filter 'status=sleeping'");
  bad({ health: ['sick'] }, 'Unrecognised filter value for health: sick');
  bad({ exited: ['x'] }, 'strconv.Atoi: parsing "x": invalid syntax');
  bad({ 'is-task': ['maybe'] }, "Invalid filter 'is-task=[maybe]'");
  assert.doesNotThrow(() => validateListFilters(parseFilters(JSON.stringify({ status: ['running', 'exited'], exited: ['-1'], health: ['none'], 'is-task': ['false'] }))));
});

test('commands are quoted as dockerd lists them', () => {
  const rec = { Path: 'sh', Args: ['-c', "echo 'a b'", 'x"y', 'a\tb'] } as ContainerRecord;
  assert.equal(quoteCommand(rec), "sh -c 'echo 'a b'' x\"y a\tb");
});

test('/proc/<pid>/net/dev becomes Docker stats networks, loopback left out', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
  eth0:    1234      10    1    2    0     0          0         0      567       5    3    4    0     0       0          0
`;
  assert.deepEqual(parseNetDev(text), { eth0: { rx_bytes: 1234, rx_packets: 10, rx_errors: 1, rx_dropped: 2, tx_bytes: 567, tx_packets: 5, tx_errors: 3, tx_dropped: 4 } });
});

test('kill of a paused container sends the signal and thaws it unless a different stop signal is set', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test' }, 'p1');
  await h.service.lifecycle.start(Id);
  await h.service.lifecycle.pause(Id);
  h.runtime.exitOn = {};
  await h.service.lifecycle.kill(Id, 'HUP');
  assert.equal(h.service.get(Id).State.Paused, false, 'thawed');
  assert.deepEqual(h.events.filter((e) => e.Actor.ID === Id).map((e) => e.Action).slice(-2), ['kill', 'unpause']);
  const other = await h.service.create({ Image: 'busybox:test', StopSignal: 'SIGUSR1' }, 'p2');
  await h.service.lifecycle.start(other.Id);
  await h.service.lifecycle.pause(other.Id);
  await h.service.lifecycle.kill(other.Id, 'HUP');
  assert.equal(h.service.get(other.Id).State.Paused, true, 'not its stop signal: stays frozen');
  h.runtime.exitOn = { SIGKILL: 137 };
  await h.service.remove(Id, { force: true, volumes: false });
  await h.service.remove(other.Id, { force: true, volumes: false });
});

test('stop of a container whose exit is being settled waits for it and ends the restart loop', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', HostConfig: { RestartPolicy: { Name: 'always' } } }, 'loop');
  await h.service.lifecycle.start(Id);
  h.runtime.exit(Id, 0); // it exits and is about to restart…
  await h.service.lifecycle.stop(Id, 0); // …as the stop arrives
  await tick(400);
  const rec = h.service.get(Id);
  assert.equal(rec.State.Status, 'exited');
  assert.equal(rec.State.Restarting, false);
  assert.equal(rec.RestartCount, 0, 'no restart after the stop');
});

test('remove refuses a restarting container without force; with force it ends the loop', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', HostConfig: { RestartPolicy: { Name: 'always' } } }, 'r1');
  await h.service.lifecycle.start(Id);
  h.runtime.exit(Id, 1);
  await tick(20);
  assert.equal(h.service.get(Id).State.Status, 'restarting');
  await assert.rejects(h.service.remove(Id, { force: false, volumes: false }), (e) => isBerthError(e, 'Conflict') && /You cannot remove a restarting container/.test((e as Error).message));
  await h.service.remove(Id, { force: true, volumes: false });
  assert.equal(h.service.find(Id), undefined);
});

test('load({ deferStarts }) holds restart-policy starts until startDeferred()', async (t) => {
  const h = harness();
  t.after(() => h.close());
  const { Id } = await h.service.create({ Image: 'busybox:test', HostConfig: { RestartPolicy: { Name: 'always' } } }, 'held');
  await h.service.lifecycle.start(Id);
  await h.service.lifecycle.stop(Id, 0);
  h.runtime.restoreResult = [];
  const restarted = h.restart();
  await restarted.load({ deferStarts: true });
  assert.equal(restarted.get('held').State.Running, false, 'not started during the restore');
  await restarted.startDeferred();
  assert.equal(restarted.get('held').State.Running, true, 'started once released');
});
