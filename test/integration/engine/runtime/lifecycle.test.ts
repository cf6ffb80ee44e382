import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { inheritableFds } from '../../../../src/platform/linux/processes.js';
import { isMountPoint, mountAll, unmountIfMounted } from '../../../../src/platform/linux/mount.js';
import { mountsUnder } from '../../../../src/platform/linux/unmount-tree.js';
import { Harness, Sink, skipReason, sleep } from './harness.js';

const skip = skipReason();

describe('runtime lifecycle (runc)', { skip, timeout: 180_000 }, () => {
  const h = new Harness();
  before(() => h.init({ poolSize: 1 }));
  after(() => h.cleanup());

  test('runs to its exit code; stdout and stderr reach the json-file log', async () => {
    const spec = h.spec('exit', ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    const started = await h.runtime.start(spec, { logPath: h.logPath(spec.id) });
    assert.ok(started.pid > 0);
    const exit = await h.runtime.wait(spec.id);
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.oomKilled, false);
    const lines = readFileSync(h.logPath(spec.id), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    assert.deepEqual(lines.map((l) => [l.stream, l.log]).sort(), [['stderr', 'err\n'], ['stdout', 'out\n']]);
    assert.match(lines[0]?.time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal((await h.runtime.state(spec.id)).status, 'exited');
    await h.runtime.delete(spec.id);
    await assert.rejects(h.runtime.state(spec.id), /no such task/);
  });

  test('clients attached before start get the very first bytes, stdout and stderr apart', async () => {
    const spec = h.spec('early', ['sh', '-c', 'echo first; echo second >&2']);
    const out = new Sink();
    const err = new Sink();
    let closed = false;
    await h.runtime.start(spec, { logPath: h.logPath(spec.id) }, [{ stdout: out, stderr: err, onClose: () => (closed = true) }]);
    await h.runtime.wait(spec.id);
    await out.waitFor(/first/);
    await err.waitFor(/second/);
    assert.equal(out.text(), 'first\n');
    assert.equal(err.text(), 'second\n');
    for (let i = 0; i < 100 && !closed; i++) await sleep(10);
    assert.ok(closed, 'onClose after output ended');
    await h.runtime.delete(spec.id);
  });

  test('kill by name and number; a trapped TERM exits with its own code, KILL gives 137', async () => {
    const a = h.spec('trap', ['sh', '-c', "trap 'exit 42' TERM; echo ready; while true; do sleep 0.05; done"]);
    const out = new Sink();
    await h.runtime.start(a, {}, [{ stdout: out }]);
    await out.waitFor(/ready/);
    await h.runtime.kill(a.id, 'SIGTERM');
    assert.equal((await h.runtime.wait(a.id)).exitCode, 42);
    await assert.rejects(h.runtime.kill(a.id, 'TERM'), /not running/);
    const b = h.spec('kill', ['sleep', '100']);
    await h.runtime.start(b, {});
    await assert.rejects(h.runtime.kill(b.id, 'NOPE'), /Invalid signal/);
    await h.runtime.kill(b.id, 9);
    const exit = await h.runtime.wait(b.id);
    assert.equal(exit.exitCode, 137);
    await h.runtime.delete(a.id);
    await h.runtime.delete(b.id);
  });

  test('delete refuses a running task', async () => {
    const spec = h.spec('busy', ['sleep', '100']);
    await h.runtime.start(spec, {});
    await assert.rejects(h.runtime.delete(spec.id), /running/);
    await h.runtime.kill(spec.id, 'KILL');
    await h.runtime.wait(spec.id);
    await h.runtime.delete(spec.id);
  });

  test('stdin with stdinOnce: the first client ending its input closes the task stdin', async () => {
    const spec = h.spec('stdin', ['cat']);
    const input = new PassThrough();
    const out = new Sink();
    await h.runtime.start(spec, { openStdin: true, stdinOnce: true, logPath: h.logPath(spec.id) }, [{ stdin: input, stdout: out }]);
    input.write('hello\n');
    await out.waitFor(/hello/);
    input.end('bye\n');
    const exit = await h.runtime.wait(spec.id);
    assert.equal(exit.exitCode, 0, 'cat saw end of input');
    assert.equal(out.text(), 'hello\nbye\n');
    await h.runtime.delete(spec.id);
  });

  test('without openStdin the task reads /dev/null', async () => {
    const spec = h.spec('nostdin', ['sh', '-c', 'cat; echo done']);
    const out = new Sink();
    await h.runtime.start(spec, {}, [{ stdout: out, stdin: new PassThrough() }]);
    assert.equal((await h.runtime.wait(spec.id)).exitCode, 0);
    await out.waitFor(/done/);
    await h.runtime.delete(spec.id);
  });

  test('two clients attached to a running task both get its output; detach by abort', async () => {
    const spec = h.spec('two', ['sh', '-c', 'read x; echo "got $x"; read y; echo "then $y"']);
    await h.runtime.start(spec, { openStdin: true });
    const one = new Sink();
    const two = new Sink();
    const input = new PassThrough();
    const ac = new AbortController();
    let twoClosed = false;
    await h.runtime.attach(spec.id, { stdout: one, stdin: input });
    await h.runtime.attach(spec.id, { stdout: two, signal: ac.signal, onClose: () => (twoClosed = true) });
    input.write('A\n');
    await one.waitFor(/got A/);
    await two.waitFor(/got A/);
    ac.abort();
    for (let i = 0; i < 100 && !twoClosed; i++) await sleep(10);
    assert.ok(twoClosed);
    input.write('B\n');
    await one.waitFor(/then B/);
    assert.equal((await h.runtime.wait(spec.id)).exitCode, 0);
    assert.doesNotMatch(two.text(), /then B/);
    await h.runtime.delete(spec.id);
  });

  test('tty: the terminal has the requested size and follows resize; output merged raw', async () => {
    const spec = h.spec('tty', ['sh', '-c', 'stty size; echo err >&2; read x; stty size'], { process: { args: [], terminal: true, consoleSize: { rows: 30, cols: 100 } } });
    spec.process.args = ['sh', '-c', 'stty size; echo err >&2; read x; stty size'];
    const out = new Sink();
    const input = new PassThrough();
    await h.runtime.start(spec, { tty: true, openStdin: true, logPath: h.logPath(spec.id) }, [{ stdout: out, stdin: input }]);
    await out.waitFor(/30 100\r+\n/);
    await out.waitFor(/err\r+\n/);
    await h.runtime.resize(spec.id, { rows: 40, cols: 120 });
    await sleep(50);
    input.write('go\r');
    await out.waitFor(/40 120\r+\n/);
    assert.equal((await h.runtime.wait(spec.id)).exitCode, 0);
    const log = readFileSync(h.logPath(spec.id), 'utf8');
    assert.match(log, /"log":"30 100(\\r)+\\n","stream":"stdout"/);
    assert.doesNotMatch(log, /"stream":"stderr"/, 'a tty has one stream');
    await h.runtime.delete(spec.id);
  });

  test('--init runs the process under docker-init as pid 1; user, cwd, hostname, read-only rootfs', async () => {
    const spec = h.spec('init', ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; id -u; id -g; pwd; hostname; touch /x 2>/dev/null || echo ro'], {
      init: true,
      hostname: 'boxy',
      readonlyRootfs: true,
      process: { args: [], user: 'nobody', cwd: '/tmp' },
    });
    spec.process.args = ['sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; id -u; id -g; pwd; hostname; touch /x 2>/dev/null || echo ro'];
    const out = new Sink();
    await h.runtime.start(spec, {}, [{ stdout: out }]);
    assert.equal((await h.runtime.wait(spec.id)).exitCode, 0);
    await out.waitFor(/ro\n/);
    assert.equal(out.text(), '/sbin/docker-init -- sh -c ' + spec.process.args[2] + ' \n65534\n65534\n/tmp\nboxy\nro\n');
    await h.runtime.delete(spec.id);
  });

  test('no leaked fds: the task has only its stdio, the monitor none of our inheritable fds', async () => {
    const spec = h.spec('fds', ['sleep', '30']);
    const { pid } = await h.runtime.start(spec, { logPath: h.logPath(spec.id) });
    assert.deepEqual(readdirSync(`/proc/${pid}/fd`).sort(), ['0', '1', '2']);
    const monitor = Number(readFileSync(`${h.execRoot}/tasks/${spec.id}/monitor.pid`, 'utf8'));
    const target = (p: number, fd: string) => {
      try {
        return readlinkSync(`/proc/${p}/fd/${fd}`);
      } catch {
        return '';
      }
    };
    const ours = new Set(inheritableFds().map((fd) => target(process.pid, String(fd))).filter((t) => t.startsWith('pipe:') || t.startsWith('socket:')));
    const theirs = readdirSync(`/proc/${monitor}/fd`).map((fd) => target(monitor, fd));
    assert.deepEqual(theirs.filter((t) => ours.has(t)), []);
    assert.ok(!theirs.some((t) => t.includes('/dev/pts')), 'the monitor holds no terminal of ours');
    await h.runtime.kill(spec.id, 'KILL');
    await h.runtime.wait(spec.id);
    await h.runtime.delete(spec.id);
  });

  test('a monitor whose task ended goes back to the pool and serves the next task, keeping nothing of the first', async () => {
    const fdTargets = (pid: number): string[] =>
      readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      });
    const first = h.spec('first', ['sh', '-c', 'echo first']);
    await h.runtime.start(first, { logPath: h.logPath(first.id) });
    const monitor = Number(readFileSync(`${h.execRoot}/tasks/${first.id}/monitor.pid`, 'utf8'));
    assert.equal((await h.runtime.wait(first.id)).exitCode, 0);
    await h.runtime.delete(first.id);
    // Back in the pool once it let go of the first task's log (then it only reconnects).
    for (let i = 0; i < 200 && fdTargets(monitor).some((t) => t.includes(first.id)); i++) await sleep(10);
    await sleep(100);
    const second = h.spec('second', ['sleep', '30']);
    await h.runtime.start(second, { logPath: h.logPath(second.id) });
    assert.equal(Number(readFileSync(`${h.execRoot}/tasks/${second.id}/monitor.pid`, 'utf8')), monitor, 'the same monitor process');
    assert.deepEqual(fdTargets(monitor).filter((t) => t.includes(first.id)), [], 'nothing of the first task is held');
    assert.ok(fdTargets(monitor).some((t) => t === h.logPath(second.id)), 'the second task logs through it');
    await h.runtime.kill(second.id, 'KILL');
    assert.equal((await h.runtime.wait(second.id)).exitCode, 137);
    await h.runtime.delete(second.id);
  });

  test('a failed start leaves no task dir, mount, cgroup, runc state or process', async () => {
    const spec = h.spec('bad', ['/no/such/binary']);
    await assert.rejects(h.runtime.start(spec, { logPath: h.logPath(spec.id) }), (e: Error & { kind?: string }) => {
      assert.match(e.message, /no such file or directory/);
      assert.equal(e.kind, 'InvalidArgument');
      return true;
    });
    assert.ok(!existsSync(`${h.execRoot}/tasks/${spec.id}`));
    assert.ok(!existsSync(`${h.execRoot}/runtime/runc/${spec.id}`));
    const left = await h.leftovers();
    assert.deepEqual(left.mounts, []);
    assert.deepEqual(left.cgroups, []);
    await assert.rejects(h.runtime.start(h.spec('baduser', ['true'], { process: { args: ['true'], user: 'ghost' } }), {}), /unable to find user ghost/);
    assert.deepEqual((await h.leftovers()).mounts, []);
  });

  test('rootfsPath: a rootfs the caller mounted is used in place, exec resolves users in it, delete leaves it mounted', async () => {
    const mounted = h.spec('inplace', ['sh', '-c', 'echo hi > /made-here; sleep 100']);
    const rootfs = `${h.root}/inplace-rootfs`;
    mkdirSync(rootfs);
    await mountAll(mounted.rootfsMounts!, rootfs);
    const { rootfsMounts: _unused, ...rest } = mounted;
    const spec = { ...rest, rootfsPath: rootfs };
    try {
      await assert.rejects(h.runtime.start({ ...spec, id: h.id('relative'), rootfsPath: 'x/y' }, {}), /must be absolute/);
      await h.runtime.start(spec, {});
      const before = (await mountsUnder(h.root)).filter((m) => m.startsWith(h.execRoot));
      assert.deepEqual(before, [], 'the runtime mounted nothing of its own');
      const out = new Sink();
      const x = await h.runtime.exec(spec.id, { args: ['id', '-u'], user: 'nobody' }, { stdout: out });
      assert.equal(await x.wait(), 0);
      assert.equal(out.text().trim(), '65534');
      for (let i = 0; i < 100 && !existsSync(`${rootfs}/made-here`); i++) await sleep(20);
      assert.ok(existsSync(`${rootfs}/made-here`), 'the task writes into the caller’s mount');
      await h.runtime.kill(spec.id, 'KILL');
      await h.runtime.wait(spec.id);
      await h.runtime.delete(spec.id);
      assert.ok(await isMountPoint(rootfs), 'delete leaves the caller’s mount alone');
      assert.ok(!existsSync(`${h.execRoot}/tasks/${spec.id}`));
    } finally {
      await unmountIfMounted(rootfs);
    }
  });

  test('after every delete nothing is left: mounts, cgroups, tasks, processes besides the idle pool', async () => {
    const left = await h.leftovers();
    assert.deepEqual(left.mounts, []);
    assert.deepEqual(left.cgroups, []);
    assert.deepEqual(left.tasks, []);
    const commands = left.pids.map((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' '));
    assert.deepEqual(commands.filter((c) => !c.includes('monitor-main.js')), [], 'only idle monitors remain');
  });
});
