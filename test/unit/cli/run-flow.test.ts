import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { frame, json, runCli, startFakeEngine, type Recorded } from './fake-engine.js';

const ID = 'a'.repeat(64);

/** A daemon that runs one container: output on attach, exit status on wait. */
function containerDaemon(opts: { status: number; waitHeaderDelayMs?: number; missingImage?: boolean }) {
  let startedAt = 0;
  let waitHeadersAt = 0;
  let created = 0;
  let finishWait: (() => void) | undefined;
  let attachSocket: import('node:net').Socket | undefined;
  const state = { killed: [] as string[] };
  const finish = (): void => {
    attachSocket?.end(frame(1, 'out\n'));
    finishWait?.();
  };
  return {
    state,
    finish,
    times: () => ({ startedAt, waitHeadersAt }),
    handlers: {
      http: async (r: Recorded, res: ServerResponse): Promise<boolean> => {
        const path = r.path.replace(/^\/v1\.\d+/, '');
        if (path.startsWith('/containers/create')) {
          created++;
          if (opts.missingImage && created === 1) return json(res, 404, { message: 'No such image: img:latest' });
          return json(res, 201, { Id: ID, Warnings: ['careful'] });
        }
        if (path.startsWith('/images/create')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"status":"Pulling from library/img","id":"latest"}\n');
          res.end('{"status":"Downloaded newer image for img:latest"}\n');
          return true;
        }
        if (path.startsWith(`/containers/${ID}/wait`)) {
          await new Promise((r) => setTimeout(r, opts.waitHeaderDelayMs ?? 0));
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.flushHeaders();
          waitHeadersAt = Date.now();
          finishWait = () => res.end(JSON.stringify({ Error: null, StatusCode: opts.status }));
          return true;
        }
        if (path === `/containers/${ID}/start`) {
          startedAt = Date.now();
          res.writeHead(204).end();
          setTimeout(finish, 100);
          return true;
        }
        if (path.startsWith(`/containers/${ID}/kill`)) {
          state.killed.push(new URL(path, 'http://x').searchParams.get('signal') ?? '');
          res.writeHead(204).end();
          return true;
        }
        return false;
      },
      upgrade: (_r: Recorded, socket: import('node:net').Socket) => {
        attachSocket = socket;
        socket.write(frame(2, 'err\n'));
      },
    },
  };
}

test('run: create, attach, wait (headers first), start; exit status and streams from the daemon', async () => {
  const d = containerDaemon({ status: 7, waitHeaderDelayMs: 300 });
  const engine = await startFakeEngine(d.handlers);
  try {
    const r = await runCli(engine.host, ['run', '--rm', 'img', 'sh', '-c', 'exit 7']);
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'WARNING: careful\nerr\n');
    const seq = engine.requests.map((q) => `${q.method} ${q.path.replace(/^\/v1\.\d+/, '').replace(ID, 'ID')}`);
    assert.deepEqual(seq, ['HEAD /_ping', 'POST /containers/create', 'POST /containers/ID/attach?stderr=1&stdout=1&stream=1', 'POST /containers/ID/wait?condition=removed', 'POST /containers/ID/start']);
    assert.ok(engine.requests.slice(1).every((q) => q.path.startsWith('/v1.41/')));
    const { startedAt, waitHeadersAt } = d.times();
    assert.ok(startedAt >= waitHeadersAt && waitHeadersAt > 0, 'start is sent only after the wait headers arrived');
    const attach = engine.requests.find((q) => q.path.includes('/attach'))!;
    assert.equal(attach.headers.upgrade, 'tcp');
    const body = JSON.parse(engine.requests[1]!.body) as { HostConfig: { AutoRemove: boolean }; Cmd: string[] };
    assert.equal(body.HostConfig.AutoRemove, true);
    assert.deepEqual(body.Cmd, ['sh', '-c', 'exit 7']);
  } finally {
    await engine.close();
  }
});

test('run -d: prints the ID, next-exit wait, no attach, exit 0', async () => {
  const d = containerDaemon({ status: 3 });
  const engine = await startFakeEngine(d.handlers);
  try {
    const r = await runCli(engine.host, ['run', '-d', 'img']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${ID}\n`);
    const paths = engine.requests.map((q) => q.path.replace(/^\/v1\.\d+/, '').replace(ID, 'ID'));
    assert.deepEqual(paths.slice(1), ['/containers/create', '/containers/ID/wait?condition=next-exit', '/containers/ID/start']);
  } finally {
    await engine.close();
  }
});

test('run: a missing image is pulled ("Unable to find image … locally") and the create retried', async () => {
  const d = containerDaemon({ status: 0, missingImage: true });
  const engine = await startFakeEngine(d.handlers);
  try {
    const r = await runCli(engine.host, ['run', 'img']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Unable to find image 'img:latest' locally\nlatest: Pulling from library\/img\nDownloaded newer image for img:latest\n/);
    const pull = engine.requests.find((q) => q.path.includes('/images/create'))!;
    assert.equal(pull.path, '/v1.41/images/create?fromImage=img&tag=latest');
    assert.equal(pull.headers['x-registry-auth'], 'e30=');
    assert.equal(engine.requests.filter((q) => q.path.includes('/containers/create')).length, 2);
  } finally {
    await engine.close();
  }
});

test('run: signals sent to the CLI are forwarded to the container, which decides when to exit', async () => {
  const d = containerDaemon({ status: 143 });
  const base = d.handlers.http;
  const engine = await startFakeEngine({
    ...d.handlers,
    http: async (r, res) => {
      if (r.path.endsWith('/start')) {
        res.writeHead(204).end();
        return true;
      }
      const handled = await base(r, res);
      if (r.path.includes('/kill')) setTimeout(() => d.finish(), 200);
      return handled;
    },
  });
  try {
    let pid = 0;
    const done = runCli(engine.host, ['run', 'img'], { onSpawn: (p) => (pid = p) });
    for (let i = 0; i < 200 && !engine.requests.some((q) => q.path.endsWith('/start')); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    process.kill(pid, 'SIGTERM');
    const r = await done;
    assert.deepEqual(d.state.killed, ['TERM']);
    assert.equal(r.signal, null, 'the CLI itself is not killed by SIGTERM');
    assert.equal(r.code, 143);
  } finally {
    await engine.close();
  }
});

test('run: start failures map to 127/126/125 with the docker message', async () => {
  for (const [message, code] of [
    ['failed to create task: exec: "nosuchcmd": executable file not found in $PATH: unknown', 127],
    ['failed to create task: exec: "/etc/passwd": permission denied: unknown', 126],
    ['something else', 125],
  ] as const) {
    const engine = await startFakeEngine({
      http: (r, res) => {
        if (r.path.includes('/containers/create')) return json(res, 201, { Id: ID, Warnings: [] });
        if (r.path.includes('/wait')) {
          res.writeHead(200);
          res.flushHeaders();
          setTimeout(() => res.end('{"Error":null,"StatusCode":0}'), 50);
          return true;
        }
        if (r.path.includes('/start')) return json(res, 400, { message });
        return false;
      },
      upgrade: (_r, s) => s.end(),
    });
    try {
      const r = await runCli(engine.host, ['run', '--rm', 'img']);
      assert.equal(r.code, code);
      assert.equal(r.stderr, `berth: Error response from daemon: ${message}\n\nRun 'berth run --help' for more information\n`);
    } finally {
      await engine.close();
    }
  }
});

test('API version negotiation: lower advertised versions are used, none means 1.24', async () => {
  for (const [advertised, expected] of [['1.40', '/v1.40/'], ['1.44', '/v1.41/'], [null, '/v1.24/']] as const) {
    const engine = await startFakeEngine({ apiVersion: advertised, http: (_r, res) => json(res, 200, []) });
    try {
      const r = await runCli(engine.host, ['ps', '-q']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(engine.requests[1]!.path.startsWith(`${expected}containers/json`), engine.requests[1]!.path);
    } finally {
      await engine.close();
    }
  }
});

test('no daemon: a clear connection error and exit status 1', async () => {
  const r = await runCli('unix:///nonexistent/berth.sock', ['ps']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Cannot connect to the Berth daemon at unix:///nonexistent/berth.sock. Is the berth daemon running?\n');
});

test('exec: exit code from exec inspect after the stream ends; -i forwards stdin then half-closes', async () => {
  let received = '';
  const engine = await startFakeEngine({
    http: (r, res) => {
      if (r.path.includes('/containers/c1/json')) return json(res, 200, { Id: ID, Config: { Tty: false } });
      if (r.path.includes('/containers/c1/exec')) return json(res, 201, { Id: 'e1' });
      if (r.path.includes('/exec/e1/json')) return json(res, 200, { ID: 'e1', Running: false, ExitCode: 4 });
      return false;
    },
    upgrade: (_r, socket) => {
      socket.on('data', (b: Buffer) => (received += b.toString()));
      socket.on('end', () => socket.end(frame(1, `got:${received}`)));
    },
  });
  try {
    const r = await runCli(engine.host, ['exec', '-i', '-e', 'X=1', 'c1', 'cat'], { input: 'hello' });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, 'got:hello');
    const create = engine.requests.find((q) => q.path.endsWith('/containers/c1/exec'))!;
    assert.deepEqual(JSON.parse(create.body), { User: '', Privileged: false, Tty: false, AttachStdin: true, AttachStderr: true, AttachStdout: true, Detach: false, DetachKeys: '', Env: ['X=1'], WorkingDir: '', Cmd: ['cat'] });
    const start = engine.requests.find((q) => q.path.endsWith('/exec/e1/start'))!;
    assert.equal(start.body, '{"Detach":false,"Tty":false}');
  } finally {
    await engine.close();
  }
});
