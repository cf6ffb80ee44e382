/**
 * The spawner process (see spawner.ts): forks tools for the daemon, whose
 * own fork costs grow with its heap. Requests and replies are IPC messages;
 * it exits when the daemon's end of the channel goes away.
 *
 * argv: [--close-fds 5,7]  fds inherited without close-on-exec, not ours to pass on
 */
import { errorMessage } from '../../core/errors.js';
import { runHere } from './exec.js';
import { closeInheritedFds, spawnDetached } from './processes.js';
import type { SpawnerReply, SpawnerRequest } from './spawner-protocol.js';

const running = new Map<number, AbortController>();

function reply(r: SpawnerReply): void {
  process.send?.(r);
}

function runTool(r: Extract<SpawnerRequest, { op: 'run' }>): void {
  const ac = new AbortController();
  running.set(r.id, ac);
  const input = r.inputBase64 !== undefined ? Buffer.from(r.inputBase64, 'base64') : r.input;
  runHere(r.cmd, r.args, { ...(input !== undefined ? { input } : {}), ...(r.env ? { env: r.env } : {}), ...(r.cwd !== undefined ? { cwd: r.cwd } : {}), signal: ac.signal })
    .then(
      (o) => reply({ id: r.id, ...o }),
      (e: unknown) => reply({ id: r.id, error: errorMessage(e) }),
    )
    .finally(() => running.delete(r.id));
}

function startDetached(r: Extract<SpawnerRequest, { op: 'detached' }>): void {
  try {
    const pid = spawnDetached(r.cmd, r.args, { logFile: r.logFile, ...(r.env ? { env: r.env } : {}) });
    reply(pid === undefined ? { id: r.id, error: `cannot start ${r.cmd}` } : { id: r.id, pid });
  } catch (e) {
    reply({ id: r.id, error: errorMessage(e) });
  }
}

closeInheritedFds();
process.title = 'berth-spawner';
process.on('disconnect', () => process.exit(0));
process.on('message', (m: SpawnerRequest) => {
  if (m.op === 'run') runTool(m);
  else if (m.op === 'detached') startDetached(m);
  else if (m.op === 'kill') running.get(m.id)?.abort();
});
