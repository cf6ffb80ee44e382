import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Harness, Sink, skipReason, sleep } from './harness.js';
import { readJsonFileLogs } from '../../../../src/engine/logs/index.js';
import { isAlive, signalPid } from '../../../../src/platform/linux/processes.js';
import { mountAll } from '../../../../src/platform/linux/mount.js';
import { mountsUnder } from '../../../../src/platform/linux/unmount-tree.js';

const skip = skipReason();

describe('runtime restore after a daemon restart, logs with rotation (runc)', { skip, timeout: 180_000 }, () => {
  const h = new Harness();
  before(() => h.init({ poolSize: 1 }));
  after(() => h.cleanup());

  test('json-file rotation while running, and follow until exit across rotations', async () => {
    const spec = h.spec('logs', ['sh', '-c', 'sleep 0.3; i=0; while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done; sleep 0.1; echo bye >&2']);
    const log = h.logPath(spec.id);
    await h.runtime.start(spec, { logPath: log, logMaxSize: 2000, logMaxFile: 3 });
    const got: string[] = [];
    for await (const e of readJsonFileLogs(log, { follow: true, done: h.runtime.wait(spec.id), tail: 5 })) got.push(`${e.stream}:${e.line.toString()}`);
    assert.equal((await h.runtime.wait(spec.id)).exitCode, 0);
    assert.ok(existsSync(`${log}.1`) && existsSync(`${log}.2`) && !existsSync(`${log}.3`));
    const all: string[] = [];
    for await (const e of readJsonFileLogs(log)) all.push(`${e.stream}:${e.line.toString()}`);
    // stdout and stderr are separate pipes: their relative order is not kept (as with Docker).
    const outs = all.filter((l) => l.startsWith('stdout:'));
    assert.equal(outs[outs.length - 1], 'stdout:line 299\n');
    assert.ok(all.slice(-5).includes('stderr:bye\n'));
    assert.ok(all.length < 300, 'old files rotated away');
    const tail = [];
    for await (const e of readJsonFileLogs(log, { tail: 3, stderr: false })) tail.push(e.line.toString());
    assert.ok(tail.length >= 2 && tail[tail.length - 1] === 'line 299\n', 'tail counts both streams, then selects');
    assert.ok(got.includes('stderr:bye\n') && got.includes('stdout:line 299\n'), 'follow read to the end');
    assert.ok(got.length > 5, 'follow kept reading after the tail');
    await h.runtime.delete(spec.id);
  });

  test('a new runtime on the same exec-root re-adopts a running task and reports one that exited meanwhile', async () => {
    const long = h.spec('long', ['sh', '-c', 'while true; do read x && echo "echo $x"; done'], {});
    const short = h.spec('short', ['sh', '-c', 'sleep 0.7; echo done; exit 5']);
    const first = await h.runtime.start(long, { openStdin: true, logPath: h.logPath(long.id) });
    await h.runtime.start(short, { logPath: h.logPath(short.id) });
    // The "daemon" goes away: its runtime object is dropped, monitors keep running.
    await h.runtime.close();
    await sleep(1200);
    assert.match(readFileSync(h.logPath(short.id), 'utf8'), /done/, 'the monitor kept logging without a daemon');
    h.runtime = await h.newRuntime();
    const restored = await h.runtime.restore();
    const l = restored.find((t) => t.id === long.id);
    const s = restored.find((t) => t.id === short.id);
    assert.equal(l?.status, 'running');
    assert.equal(l?.pid, first.pid);
    assert.equal(s?.status, 'exited');
    assert.equal(s?.exit?.exitCode, 5);
    // The re-adopted task is fully usable: attach with stdin, exec, kill, wait.
    const out = new Sink();
    const { PassThrough } = await import('node:stream');
    const input = new PassThrough();
    await h.runtime.attach(long.id, { stdin: input, stdout: out });
    input.write('hi\n');
    await out.waitFor(/echo hi/);
    const x = await h.runtime.exec(long.id, { args: ['true'] });
    assert.equal(await x.wait(), 0);
    await h.runtime.kill(long.id, 'KILL');
    assert.equal((await h.runtime.wait(long.id)).exitCode, 137);
    await h.runtime.delete(long.id);
    await h.runtime.delete(short.id);
  });

  test('a task whose monitor dies is killed and reported lost (255), then deletes cleanly', async () => {
    const spec = h.spec('orphan', ['sleep', '100']);
    const { pid } = await h.runtime.start(spec, {});
    const monitorPid = Number(readFileSync(`${h.execRoot}/tasks/${spec.id}/monitor.pid`, 'utf8'));
    assert.ok(signalPid(monitorPid, 'SIGKILL'));
    const exit = await h.runtime.wait(spec.id);
    assert.equal(exit.exitCode, 255);
    assert.equal(exit.reason, 'task monitor lost');
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(20);
    assert.ok(!isAlive(pid), 'container process killed');
    await h.runtime.delete(spec.id);
  });

  test('a start cut short by a daemon crash (bundle mounted, no monitor) is reported and cleaned', async () => {
    const id = h.id('halfmade');
    const dir = `${h.execRoot}/tasks/${id}`;
    mkdirSync(`${dir}/rootfs`, { recursive: true });
    const record = {
      id,
      runtime: 'runc',
      runtimePath: 'runc',
      runtimeRoot: `${h.execRoot}/runtime/runc`,
      cgroupPath: `${h.cgroupParent}/${id}`,
      socketPath: `${h.execRoot}/s/${id}.sock`,
      tty: false,
      openStdin: false,
      keepForOom: false,
      createdAt: new Date().toISOString(),
      labels: {},
    };
    writeFileSync(`${dir}/task.json`, JSON.stringify(record));
    await mountAll([{ type: 'bind', source: h.lower, options: ['bind'] }], `${dir}/rootfs`);
    const before = await mountsUnder(dir);
    assert.ok(before.length > 0);
    // A dir without task.json (killed even earlier) is simply removed.
    mkdirSync(`${h.execRoot}/tasks/${h.id('earlier')}`);
    h.runtime = await (async () => {
      await h.runtime.close();
      return h.newRuntime();
    })();
    const restored = await h.runtime.restore();
    const t = restored.find((x) => x.id === id);
    assert.equal(t?.status, 'exited');
    assert.equal(t?.exit?.exitCode, 255);
    assert.equal(t?.exit?.reason, 'task never started');
    assert.ok(!restored.some((x) => x.id.startsWith('earlier-')), 'a dir without a record is no task');
    await h.runtime.delete(id);
    assert.deepEqual(await mountsUnder(dir), []);
    assert.ok(!existsSync(dir));
  });

  test('nothing is left behind', async () => {
    const left = await h.leftovers();
    assert.deepEqual(left.mounts, []);
    assert.deepEqual(left.cgroups, []);
    assert.deepEqual(left.tasks, []);
  });
});
