/**
 * run, exec, logs and the container lifecycle verbs against a real daemon,
 * side by side with the docker CLI: the same create bodies on the wire,
 * the same output and the same exit codes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ptyModule from 'node-pty';
import { CLI, IMAGE, skipReason, startCliDaemon, type CliDaemon } from './cli-daemon.js';
import { startRecordingProxy } from './recording-proxy.js';

const skip = skipReason();
let d: CliDaemon;

before(async () => {
  if (!skip) d = await startCliDaemon();
});
after(async () => {
  await d?.close();
});

async function removeAll(): Promise<void> {
  const ids = (await d.docker(['ps', '-aq'])).stdout.trim();
  if (ids) await d.docker(['rm', '-f', ...ids.split('\n')]);
}

const createBody = (requests: { path: string; body: string }[]): string => {
  const r = requests.find((q) => /\/containers\/create/.test(q.path));
  assert.ok(r, 'a create request was sent');
  return r.body.trim();
};

test('run sends the same create request as the docker CLI for the same flags', { skip }, async () => {
  const envFile = join(d.dir, 'env.list');
  writeFileSync(envFile, '# comment\nFROM_FILE=1\n\n  SPACED=x y\nUNSET_VAR\n');
  const labelFile = join(d.dir, 'labels');
  writeFileSync(labelFile, 'l1=a\nl2\n');
  const flagSets = [
    ['-d', IMAGE, 'true'],
    ['-d', '--rm', '-e', 'A=1', '-w', '/tmp', '-u', '0', '--hostname', 'hh', '-l', 'x=y', '--memory', '64m', '--cpus', '0.5', '--cpu-shares', '512', '--pids-limit', '50', '--read-only', '--cap-add', 'NET_ADMIN', '--cap-drop', 'chown', '--init', '--stop-signal', 'SIGUSR1', '--stop-timeout', '5', '--health-cmd', 'true', '--health-interval', '1s', '--health-retries', '2', '--health-timeout', '2s', '--health-start-period', '1m', '-v', '/tmp:/h:ro', '--mount', 'type=tmpfs,target=/tt,tmpfs-size=1m', '-p', '127.0.0.1:18081:80', '-p', '9000-9001/udp', '--network', 'none', '--dns', '1.1.1.1', '--add-host', 'a:1.2.3.4', '--tmpfs', '/run:size=1m', '--log-opt', 'max-size=1m', '--entrypoint', '/bin/sh', IMAGE, '-c', 'sleep 1'],
    ['-d', '-i', '-t', '-P', '--expose', '7000-7001/udp', '--restart', 'on-failure:3', '--env-file', envFile, '-e', 'FROM_ENV', '--label-file', labelFile, '--mount', 'type=volume,dst=/v', '--no-healthcheck', '--ulimit', 'nofile=1024:2048', '--stop-timeout', '0', '--init=false', '--runtime', 'runc', '--entrypoint=', IMAGE, 'true'],
    ['-d', '--network', 'host', '--privileged', '--oom-kill-disable', '--memory', '32m', '--memory-swap', '-1', '--shm-size', '8m', '--security-opt', 'no-new-privileges', '--sysctl', 'net.core.somaxconn=1024', '--group-add', '10', IMAGE, 'true'],
  ];
  for (const flags of flagSets) {
    const pd = await startRecordingProxy(d.dir, d.host.slice('unix://'.length), 'pd.sock');
    const pb = await startRecordingProxy(d.dir, d.host.slice('unix://'.length), 'pb.sock');
    try {
      const env = { FROM_ENV: 'from-env' };
      const rd = await d.docker(['run', ...flags], { host: pd.host, env });
      const rb = await d.berth(['run', ...flags], { host: pb.host, env });
      assert.equal(rb.code, rd.code, `exit code for ${flags.join(' ')}: ${rb.stderr} / ${rd.stderr}`);
      assert.equal(createBody(pb.requests), createBody(pd.requests), `create body for ${flags.join(' ')}`);
      const seq = (rs: { method: string; path: string }[]): string[] => rs.map((q) => `${q.method} ${q.path.replace(/[0-9a-f]{64}/g, 'ID').replace(/\?.*/, '')}`);
      assert.deepEqual(seq(pb.requests), seq(pd.requests), 'the same requests in the same order');
    } finally {
      await pd.close();
      await pb.close();
      await removeAll();
    }
  }
});

test('run: exit codes, messages and streams as the docker CLI', { skip }, async () => {
  const cases: { args: string[]; input?: string }[] = [
    { args: ['run', '--rm', IMAGE, 'sh', '-c', 'echo out; echo err >&2; exit 3'] },
    { args: ['run', '--rm', '-e', 'A=1', '-w', '/tmp', '-u', 'nobody', IMAGE, 'sh', '-c', 'echo $A; pwd; id -u'] },
    { args: ['run', '--rm', '-i', IMAGE, 'sh', '-c', 'cat; echo done'], input: 'line1\nline2\n' },
    { args: ['run', '--rm', IMAGE, 'nosuchcmd'] },
    { args: ['run', '--rm', IMAGE, '/etc/passwd'] },
    { args: ['run', '--rm', 'nosuch-image:1'] },
    { args: ['run', '--rm', '--pull', 'never', 'nosuch-image:1'] },
    { args: ['run', '--restart', 'always', '--rm', IMAGE] },
    { args: ['run', '-p', 'abc', IMAGE] },
    { args: ['run', '--memory', '1x', IMAGE] },
    { args: ['run', '--network-alias', 'x', IMAGE] },
    { args: ['run', '-a', 'stdout', '--rm', IMAGE, 'sh', '-c', 'echo out; echo err >&2'] },
    { args: ['run'] },
  ];
  for (const c of cases) {
    const r = await d.both(c.args, c.input === undefined ? {} : { input: c.input });
    assert.equal(r.berth.stdout, r.docker.stdout, `stdout of ${c.args.join(' ')}`);
    assert.equal(r.berth.stderr, r.docker.stderr, `stderr of ${c.args.join(' ')}`);
    assert.equal(r.berth.code, r.docker.code, `exit code of ${c.args.join(' ')}`);
  }
  const left = await d.docker(['ps', '-aq']);
  assert.equal(left.stdout, '', '--rm containers are gone, also when their start failed');
});

test('run -d, name conflicts, exec, logs, stop, start -a, rm', { skip }, async () => {
  const rb = await d.berth(['run', '-d', '--name', 'b-app', IMAGE, 'sh', '-c', 'for i in 1 2 3; do echo out$i; echo err$i >&2; done; sleep 1000']);
  const rd = await d.docker(['run', '-d', '--name', 'd-app', IMAGE, 'sh', '-c', 'for i in 1 2 3; do echo out$i; echo err$i >&2; done; sleep 1000']);
  assert.equal(rb.code, 0, rb.stderr);
  assert.match(rb.stdout, /^[0-9a-f]{64}\n$/);
  assert.equal(rd.code, 0);
  const conflict = await d.both(['run', '-d', '--name', 'b-app', IMAGE]);
  assert.equal(conflict.berth.stderr, conflict.docker.stderr);
  assert.equal(conflict.berth.code, 125);
  await new Promise((r) => setTimeout(r, 500));
  const pair = async (args: (name: string) => string[], input?: string): Promise<void> => {
    const o = input === undefined ? {} : { input };
    const b = await d.berth(args('b-app'), o);
    const k = await d.docker(args('d-app'), o);
    const norm = (s: string): string => s.replace(/[bd]-(app|short)/g, 'APP').replace(/[0-9a-f]{64}/g, 'ID');
    assert.equal(norm(b.stdout), norm(k.stdout), `stdout of ${args('APP').join(' ')}`);
    assert.equal(norm(b.stderr), norm(k.stderr), `stderr of ${args('APP').join(' ')}`);
    assert.equal(b.code, k.code, `exit code of ${args('APP').join(' ')}`);
  };
  await pair((n) => ['exec', n, 'sh', '-c', 'echo out; echo err >&2; exit 4']);
  await pair((n) => ['exec', '-u', 'nobody', '-w', '/tmp', '-e', 'X=1', n, 'sh', '-c', 'id -u; pwd; echo $X']);
  await pair((n) => ['exec', '-i', n, 'sh', '-c', 'cat; echo end'], 'stdin data\n');
  await pair((n) => ['exec', '-d', n, 'sleep', '1']);
  await pair(() => ['exec', 'nosuch', 'ls']);
  await pair((n) => ['exec', n, 'nosuchcmd']);
  // Logs of one container through both clients (stdout and stderr interleave differently in two containers).
  for (const args of [['logs', 'b-app'], ['logs', '--tail', '2', 'b-app'], ['logs', '-n', '1', '--since', '10m', 'b-app'], ['logs', '--until', '2000-01-01T00:00:00Z', 'b-app'], ['logs', '-t', '--details', 'b-app'], ['logs', 'nosuch']]) {
    const r = await d.both(args);
    assert.equal(r.berth.stdout, r.docker.stdout, `stdout of ${args.join(' ')}`);
    assert.equal(r.berth.stderr, r.docker.stderr, `stderr of ${args.join(' ')}`);
    assert.equal(r.berth.code, r.docker.code, `exit code of ${args.join(' ')}`);
  }
  const tb = await d.berth(['logs', '-t', 'b-app']);
  assert.match(tb.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z out1\n/);
  await pair((n) => ['stop', '-t', '1', n, 'nosuch']);
  await pair((n) => ['start', n, 'nosuch']);
  await pair((n) => ['rm', n]);
  await pair((n) => ['rm', '-f', n]);
  await pair(() => ['rm', 'nosuch']);
  for (const n of ['b-short', 'd-short']) assert.equal((await d.docker(['create', '--name', n, IMAGE, 'sh', '-c', 'echo hi; echo ho >&2; exit 6'])).code, 0);
  await pair((n) => ['start', '-a', n.replace('app', 'short')]);
  await pair((n) => ['rm', n.replace('app', 'short')]);
});

test('run -it on a terminal: output, input and the exit status through a TTY', { skip }, async () => {
  const pty = ptyModule.spawn(process.execPath, [CLI, 'run', '--rm', '-it', IMAGE, 'sh'], { cols: 90, rows: 20, env: { ...process.env, BERTH_HOST: d.host } as Record<string, string> });
  let screen = '';
  pty.onData((s) => (screen += s));
  const exited = new Promise<number>((r) => pty.onExit((e) => r(e.exitCode)));
  try {
    for (let i = 0; i < 200 && !screen.includes('#'); i++) await new Promise((r) => setTimeout(r, 50));
    pty.write('stty size; echo hi-$((6*7)); exit 5\r');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<number>((r) => (timer = setTimeout(() => r(-1), 20_000)))]);
    clearTimeout(timer);
    assert.equal(code, 5, screen);
    assert.match(screen, /20 90/);
    assert.match(screen, /hi-42/);
  } finally {
    pty.kill('SIGKILL');
  }
});

test('run proxies signals to the container, which exits with its own status', { skip }, async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [CLI, 'run', '--rm', IMAGE, 'sh', '-c', 'trap "echo got-term; exit 9" TERM; echo ready; while :; do sleep 0.2; done'], { env: { ...process.env, BERTH_HOST: d.host }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  try {
    for (let i = 0; i < 200 && !out.includes('ready'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    assert.equal(await exit, 9);
    assert.match(out, /got-term/);
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
