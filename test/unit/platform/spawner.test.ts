import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spawner } from '../../../src/platform/linux/spawner.js';
import { isAlive, waitGone } from '../../../src/platform/linux/processes.js';

test('run: output, exit code, input (text and bytes), env and cwd', async () => {
  const s = new Spawner();
  try {
    const r = await s.run('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(r, { code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
    assert.equal((await s.run('cat', [], { input: 'text in' })).stdout, 'text in');
    assert.equal((await s.run('od', ['-An', '-tx1'], { input: Buffer.from([0, 255, 10]) })).stdout.trim(), '00 ff 0a');
    assert.equal((await s.run('sh', ['-c', 'echo $ONLY_THIS'], { env: { ONLY_THIS: 'yes', PATH: '/usr/bin:/bin' } })).stdout, 'yes\n');
    assert.equal((await s.run('pwd', [], { cwd: '/usr' })).stdout, '/usr\n');
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => s.run('echo', [String(i)])));
    assert.deepEqual(many.map((m) => m.stdout), Array.from({ length: 20 }, (_, i) => `${i}\n`));
  } finally {
    s.close();
  }
});

test('a missing tool and an aborted run are Unavailable errors; the spawner goes on', async () => {
  const s = new Spawner();
  try {
    await assert.rejects(s.run('/no/such/tool', []), (e: Error & { kind?: string }) => e.kind === 'Unavailable' && /cannot run \/no\/such\/tool: spawn \/no\/such\/tool ENOENT/.test(e.message));
    const ac = new AbortController();
    const slow = s.run('sleep', ['30'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(slow, /The operation was aborted/);
    assert.equal((await s.run('echo', ['still here'])).stdout, 'still here\n');
  } finally {
    s.close();
  }
});

test('startDetached: own session, stderr to the log file, pid returned', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-spawner-'));
  const s = new Spawner();
  try {
    const log = join(dir, 'log');
    const pid = await s.startDetached('sh', ['-c', 'echo to-log >&2; ps -o sid= -p $$; sleep 30'], { logFile: log });
    assert.ok(isAlive(pid));
    const sid = spawnSync('ps', ['-o', 'sid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    assert.equal(sid, String(pid), 'a session leader');
    for (let i = 0; i < 100 && !readFileSync(log, 'utf8').includes('to-log'); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(readFileSync(log, 'utf8'), 'to-log\n');
    process.kill(pid, 'SIGKILL');
    assert.ok(await waitGone(pid, 2000));
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an idle spawner does not keep its parent alive', () => {
  const script = `import('${new URL('../../../src/platform/linux/spawner.js', import.meta.url).href}').then(async (m) => { const s = new m.Spawner(); console.log((await s.run('echo', ['ran'])).stdout.trim()); })`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ran');
});
