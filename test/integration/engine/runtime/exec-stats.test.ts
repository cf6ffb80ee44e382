import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { Harness, Sink, skipReason, sleep } from './harness.js';
import { cgroupLayout } from '../../../../src/platform/linux/cgroups.js';

const skip = skipReason();

describe('runtime exec, pause, stats, top, OOM (runc)', { skip, timeout: 180_000 }, () => {
  const h = new Harness();
  let id = '';
  before(async () => {
    await h.init({ poolSize: 1 });
    const spec = h.spec('svc', ['sh', '-c', 'echo up; while true; do sleep 0.1; done'], { process: { args: [], env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'FROM_TASK=1'] } });
    spec.process.args = ['sh', '-c', 'echo up; while true; do sleep 0.1; done'];
    id = spec.id;
    const out = new Sink();
    await h.runtime.start(spec, {}, [{ stdout: out }]);
    await out.waitFor(/up/);
  });
  after(() => h.cleanup());

  test('exec reports its exit code, sees the task env merged with its own, and runs as the asked user', async () => {
    const out = new Sink();
    const err = new Sink();
    const x = await h.runtime.exec(id, { args: ['sh', '-c', 'echo $FROM_TASK $EXTRA; id -u; echo oops >&2; exit 7'], env: ['EXTRA=2'], user: 'nobody' }, { stdout: out, stderr: err });
    assert.ok(x.pid > 0);
    assert.equal(await x.wait(), 7);
    assert.equal(out.text(), '1 2\n65534\n');
    assert.equal(err.text(), 'oops\n');
  });

  test('exec with a tty: a pty inside, sized and resizable', async () => {
    const out = new Sink();
    const input = new PassThrough();
    const x = await h.runtime.exec(id, { args: ['sh', '-c', 'tty; stty size; read a; stty size'], terminal: true, openStdin: true, consoleSize: { rows: 20, cols: 70 } }, { stdout: out, stdin: input });
    await out.waitFor(/20 70\r+\n/);
    assert.match(out.text(), /^\/dev\/pts\/\d+\r+\n/);
    await x.resize({ rows: 25, cols: 90 });
    await sleep(50);
    input.write('x\r');
    await out.waitFor(/25 90\r+\n/);
    assert.equal(await x.wait(), 0);
  });

  test('exec with stdin, detached exec, and a missing binary', async () => {
    const out = new Sink();
    const input = new PassThrough();
    const x = await h.runtime.exec(id, { args: ['cat'], openStdin: true }, { stdout: out, stdin: input });
    input.end('piped\n');
    assert.equal(await x.wait(), 0);
    assert.equal(out.text(), 'piped\n');
    const d = await h.runtime.exec(id, { args: ['sh', '-c', 'echo hidden; touch /tmp/detached; exit 3'], detach: true });
    assert.equal(await d.wait(), 3);
    const check = await h.runtime.exec(id, { args: ['test', '-f', '/tmp/detached'] });
    assert.equal(await check.wait(), 0);
    await assert.rejects(h.runtime.exec(id, { args: ['/nope'] }), /no such file or directory/);
  });

  test('privileged exec gets all capabilities, a plain one the task set', async () => {
    const plain = new Sink();
    await (await h.runtime.exec(id, { args: ['grep', 'CapEff', '/proc/self/status'] }, { stdout: plain })).wait();
    const priv = new Sink();
    await (await h.runtime.exec(id, { args: ['grep', 'CapEff', '/proc/self/status'], privileged: true }, { stdout: priv })).wait();
    assert.match(plain.text(), /CapEff:\s+00000000a80425fb/);
    assert.notEqual(priv.text(), plain.text());
    const own = /^CapBnd:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    assert.equal(priv.text().trim().split(/\s+/)[1], own, 'all the caps the daemon holds');
  });

  test('a privileged task holds every capability we have, sysfs read-write, host devices', async () => {
    const spec = h.spec('priv', ['sh', '-c', 'grep CapEff /proc/self/status; grep " /sys " /proc/self/mountinfo; ls /dev | wc -l'], { privileged: true });
    const out = new Sink();
    await h.runtime.start(spec, {}, [{ stdout: out }]);
    assert.equal((await h.runtime.wait(spec.id)).exitCode, 0);
    const own = /^CapBnd:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    const [caps, sys, devs] = out.text().trim().split('\n');
    assert.equal(caps?.split(/\s+/)[1], own);
    assert.match(sys ?? '', / rw[, ]/);
    assert.ok(Number(devs) > 10, `host devices visible: ${devs}`);
    await h.runtime.delete(spec.id);
  });

  test('pause freezes the task and resume thaws it', async () => {
    await h.runtime.pause(id);
    assert.equal((await h.runtime.state(id)).status, 'paused');
    const layout = await cgroupLayout();
    const freezer = layout.v1.get('freezer');
    if (freezer) {
      const { readFileSync } = await import('node:fs');
      assert.equal(readFileSync(`${freezer}${h.cgroupParent}/${id}/freezer.state`, 'utf8').trim(), 'FROZEN');
    }
    await h.runtime.resume(id);
    assert.equal((await h.runtime.state(id)).status, 'running');
  });

  test('stats from the cgroup and top filtered to the task', async () => {
    const s = await h.runtime.stats(id);
    assert.ok(s.memory.usage > 0);
    assert.ok(s.memory.limit > 0);
    assert.ok(s.cpu.totalUsage > 0);
    assert.ok(s.cpu.systemCpuUsage > 0);
    assert.ok(s.cpu.onlineCpus >= 1);
    assert.ok(s.pids.current >= 1);
    if ((await cgroupLayout()).mode !== 'v2') {
      assert.ok(s.cpu.perCpuUsage.length >= 1);
      assert.ok('total_rss' in s.memory.stats || 'rss' in s.memory.stats);
    }
    const t = await h.runtime.top(id);
    assert.equal(t.Titles[1], 'PID');
    assert.ok(t.Processes.some((p) => p[p.length - 1]?.startsWith('sh -c echo up')), JSON.stringify(t.Processes));
    const hostPids = new Set(t.Processes.map((p) => p[1]));
    assert.ok(!hostPids.has(String(process.pid)), 'only task processes');
    const custom = await h.runtime.top(id, '-o pid,comm');
    assert.deepEqual(custom.Titles, ['PID', 'COMMAND']);
    assert.ok(custom.Processes.some((p) => p[1] === 'sh'));
  });

  test('a tiny memory limit gets the task OOM-killed and says so', async () => {
    const spec = h.spec('oom', ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], { resources: { memory: 8 * 1024 * 1024, memorySwap: 8 * 1024 * 1024 } });
    await h.runtime.start(spec, {});
    const exit = await h.runtime.wait(spec.id);
    assert.equal(exit.oomKilled, true);
    assert.equal(exit.exitCode, 137);
    await h.runtime.delete(spec.id);
    const ok = h.spec('nooom', ['true'], { resources: { memory: 64 * 1024 * 1024 } });
    await h.runtime.start(ok, {});
    assert.equal((await h.runtime.wait(ok.id)).oomKilled, false);
    await h.runtime.delete(ok.id);
  });

  test('resource limits land in the cgroup', async () => {
    const spec = h.spec('limits', ['sleep', '30'], { resources: { memory: 32 * 1024 * 1024, nanoCpus: 0.5e9, cpuShares: 256, pidsLimit: 20 } });
    await h.runtime.start(spec, {});
    const { readFileSync } = await import('node:fs');
    const l = await cgroupLayout();
    const at = (c: string, f: string) => readFileSync(`${l.v1.get(c)}${h.cgroupParent}/${spec.id}/${f}`, 'utf8').trim();
    if (l.mode !== 'v2') {
      assert.equal(at('memory', 'memory.limit_in_bytes'), String(32 * 1024 * 1024));
      assert.equal(at('cpu', 'cpu.cfs_quota_us'), '50000');
      assert.equal(at('cpu', 'cpu.shares'), '256');
      assert.equal(at('pids', 'pids.max'), '20');
    }
    assert.equal((await h.runtime.stats(spec.id)).pids.limit, 20);
    await h.runtime.kill(spec.id, 'KILL');
    await h.runtime.wait(spec.id);
    await h.runtime.delete(spec.id);
  });

  test('runtimes(): runc usable; crun reported unusable with the reason on hybrid cgroups', async () => {
    const rts = await h.runtime.runtimes();
    const runc = rts.find((r) => r.name === 'runc');
    assert.equal(runc?.usable, true);
    const crun = rts.find((r) => r.name === 'crun');
    if ((await cgroupLayout()).mode === 'hybrid' && crun?.version) {
      assert.equal(crun.usable, false);
      assert.match(crun.reason ?? '', /hybrid/);
      await assert.rejects(h.runtime.start(h.spec('crun', ['true'], { runtime: 'crun' }), {}), /unusable on this host.*hybrid/);
    }
    await assert.rejects(h.runtime.start(h.spec('norun', ['true'], { runtime: 'kata' }), {}), /unknown or invalid runtime name: kata/);
  });
});
