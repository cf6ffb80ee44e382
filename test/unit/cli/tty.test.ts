import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import ptyModule from 'node-pty';
import { CLI, json, startFakeEngine } from './fake-engine.js';
import { EscapeProxy, parseDetachKeys } from '../../../src/cli/engine-client/tty.js';

const ID = 'b'.repeat(64);

test('detach keys: parsing and the escape proxy', () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('a,ctrl-@,ctrl-[')], [97, 0, 27]);
  assert.throws(() => parseDetachKeys('ctrl-ab'), /Unknown character/);
  const p = new EscapeProxy(Buffer.from([16, 17]));
  assert.deepEqual(p.feed(Buffer.from('ab\x10')), { data: Buffer.from('ab'), detached: false });
  assert.deepEqual(p.feed(Buffer.from('x')), { data: Buffer.from('\x10x'), detached: false });
  assert.deepEqual(p.feed(Buffer.from('\x10\x11')), { data: Buffer.alloc(0), detached: true });
});

test('run -it on a terminal: TTY config, raw stdin, resize on start and on SIGWINCH, detach with ctrl-p ctrl-q', async () => {
  const resizes: string[] = [];
  let input = '';
  let attach: Socket | undefined;
  const engine = await startFakeEngine({
    http: (r, res) => {
      const path = r.path.replace(/^\/v1\.\d+/, '');
      if (path.startsWith('/containers/create')) return json(res, 201, { Id: ID, Warnings: [] });
      if (path.includes('/wait')) {
        res.writeHead(200);
        res.flushHeaders();
        return true;
      }
      if (path.endsWith('/start')) {
        res.writeHead(204).end();
        attach?.write('$ ');
        return true;
      }
      if (path.includes('/resize')) {
        resizes.push(path.slice(path.indexOf('?')));
        res.writeHead(200).end();
        return true;
      }
      return false;
    },
    upgrade: (_r, socket) => {
      attach = socket;
      socket.on('data', (b: Buffer) => (input += b.toString('latin1')));
    },
  });
  const pty = ptyModule.spawn(process.execPath, [CLI, 'run', '-it', 'img', 'sh'], { cols: 100, rows: 30, env: { ...process.env, BERTH_HOST: engine.host } as Record<string, string> });
  let screen = '';
  pty.onData((d) => (screen += d));
  const exited = new Promise<number>((r) => pty.onExit((e) => r(e.exitCode)));
  const until = async (what: string, cond: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(cond(), `timed out waiting for ${what}; screen=${JSON.stringify(screen)}`);
  };
  try {
    await until('the prompt', () => screen.includes('$ '));
    await until('the first resize', () => resizes.length > 0);
    assert.equal(resizes[0], '?h=30&w=100');
    const create = JSON.parse(engine.requests.find((q) => q.path.includes('/containers/create'))!.body) as { Tty: boolean; OpenStdin: boolean; AttachStdin: boolean; StdinOnce: boolean; HostConfig: { ConsoleSize: number[] } };
    assert.deepEqual([create.Tty, create.OpenStdin, create.AttachStdin, create.StdinOnce], [true, true, true, true]);
    assert.deepEqual(create.HostConfig.ConsoleSize, [30, 100]);
    assert.ok(engine.requests.some((q) => q.path.endsWith('/attach?stderr=1&stdin=1&stdout=1&stream=1')));
    pty.write('ls\r');
    await until('raw input', () => input.includes('ls\r'));
    pty.resize(120, 40);
    await until('a resize after SIGWINCH', () => resizes.includes('?h=40&w=120'));
    pty.write('\x10\x11');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<number>((r) => (timer = setTimeout(() => r(-1), 5000)))]);
    clearTimeout(timer);
    assert.equal(code, 0, `exit after detach; screen=${JSON.stringify(screen)}`);
    assert.ok(!input.includes('\x10'), 'the detach keys are not sent to the container');
  } finally {
    pty.kill('SIGKILL');
    await engine.close();
  }
});
