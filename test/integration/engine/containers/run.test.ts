/**
 * `docker run` and its flags against one engine: what the process sees
 * (env, cwd, user, hostname, capabilities, cgroup limits, init, read-only
 * root), what the engine reports (inspect, OOMKilled, restart counts) and
 * the CLI's exit codes (the container's, 125, 126, 127).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ptyModule from 'node-pty';
import { DOCKER, type TestEngine } from '../../../fixtures/engine.js';
import { allIds, closeAndCheck, eventsBetween, IMAGE, inspect, inspectField, ok, skipReason, startE2eEngine, unixNow, waitFor } from './e2e.js';

const skip = skipReason();

/** The cgroup v1 directory of a running container's controller. */
function cgroupFile(pid: string, controller: string, file: string): string {
  const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.split(':')[1]?.split(',').includes(controller));
  assert.ok(line, `${controller} hierarchy`);
  const [, names, path] = line.split(':');
  return readFileSync(`/sys/fs/cgroup/${names}${path}/${file}`, 'utf8').trim();
}

describe('docker run (docker CLI)', { skip, timeout: 300_000 }, () => {
  let e: TestEngine;
  before(async () => {
    e = await startE2eEngine();
  });
  after(() => closeAndCheck(e));

  test('-d prints the id; --rm propagates the exit code and leaves no container', async () => {
    const id = await ok(e, ['run', '-d', '--name', 'd1', IMAGE, 'sleep', '100']);
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(await inspectField(e, 'd1', '{{.State.Running}}'), 'true');
    await ok(e, ['rm', '-f', 'd1']);
    const before = (await allIds(e)).length;
    const since = unixNow();
    const r = await e.docker(['run', '--rm', '--name', 'rm1', IMAGE, 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal((await allIds(e)).length, before, 'the container is gone');
    const actions = (await eventsBetween(e, Number(since), Number(unixNow()), ['container=rm1', 'type=container'])).map((x) => x.Action);
    assert.deepEqual(actions, ['create', 'attach', 'start', 'die', 'destroy']);
    for (const code of [0, 1, 255]) assert.equal((await e.docker(['run', '--rm', IMAGE, 'sh', '-c', `exit ${code}`])).code, code);
  });

  test('-i passes stdin; without -i the process reads nothing', async () => {
    const r = await e.docker(['run', '--rm', '-i', IMAGE, 'sh', '-c', 'read a; read b; echo "$b-$a"; cat | wc -c'], { input: 'one\ntwo\nrest of it' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'two-one\n10\n');
    const n = await e.docker(['run', '--rm', IMAGE, 'sh', '-c', 'cat | wc -c'], { input: 'ignored' });
    assert.equal(n.stdout.trim(), '0');
  });

  test('-t gives a terminal of the client size that follows resizes; -it runs an interactive shell', async () => {
    const pty = ptyModule.spawn(DOCKER, ['run', '--rm', '-it', '--name', 'tty1', IMAGE, 'sh'], { cols: 91, rows: 21, env: { ...process.env, DOCKER_HOST: e.host, DOCKER_CONFIG: join(e.dir, 'docker-config') } as Record<string, string> });
    let screen = '';
    pty.onData((s) => (screen += s));
    const exited = new Promise<number>((r) => pty.onExit((x) => r(x.exitCode)));
    try {
      // busybox ash asks for the cursor position (ESC[6n) after its prompt
      await waitFor('the prompt', () => screen.includes('/ # '), 15_000);
      pty.write('stty size; tty; echo $TERM\r');
      await waitFor('the size', () => /21 91\r?\n/.test(screen));
      assert.match(screen, /\/dev\/pts\/0\r?\n/);
      assert.match(screen, /xterm\r?\n/);
      assert.equal(await inspectField(e, 'tty1', '{{.Config.Tty}} {{.Config.OpenStdin}}'), 'true true');
      pty.resize(120, 40);
      await waitFor('the resize to reach the container', async () => {
        pty.write('stty size\r');
        await new Promise((r) => setTimeout(r, 200));
        return /40 120\r?\n/.test(screen);
      });
      pty.write('exit 5\r');
      assert.equal(await exited, 5, 'the shell decides the exit code');
    } finally {
      pty.kill('SIGKILL');
    }
    await waitFor('the --rm container to be removed', async () => (await e.api('GET', '/containers/tty1/json')).status === 404);
    // Without a terminal on the client, -t still gives the container one.
    const r = await e.docker(['run', '--rm', '-t', IMAGE, 'sh', '-c', 'tty; echo err >&2']);
    assert.match(r.stdout, /^\/dev\/pts\/0\r\nerr\r\n$/, 'one merged raw stream');
  });

  test('-e, --env-file, -w, -u, --hostname, --name, -l, --entrypoint reach the process and inspect', async () => {
    const envFile = join(e.dir, 'env.list');
    writeFileSync(envFile, '# comment\nFROM_FILE=yes\nPASSED\n\nSPACED=a b\n');
    const r = await e.docker(['run', '--rm', '-e', 'A=1', '-e', 'PASSED', '--env-file', envFile, '-w', '/tmp/work', '-u', 'nobody', '--hostname', 'boxy', IMAGE, 'sh', '-c', 'echo "$A|$FROM_FILE|$PASSED|$SPACED"; pwd; id -u; id -g; hostname; cat /etc/hostname'], { env: { PASSED: 'from-client' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '1|yes|from-client|a b\n/tmp/work\n65534\n65534\nboxy\nboxy\n');
    const uid = await e.docker(['run', '--rm', '-u', '123:456', IMAGE, 'sh', '-c', 'echo $(id -u):$(id -g)']);
    assert.equal(uid.stdout, '123:456\n');
    const ghost = await e.docker(['run', '--rm', '-u', 'ghost', IMAGE, 'true']);
    assert.equal(ghost.code, 125, ghost.stderr);
    assert.equal(ghost.stderr.split('\n')[0], 'docker: Error response from daemon: unable to find user ghost: no matching entries in passwd file');
    // --entrypoint replaces the image's command; --entrypoint "" resets it
    const ep = await e.docker(['run', '--rm', '--entrypoint', 'echo', IMAGE, 'via', 'entrypoint']);
    assert.equal(ep.stdout, 'via entrypoint\n');
    await ok(e, ['create', '--name', 'named1', '-l', 'a=b', '-l', 'c', '--entrypoint', '', IMAGE, 'true']);
    const j = await inspect(e, 'named1');
    assert.equal(j['Name'], '/named1');
    assert.deepEqual(j['Config'].Labels, { a: 'b', c: '' });
    assert.equal(j['Config'].Entrypoint, null);
    assert.equal(j['Path'], 'true');
    assert.equal(await ok(e, ['ps', '-a', '--filter', 'label=c', '--format', '{{.Names}}']), 'named1');
    await ok(e, ['rm', 'named1']);
  });

  test('--memory, --cpus, --cpu-shares, --pids-limit set the cgroup; an OOM kill shows as OOMKilled', async () => {
    await ok(e, ['run', '-d', '--name', 'lim1', '--memory', '32m', '--cpus', '0.5', '--cpu-shares', '300', '--pids-limit', '33', IMAGE, 'sleep', '100']);
    const pid = await inspectField(e, 'lim1', '{{.State.Pid}}');
    assert.equal(cgroupFile(pid, 'memory', 'memory.limit_in_bytes'), String(32 * 1024 * 1024));
    assert.equal(cgroupFile(pid, 'cpu', 'cpu.cfs_quota_us'), '50000');
    assert.equal(cgroupFile(pid, 'cpu', 'cpu.cfs_period_us'), '100000');
    assert.equal(cgroupFile(pid, 'cpu', 'cpu.shares'), '300');
    assert.equal(cgroupFile(pid, 'pids', 'pids.max'), '33');
    assert.match(readFileSync(`/proc/${pid}/cgroup`, 'utf8'), new RegExp(`:memory:/berth-test-${e.tag}/[0-9a-f]{64}\\n`), 'under the daemon\'s cgroup parent');
    const h = (await inspect(e, 'lim1'))['HostConfig'];
    assert.equal(h.NanoCpus, 500_000_000);
    assert.equal(h.CpuShares, 300);
    assert.equal(h.PidsLimit, 33);
    await ok(e, ['rm', '-f', 'lim1']);
    const since = unixNow();
    const oom = await e.docker(['run', '--name', 'oom1', '--memory', '8m', IMAGE, 'sh', '-c', 'x=$(head -c 64000000 /dev/zero | tr "\\0" a); echo survived']);
    assert.equal(oom.code, 137);
    assert.equal(await inspectField(e, 'oom1', '{{.State.OOMKilled}} {{.State.ExitCode}}'), 'true 137');
    const actions = (await eventsBetween(e, Number(since), Number(unixNow()), ['container=oom1', 'type=container'])).map((x) => x.Action);
    assert.ok(actions.includes('oom') && actions.indexOf('oom') < actions.indexOf('die'), `oom before die: ${actions.join(',')}`);
    await ok(e, ['rm', 'oom1']);
  });

  test('capabilities: Docker\'s default set, --cap-add/--cap-drop, ALL, --privileged; unknown ones refused at create', async () => {
    const capEff = async (...flags: string[]): Promise<string> => {
      const r = await e.docker(['run', '--rm', ...flags, IMAGE, 'sh', '-c', 'grep CapEff /proc/self/status']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim().split(/\s+/)[1] ?? '';
    };
    // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
    assert.equal(await capEff(), '00000000a80425fb');
    assert.equal(await capEff('--cap-add', 'NET_ADMIN', '--cap-drop', 'chown'), '00000000a80435fa');
    assert.equal(await capEff('--cap-drop', 'ALL'), '0000000000000000');
    assert.equal(await capEff('--cap-drop', 'ALL', '--cap-add', 'KILL'), '0000000000000020');
    const all = BigInt(`0x${await capEff('--cap-add', 'ALL')}`);
    const bounding = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`);
    assert.equal(all, bounding, 'ALL is every capability we hold');
    assert.equal(BigInt(`0x${await capEff('--privileged')}`), bounding);
    const devices = async (...flags: string[]): Promise<number> => Number((await e.docker(['run', '--rm', ...flags, IMAGE, 'sh', '-c', 'ls /dev | wc -l'])).stdout.trim());
    assert.ok((await devices('--privileged')) > (await devices()) + 10, 'a privileged container sees the host devices');
    const masked = await e.docker(['run', '--rm', IMAGE, 'sh', '-c', 'wc -c < /proc/keys; grep -c "^proc /proc/sys proc ro," /proc/mounts']);
    assert.equal(masked.stdout, '0\n1\n', '/proc/keys masked, /proc/sys read-only');
    const open = await e.docker(['run', '--rm', '--privileged', IMAGE, 'sh', '-c', 'wc -c < /proc/keys']);
    assert.ok(Number(open.stdout) > 0, 'nothing masked when privileged');
    const before = (await allIds(e)).length;
    const bad = await e.docker(['create', '--cap-add', 'FOO', IMAGE, 'true']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'Error response from daemon: invalid CapAdd: unknown capability: "CAP_FOO"');
    assert.equal((await allIds(e)).length, before, 'nothing created');
  });

  test('--read-only, --init, --privileged devices: what the process sees', async () => {
    const ro = await e.docker(['run', '--rm', '--read-only', IMAGE, 'sh', '-c', 'touch /x 2>&1; touch /tmp/x 2>&1; touch /dev/shm/ok && echo shm-writable']);
    assert.equal(ro.stdout, 'touch: /x: Read-only file system\ntouch: /tmp/x: Read-only file system\nshm-writable\n');
    const init = await e.docker(['run', '--rm', '--init', IMAGE, 'ps', '-o', 'pid,args']);
    const rows = init.stdout.trim().split('\n').slice(1).map((l) => l.trim());
    assert.equal(rows[0], '1 /sbin/docker-init -- ps -o pid,args');
    assert.ok(rows.some((r) => /^\d+ ps -o pid,args$/.test(r)));
    assert.equal(await e.docker(['run', '--rm', '--init', IMAGE, 'sh', '-c', 'kill -TERM $$; sleep 5; echo no']).then((r) => r.code), 143, 'docker-init forwards signals and exit statuses');
    const noinit = await e.docker(['run', '--rm', IMAGE, 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
    assert.equal(noinit.stdout, 'sh -c cat /proc/1/cmdline | tr "\\0" " " ');
  });

  test('exit codes: 125 for daemon errors, 126 not executable, 127 not found; nothing left behind', async () => {
    const before = (await allIds(e)).length;
    const pull = await e.docker(['run', '--rm', '127.0.0.1:49999/nosuch:img', 'true']);
    assert.equal(pull.code, 125);
    assert.match(pull.stderr, /^Unable to find image '127\.0\.0\.1:49999\/nosuch:img' locally\ndocker: Error response from daemon: Get "http:\/\/127\.0\.0\.1:49999\/v2\/": .*(refused|ECONNREFUSED)/);
    const notFound = await e.docker(['run', '--rm', IMAGE, '/no/such/cmd']);
    assert.equal(notFound.code, 127);
    assert.match(notFound.stderr, /^docker: Error response from daemon: .*exec: "\/no\/such\/cmd": stat \/no\/such\/cmd: no such file or directory/);
    const notExec = await e.docker(['run', '--rm', IMAGE, '/etc/passwd']);
    assert.equal(notExec.code, 126);
    assert.match(notExec.stderr, /exec: "\/etc\/passwd": permission denied/);
    const pathMiss = await e.docker(['run', '--rm', IMAGE, 'nosuchcmd']);
    assert.equal(pathMiss.code, 127, pathMiss.stderr);
    assert.match(pathMiss.stderr, /"nosuchcmd": executable file not found in \$PATH/);
    assert.equal((await allIds(e)).length, before, '--rm removed the containers whose start failed');
    // without --rm the failed container stays, "Created" with dockerd's exit code and error
    const kept = await e.docker(['run', '--name', 'failed1', IMAGE, '/no/such/cmd']);
    assert.equal(kept.code, 127);
    const st = (await inspect(e, 'failed1'))['State'];
    assert.equal(st.Status, 'created');
    assert.equal(st.ExitCode, 127);
    assert.match(st.Error, /no such file or directory/);
    await ok(e, ['rm', 'failed1']);
    for (const [flags, msg] of [
      [['--memory', '1m'], 'docker: Error response from daemon: Minimum memory limit allowed is 6MB'],
      [['--restart', 'sometimes'], "docker: Error response from daemon: invalid restart policy 'sometimes'"],
      [['--restart', 'always:3'], "docker: Error response from daemon: maximum retry count cannot be used with restart policy 'always'"],
      [['--stop-signal', 'FOO'], 'docker: Error response from daemon: Invalid signal: FOO'],
      [['--cpus', '99'], /^docker: Error response from daemon: Range of CPUs is from 0.01 to \d+\.00, as there are only \d+ CPUs available/],
      [['-p', '99999:80'], 'docker: invalid hostPort: 99999'],
      [['--log-opt', 'max-size=abc'], /^docker: Error response from daemon: .*abc/],
    ] as const) {
      const r = await e.docker(['run', ...flags, IMAGE, 'true']);
      assert.equal(r.code, 125, `${flags.join(' ')}: ${r.stderr}`);
      const first = r.stderr.split('\n')[0] ?? '';
      if (typeof msg === 'string') assert.equal(first, msg);
      else assert.match(first, msg);
    }
    assert.equal((await allIds(e)).length, before, 'refused flags create nothing');
  });

  test('--restart: no, on-failure:N, always and unless-stopped after the process exits', async () => {
    await ok(e, ['run', '-d', '--name', 'rno', IMAGE, 'sh', '-c', 'exit 1']);
    await ok(e, ['run', '-d', '--name', 'rof', '--restart', 'on-failure:2', IMAGE, 'sh', '-c', 'exit 5']);
    await ok(e, ['run', '-d', '--name', 'rof0', '--restart', 'on-failure', IMAGE, 'sh', '-c', 'exit 0']);
    await ok(e, ['run', '-d', '--name', 'ral', '--restart', 'always', IMAGE, 'sh', '-c', 'sleep 0.2']);
    await ok(e, ['run', '-d', '--name', 'rus', '--restart', 'unless-stopped', IMAGE, 'sh', '-c', 'sleep 0.2; exit 2']);
    await waitFor('on-failure:2 to give up', async () => (await inspectField(e, 'rof', '{{.RestartCount}} {{.State.Status}}')) === '2 exited', 20_000);
    assert.equal(await inspectField(e, 'rof', '{{.State.ExitCode}}'), '5');
    await waitFor('always to restart twice', async () => Number(await inspectField(e, 'ral', '{{.RestartCount}}')) >= 2, 20_000);
    await waitFor('unless-stopped to restart', async () => Number(await inspectField(e, 'rus', '{{.RestartCount}}')) >= 1, 20_000);
    assert.equal(await inspectField(e, 'rno', '{{.RestartCount}} {{.State.Status}}'), '0 exited');
    assert.equal(await inspectField(e, 'rof0', '{{.RestartCount}} {{.State.Status}}'), '0 exited', 'on-failure ignores exit 0');
    // a manual stop ends the loop, for every policy
    await ok(e, ['stop', '-t', '0', 'ral', 'rus']);
    const counts = await inspectField(e, 'ral', '{{.RestartCount}}');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await inspectField(e, 'ral', '{{.RestartCount}} {{.State.Status}}'), `${counts} exited`);
    assert.equal(await inspectField(e, 'rus', '{{.State.Status}}'), 'exited');
    const rmRestart = await e.docker(['run', '--rm', '--restart', 'always', IMAGE, 'true']);
    assert.equal(rmRestart.stderr.split('\n')[0], 'docker: conflicting options: cannot specify both --restart and --rm');
    await ok(e, ['rm', '-f', 'rno', 'rof', 'rof0', 'ral', 'rus']);
  });
});
