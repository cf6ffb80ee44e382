/**
 * exec, logs and attach through the docker CLI: options reach the process,
 * exit codes come from exec inspect, log selection and rotation match
 * dockerd's json-file, attach works before start, for two clients, with
 * stdin and with the detach keys.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ptyModule from 'node-pty';
import { DOCKER, type TestEngine } from '../../../fixtures/engine.js';
import { closeAndCheck, eventsBetween, IMAGE, inspect, inspectField, ok, skipReason, sleep, startE2eEngine, unixNow, waitFor } from './e2e.js';

const skip = skipReason();

/** A docker CLI process with piped stdio, for streams that outlive one call. */
function dockerProcess(e: TestEngine, args: string[]) {
  const child = spawn(DOCKER, args, { env: { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? 128 : -1))));
  return { child, exited, out: () => out, err: () => err, kill: () => child.kill('SIGKILL') };
}

describe('exec, logs, attach (docker CLI)', { skip, timeout: 300_000 }, () => {
  let e: TestEngine;
  before(async () => {
    e = await startE2eEngine();
    await ok(e, ['run', '-d', '--name', 'box', '-e', 'FROM_RUN=r', '-w', '/tmp', IMAGE, 'sleep', '1000']);
  });
  after(() => closeAndCheck(e));

  test('exec -e -u -w, the container env underneath, the exit code from exec inspect', async () => {
    const r = await e.docker(['exec', '-e', 'A=1', '-e', 'FROM_RUN=override', '-u', 'nobody', '-w', '/var', 'box', 'sh', '-c', 'echo "$A $FROM_RUN $HOSTNAME"; id -u; pwd']);
    assert.equal(r.code, 0, r.stderr);
    const id = await inspectField(e, 'box', '{{.Id}}');
    assert.equal(r.stdout, `1 override ${id.slice(0, 12)}\n65534\n/var\n`);
    const dflt = await e.docker(['exec', 'box', 'sh', '-c', 'echo $FROM_RUN; pwd; id -u']);
    assert.equal(dflt.stdout, 'r\n/tmp\n0\n', 'the container env, working dir and user by default');
    const since = unixNow();
    const code = await e.docker(['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 9']);
    assert.equal(code.code, 9);
    assert.equal(code.stdout, 'out\n');
    assert.equal(code.stderr, 'err\n');
    // the exec instance, as docker exec reads it
    const created = JSON.parse((await e.api('POST', '/containers/box/exec', { Cmd: ['sh', '-c', 'exit 3'], AttachStdout: true })).body) as { Id: string };
    const before = JSON.parse((await e.api('GET', `/exec/${created.Id}/json`)).body) as Record<string, unknown>;
    assert.equal(before['Running'], false);
    assert.equal(before['ExitCode'], null);
    assert.equal((await e.api('POST', `/exec/${created.Id}/start`, { Detach: true })).status, 200);
    await waitFor('the detached exec to end', async () => JSON.parse((await e.api('GET', `/exec/${created.Id}/json`)).body).ExitCode === 3);
    const info = JSON.parse((await e.api('GET', `/exec/${created.Id}/json`)).body) as Record<string, any>;
    assert.equal(info['ContainerID'], id);
    assert.deepEqual(info['ProcessConfig'], { arguments: ['-c', 'exit 3'], entrypoint: 'sh', privileged: false, tty: false, user: '' });
    const again = await e.api('POST', `/exec/${created.Id}/start`, { Detach: true });
    assert.equal(again.status, 409);
    const actions = (await eventsBetween(e, Number(since), Number(unixNow()), ['container=box'])).map((x) => x.Action);
    assert.ok(actions.includes('exec_create: sh -c echo out; echo err >&2; exit 9') && actions.includes('exec_die'), actions.join(','));
    assert.ok(actions.includes('exec_start: sh -c exit 3'));
  });

  test('exec -i forwards stdin, -t gives a terminal, -d returns at once', async () => {
    const i = await e.docker(['exec', '-i', 'box', 'sh', '-c', 'tr a-z A-Z'], { input: 'hello\nworld\n' });
    assert.equal(i.stdout, 'HELLO\nWORLD\n');
    const t = await e.docker(['exec', '-t', 'box', 'sh', '-c', 'tty; echo $TERM']);
    assert.equal(t.stdout, '/dev/pts/0\r\nxterm\r\n');
    const noTty = await e.docker(['exec', 'box', 'tty']);
    assert.equal(noTty.stdout, 'not a tty\n');
    const t0 = Date.now();
    await ok(e, ['exec', '-d', 'box', 'sh', '-c', 'sleep 1; touch /tmp/detached']);
    assert.ok(Date.now() - t0 < 1000, '-d does not wait');
    await waitFor('the detached exec', async () => (await e.docker(['exec', 'box', 'ls', '/tmp/detached'])).code === 0);
    // an interactive terminal exec, resized by the client
    const pty = ptyModule.spawn(DOCKER, ['exec', '-it', 'box', 'sh'], { cols: 77, rows: 17, env: { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') } as Record<string, string> });
    let screen = '';
    pty.onData((s) => (screen += s));
    const exited = new Promise<number>((r) => pty.onExit((x) => r(x.exitCode)));
    try {
      await waitFor('the prompt', () => screen.includes('# '), 15_000);
      pty.write('stty size\r');
      await waitFor('the size', () => /17 77\r?\n/.test(screen));
      pty.resize(101, 33);
      await waitFor('the resize', async () => {
        pty.write('stty size\r');
        await sleep(200);
        return /33 101\r?\n/.test(screen);
      });
      pty.write('exit 4\r');
      assert.equal(await exited, 4);
    } finally {
      pty.kill('SIGKILL');
    }
  });

  test('exec failures: 126 with the runtime error for a missing command, user or directory; refused on stopped containers', async () => {
    for (const [args, msg] of [
      [['box', '/no/such'], /exec: "\/no\/such": stat \/no\/such: no such file or directory/],
      [['-u', 'ghost', 'box', 'true'], /^unable to find user ghost: no matching entries in passwd file/],
      [['-w', '/no/dir', 'box', 'pwd'], /chdir to cwd \("\/no\/dir"\) set in config.json failed: no such file or directory/],
    ] as const) {
      const r = await e.docker(['exec', ...args]);
      assert.equal(r.code, 126, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
      assert.match(r.stdout + r.stderr, msg);
    }
    await ok(e, ['create', '--name', 'idle', IMAGE, 'true']);
    const id = await inspectField(e, 'idle', '{{.Id}}');
    const r = await e.docker(['exec', 'idle', 'true']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `Error response from daemon: Container ${id} is not running`);
    const missing = await e.docker(['exec', 'nosuch', 'true']);
    assert.equal(missing.stderr.trim(), 'Error response from daemon: No such container: nosuch');
    await ok(e, ['rm', 'idle']);
  });

  test('logs: stdout and stderr apart, --tail, --since, --until, -t, -f until the container exits', async () => {
    // stdout and stderr are two pipes: spaced out so that their order in the log is known
    await ok(e, ['run', '--name', 'lg1', IMAGE, 'sh', '-c', 'for i in 1 2 3; do echo out$i; sleep 0.05; echo err$i >&2; sleep 0.05; done']);
    const all = await e.docker(['logs', 'lg1']);
    assert.equal(all.stdout, 'out1\nout2\nout3\n');
    assert.equal(all.stderr, 'err1\nerr2\nerr3\n');
    const tail = await e.docker(['logs', '--tail', '2', 'lg1']);
    assert.equal(tail.stdout + tail.stderr, 'out3\nerr3\n', 'tail counts both streams');
    assert.equal((await e.docker(['logs', '--tail', '0', 'lg1'])).stdout, '');
    const ts = (await e.docker(['logs', '-t', 'lg1'])).stdout.split('\n')[0] ?? '';
    assert.match(ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z out1$/);
    const first = Date.parse(ts.split(' ')[0] ?? '');
    assert.ok(Math.abs(first - Date.now()) < 60_000);
    assert.equal((await e.docker(['logs', '--since', '2099-01-01T00:00:00Z', 'lg1'])).stdout, '');
    assert.equal((await e.docker(['logs', '--until', '2000-01-01T00:00:00Z', 'lg1'])).stdout, '');
    assert.equal((await e.docker(['logs', '--since', '1h', 'lg1'])).stdout, 'out1\nout2\nout3\n');
    const bad = await e.docker(['logs', '--since', 'yesterday', 'lg1']);
    assert.equal(bad.code, 1);
    // -f follows a running container to its end
    await ok(e, ['run', '-d', '--name', 'lg2', IMAGE, 'sh', '-c', 'echo early; sleep 1; echo late; sleep 0.3']);
    const f = dockerProcess(e, ['logs', '-f', 'lg2']);
    try {
      await waitFor('the early line', () => f.out().includes('early\n'));
      assert.ok(!f.out().includes('late'));
      assert.equal(await f.exited, 0, 'logs -f ends when the container does');
      assert.equal(f.out(), 'early\nlate\n');
    } finally {
      f.kill();
    }
    // --until together with -f stops at that time even though the container runs on
    await ok(e, ['run', '-d', '--name', 'lg3', IMAGE, 'sh', '-c', 'while :; do echo tick; sleep 0.2; done']);
    const until = (Date.now() + 1000) / 1000;
    const u = await e.docker(['logs', '-f', '--until', until.toFixed(3), 'lg3'], { timeoutMs: 15_000 });
    assert.equal(u.code, 0);
    assert.ok(u.stdout.split('\n').filter(Boolean).every((l) => l === 'tick'));
    await ok(e, ['rm', '-f', 'lg1', 'lg2', 'lg3']);
  });

  test('logs with max-size and max-file rotate like json-file; --log-driver none refuses reading', async () => {
    await ok(e, ['run', '--name', 'rot', '--log-opt', 'max-size=1k', '--log-opt', 'max-file=3', IMAGE, 'sh', '-c', 'i=0; while [ $i -lt 400 ]; do echo "line $i"; i=$((i+1)); done']);
    const logPath = await inspectField(e, 'rot', '{{.LogPath}}');
    assert.ok(existsSync(`${logPath}.1`) && existsSync(`${logPath}.2`), 'rotated files');
    assert.ok(!existsSync(`${logPath}.3`), 'at most max-file files');
    for (const f of [logPath, `${logPath}.1`, `${logPath}.2`]) {
      const lines = readFileSync(f, 'utf8').trim().split('\n');
      for (const l of lines) assert.match(l, /^\{"log":"line \d+\\n","stream":"stdout","time":"[^"]+"\}$/);
      assert.ok(readFileSync(f).length <= 1024 + 100, `${f} respects max-size`);
    }
    const out = (await ok(e, ['logs', 'rot'])).split('\n');
    assert.equal(out[out.length - 1], 'line 399');
    assert.ok(out.length < 400, 'old lines were rotated away');
    const n = out.map((l) => Number(l.split(' ')[1]));
    assert.deepEqual(n, n.map((_x, i) => (n[0] ?? 0) + i), 'what is left is contiguous');
    const h = (await inspect(e, 'rot'))['HostConfig'];
    assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '1k' } });
    await ok(e, ['run', '--name', 'nolog', '--log-driver', 'none', IMAGE, 'echo', 'x']);
    const none = await e.docker(['logs', 'nolog']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /configured logging driver does not support reading/);
    await ok(e, ['rm', 'rot', 'nolog']);
  });

  test('attach: before start (start -a -i), two clients at once, stdin with -i, no attach to a stopped container', async () => {
    // start -a -i: attached before the process starts, it gets the first byte and our input
    await ok(e, ['create', '-i', '--name', 'at1', IMAGE, 'sh', '-c', 'read x; echo "got $x"; echo err >&2; exit 6']);
    for (let i = 0; i < 3; i++) {
      const r = await e.docker(['start', '-a', '-i', 'at1'], { input: `hello${i}\n` });
      assert.equal(r.code, 6);
      assert.equal(r.stdout, `got hello${i}\n`, 'stdin sent before the start reaches the process');
      assert.equal(r.stderr, 'err\n');
    }
    // two clients: both see the output; stdin from one of them
    await ok(e, ['run', '-d', '-i', '--name', 'at2', IMAGE, 'sh', '-c', 'while read x; do echo "echo:$x"; done']);
    const watcher = dockerProcess(e, ['attach', '--no-stdin', 'at2']);
    const writer = dockerProcess(e, ['attach', 'at2']);
    try {
      await sleep(500);
      writer.child.stdin.write('one\n');
      await waitFor('the writer to see its echo', () => writer.out().includes('echo:one\n'));
      await waitFor('the watcher to see it too', () => watcher.out().includes('echo:one\n'));
      assert.equal(await inspectField(e, 'at2', '{{.State.Running}}'), 'true');
    } finally {
      watcher.kill();
      writer.kill();
    }
    assert.equal(await ok(e, ['logs', 'at2']), 'echo:one');
    const stopped = await e.docker(['attach', 'at1']);
    assert.equal(stopped.code, 1);
    assert.equal(stopped.stderr.trim(), 'You cannot attach to a stopped container, start it first');
    await ok(e, ['rm', '-f', 'at1', 'at2']);
  });

  test('attach and run -it detach with ctrl-p ctrl-q; the container keeps running', async () => {
    const env = { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') } as Record<string, string>;
    const run = ptyModule.spawn(DOCKER, ['run', '-it', '--name', 'det1', IMAGE, 'sh'], { cols: 80, rows: 20, env });
    let screen = '';
    run.onData((s) => (screen += s));
    const exited = new Promise<number>((r) => run.onExit((x) => r(x.exitCode)));
    try {
      await waitFor('the prompt', () => screen.includes('# '), 15_000);
      run.write('\x10\x11');
      assert.equal(await exited, 0, 'the CLI detaches with status 0');
    } finally {
      run.kill('SIGKILL');
    }
    assert.equal(await inspectField(e, 'det1', '{{.State.Status}}'), 'running');
    // attach again, run a command, detach with custom keys
    const att = ptyModule.spawn(DOCKER, ['attach', '--detach-keys', 'ctrl-x', 'det1'], { cols: 80, rows: 20, env });
    let s2 = '';
    att.onData((s) => (s2 += s));
    const attExit = new Promise<number>((r) => att.onExit((x) => r(x.exitCode)));
    try {
      await sleep(500);
      att.write('echo attached-$((40+2))\r');
      await waitFor('the echo', () => s2.includes('attached-42'));
      att.write('\x18');
      // docker CLI 28 against dockerd 20.10 exits 1 here too ("read escape sequence")
      assert.equal(await attExit, 1);
      assert.match(s2, /read escape sequence/);
    } finally {
      att.kill('SIGKILL');
    }
    assert.equal(await inspectField(e, 'det1', '{{.State.Status}}'), 'running');
    await ok(e, ['rm', '-f', 'det1']);
  });
});
