import type { Socket } from 'node:net';
import { readFile, rm } from 'node:fs/promises';
import { encodeFrame, Frame, onFrames, sendJson, type MonitorAssignment } from './protocol.js';
import { spawnIo } from './child-process-io.js';
import { taskFiles } from '../task-files.js';
import { runtimeError } from './runtime-error.js';

/**
 * One `runc exec` on its own connection: the daemon wrote the OCI process file
 * before asking; output goes to this connection, stdin and resizes come from
 * it, the exit code ends it. The exec survives the daemon going away.
 */
export async function runExecSession(
  a: MonitorAssignment,
  req: { execId: string; tty: boolean; stdin: boolean; detach: boolean; consoleSize?: { rows: number; cols: number } },
  socket: Socket,
): Promise<void> {
  const f = taskFiles(a.taskDir);
  const processFile = f.execProcess(req.execId);
  const pidFile = f.execPid(req.execId);
  const args = ['--root', a.runtimeRoot, '--log', f.runtimeLog, '--log-format', 'json', 'exec', '--process', processFile, '--pid-file', pidFile, a.id];
  const io = spawnIo(a.runtimePath, args, { tty: req.tty, stdin: req.stdin, discard: req.detach, cwd: a.taskDir, ...(req.consoleSize ? { size: req.consoleSize } : {}) });
  let live = true;
  const early: Buffer[] = [];
  let started = false;
  io.onOutput((stream, data) => {
    const frame = encodeFrame(stream === 'stdout' ? Frame.Stdout : Frame.Stderr, data);
    if (!started) early.push(frame);
    else if (live && !socket.destroyed) socket.write(frame);
  });
  socket.on('close', () => {
    live = false;
  });
  onFrames(socket, (kind, payload) => {
    if (kind === Frame.Stdin && req.stdin) io.writeStdin(Buffer.from(payload));
    else if (kind === Frame.StdinEof) io.closeStdin();
    else if (kind === Frame.Resize) {
      const s = JSON.parse(payload.toString('utf8')) as { rows: number; cols: number };
      io.resize(s.rows, s.cols);
    }
  });
  // runc writes the pid file once the process runs; an exit without one is a failed exec.
  let pid = 0;
  let exited = false;
  void io.exited.then(() => (exited = true));
  const exitedEarly = await Promise.race([pollPid(pidFile, () => exited).then(() => false), io.exited.then(() => true)]);
  const pidText = await readFile(pidFile, 'utf8').catch(() => '');
  if (exitedEarly && pidText === '') {
    const reason = (await runtimeError(f.runtimeLog)) ?? 'exec failed';
    sendJson(socket, { ok: false, error: reason });
    socket.end();
    await rm(processFile, { force: true });
    return;
  }
  pid = Number(pidText.trim());
  sendJson(socket, { ok: true, pid });
  started = true;
  for (const fr of early) if (live) socket.write(fr);
  const { code } = await io.exited;
  if (live) socket.end(encodeFrame(Frame.Exit, { exitCode: code, finishedAt: new Date().toISOString(), oomKilled: false }));
  await rm(processFile, { force: true });
  await rm(pidFile, { force: true });
}

/** Polls for the pid file until it exists or the exec exited. */
async function pollPid(file: string, exited: () => boolean): Promise<void> {
  for (let i = 0; !exited(); i++) {
    if (await readFile(file).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, i < 20 ? 2 : 20));
  }
}
