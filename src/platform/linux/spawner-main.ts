/**
 * The spawner process (see spawner.ts): forks tools for the daemon, whose
 * own fork costs grow with its heap. Requests and replies are IPC messages;
 * it exits when the daemon's end of the channel goes away.
 *
 * argv: [--close-fds 5,7]  fds inherited without close-on-exec, not ours to pass on
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { SpawnerReply, SpawnerRequest } from './spawner-protocol.js';

const running = new Map<number, ChildProcess>();

function reply(r: SpawnerReply): void {
  process.send?.(r);
}

function closeInherited(): void {
  const i = process.argv.indexOf('--close-fds');
  const list = i >= 0 ? (process.argv[i + 1] ?? '') : '';
  for (const f of list.split(',').filter(Boolean)) {
    try {
      closeSync(Number(f));
    } catch {
      // already closed
    }
  }
}

function runTool(r: Extract<SpawnerRequest, { op: 'run' }>): void {
  const child = spawn(r.cmd, r.args, { stdio: ['pipe', 'pipe', 'pipe'], ...(r.env ? { env: r.env } : {}), ...(r.cwd !== undefined ? { cwd: r.cwd } : {}) });
  running.set(r.id, child);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let failed = false;
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.on('error', (e) => {
    failed = true;
    running.delete(r.id);
    reply({ id: r.id, error: e.message });
  });
  child.on('close', (code, signal) => {
    running.delete(r.id);
    if (failed) return;
    reply({ id: r.id, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
  });
  child.stdin.on('error', () => {});
  child.stdin.end(r.inputBase64 !== undefined ? Buffer.from(r.inputBase64, 'base64') : (r.input ?? ''));
}

function startDetached(r: Extract<SpawnerRequest, { op: 'detached' }>): void {
  let fd: number | undefined;
  try {
    fd = openSync(r.logFile, 'a');
    const child = spawn(r.cmd, r.args, { detached: true, stdio: ['ignore', 'ignore', fd], ...(r.env ? { env: r.env } : {}) });
    child.on('error', () => {});
    child.unref();
    if (child.pid === undefined) reply({ id: r.id, error: `cannot start ${r.cmd}` });
    else reply({ id: r.id, pid: child.pid });
  } catch (e) {
    reply({ id: r.id, error: (e as Error).message });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

closeInherited();
process.title = 'berth-spawner';
process.on('disconnect', () => process.exit(0));
process.on('message', (m: SpawnerRequest) => {
  if (m.op === 'run') runTool(m);
  else if (m.op === 'detached') startDetached(m);
  else if (m.op === 'kill') running.get(m.id)?.kill('SIGTERM');
});
