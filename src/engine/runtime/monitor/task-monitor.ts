import { createServer, type Server, type Socket } from 'node:net';
import { readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { watch } from 'node:fs';
import { join } from 'node:path';
// Direct imports keep the monitor's start-up short (core/index.js loads node:crypto).
import { errorMessage } from '../../../core/errors.js';
import { logger } from '../../../core/log.js';
import { JsonFileWriter } from '../../logs/json-file-writer.js';
import { readOomKills } from '../../../platform/linux/cgroups.js';
import { run } from '../../../platform/linux/exec.js';
import { encodeFrame, Frame, onFrames, sendJson, type ExitFrame, type MonitorAssignment, type MonitorRequest } from './protocol.js';
import { spawnIo, type ProcessIo } from './child-process-io.js';
import { runExecSession } from './exec-session.js';
import { runtimeError } from './runtime-error.js';
import { taskFiles } from '../task-files.js';

const log = logger('monitor');
const MAX_CLIENT_BACKLOG = 16 * 1024 * 1024;

interface Client {
  socket: Socket;
  stdout: boolean;
  stderr: boolean;
  stdin: boolean;
}

/**
 * Runs one task for its whole life: `runc run` in the foreground (runc stays
 * the container's parent and exits with its status), output to the json-file
 * log and to attach clients, stdin from them, exit status to exit.json.
 */
export class TaskMonitor {
  private state: 'created' | 'running' | 'exited' = 'created';
  private server: Server | undefined;
  private io: ProcessIo | undefined;
  private pid = 0;
  private startedAt: Date | undefined;
  private exit: ExitFrame | undefined;
  private size: { rows: number; cols: number } | undefined;
  private readonly attached = new Set<Client>();
  private readonly controls = new Set<Socket>();
  private readonly sessions = new Set<Promise<void>>();
  private writer: JsonFileWriter | undefined;
  private stdinOnceUsed = false;
  private stdinClosed = false;
  /** Input that arrived from clients attached before start (docker start -a -i), for the process to read. */
  private readonly earlyStdin: Buffer[] = [];
  private readonly files;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(private readonly a: MonitorAssignment) {
    this.files = taskFiles(a.taskDir);
    this.size = a.consoleSize;
    this.finished = new Promise((r) => (this.finish = r));
  }

  async listen(): Promise<void> {
    await rm(this.a.socketPath, { force: true });
    this.server = createServer({ allowHalfOpen: true }, (s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.a.socketPath, () => resolve());
    });
    await writeFile(this.files.monitorPid, String(process.pid));
  }

  /** The daemon's connection that carried the assignment; it gets the exit event. */
  addControl(socket: Socket): void {
    this.controls.add(socket);
    socket.on('close', () => this.controls.delete(socket));
    socket.on('error', () => {});
  }

  async start(): Promise<{ pid: number; startedAt: string }> {
    const a = this.a;
    const f = this.files;
    if (a.log) this.writer = new JsonFileWriter({ path: a.log.path, ...(a.log.maxSize !== undefined ? { maxSize: a.log.maxSize } : {}), ...(a.log.maxFile !== undefined ? { maxFile: a.log.maxFile } : {}) });
    const args = ['--root', a.runtimeRoot, '--log', f.runtimeLog, '--log-format', 'json', 'run', '--bundle', a.taskDir, '--pid-file', f.initPid, ...(a.keepForOom ? ['--keep'] : []), a.id];
    // Output before the pid file exists may be runc's own error: hold it until we know.
    const early: Array<['stdout' | 'stderr', Buffer]> = [];
    let pidKnown = false;
    const pidFile = watchForFile(a.taskDir, 'init.pid');
    const io = spawnIo(a.runtimePath, args, { tty: a.tty, stdin: a.openStdin, cwd: a.taskDir, ...(this.size ? { size: this.size } : {}) });
    this.io = io;
    for (const d of this.earlyStdin.splice(0)) io.writeStdin(d);
    if (this.stdinClosed) io.closeStdin();
    io.onOutput((stream, data) => (pidKnown ? this.output(stream, data) : early.push([stream, data])));
    const t0 = performance.now();
    const first = await Promise.race([pidFile.promise.then(() => 'pid' as const), io.exited.then(() => 'exit' as const)]);
    pidFile.close();
    log.debug('runtime run', { id: a.id, first, ms: Math.round(performance.now() - t0) });
    const pidText = await readFile(f.initPid, 'utf8').catch(() => '');
    if (first === 'exit' && pidText === '') {
      const reason = (await runtimeError(f.runtimeLog)) ?? Buffer.concat(early.filter(([s]) => s === 'stderr').map(([, d]) => d)).toString('utf8').trim();
      this.writer?.close();
      this.writer = undefined;
      throw new Error(reason || `${a.runtimePath} run failed`);
    }
    this.pid = Number(pidText.trim());
    this.startedAt = new Date();
    this.state = 'running';
    pidKnown = true;
    for (const [s, d] of early) this.output(s, d);
    void io.exited.then((r) => this.onExit(r.code, r.signal));
    return { pid: this.pid, startedAt: this.startedAt.toISOString() };
  }

  /** Called when the daemon vanished before saying start: nothing ran, leave for its cleanup. */
  async abandon(): Promise<void> {
    this.server?.close();
    await unlink(this.a.socketPath).catch(() => {});
    await rm(this.files.monitorPid, { force: true });
    this.finish();
  }

  private output(stream: 'stdout' | 'stderr', data: Buffer): void {
    this.writer?.write(stream, data);
    const kind = stream === 'stdout' ? Frame.Stdout : Frame.Stderr;
    let frame: Buffer | undefined;
    for (const c of this.attached) {
      if (!(stream === 'stdout' ? c.stdout : c.stderr) || c.socket.destroyed) continue;
      frame ??= encodeFrame(kind, data);
      // A client that stopped reading is dropped rather than buffered without end;
      // the task and its log never wait for clients.
      if (c.socket.writableLength > MAX_CLIENT_BACKLOG) c.socket.destroy();
      else c.socket.write(frame);
    }
  }

  private onConnection(socket: Socket): void {
    socket.on('error', () => {});
    let mode: 'new' | 'attach' | 'control' | 'exec' = 'new';
    let client: Client | undefined;
    onFrames(socket, (kind, payload) => {
      if (mode === 'new') {
        if (kind !== Frame.Json) return socket.destroy();
        let req: MonitorRequest;
        try {
          req = JSON.parse(payload.toString('utf8')) as MonitorRequest;
        } catch {
          return socket.destroy();
        }
        if (req.op === 'attach') {
          if (this.state === 'exited') {
            sendJson(socket, { ok: false, error: 'task has exited' });
            return void socket.end();
          }
          mode = 'attach';
          client = { socket, stdout: req.stdout, stderr: req.stderr, stdin: req.stdin && this.a.openStdin };
          this.attached.add(client);
          socket.once('close', () => this.detach(client as Client));
          sendJson(socket, { ok: true });
        } else if (req.op === 'status') {
          mode = 'control';
          sendJson(socket, this.status());
          if (this.exit) socket.end(encodeFrame(Frame.Exit, this.exit));
          else this.addControl(socket);
        } else if (req.op === 'resize') {
          this.resize(req.rows, req.cols);
          sendJson(socket, { ok: true });
          socket.end();
        } else if (req.op === 'exec') {
          mode = 'exec';
          if (this.state !== 'running') {
            sendJson(socket, { ok: false, error: 'task is not running' });
            return void socket.end();
          }
          const session = runExecSession(this.a, req, socket);
          this.sessions.add(session);
          void session.finally(() => this.sessions.delete(session));
        } else socket.destroy();
        return;
      }
      if (mode === 'exec') return; // exec sessions read their own frames
      if (kind === Frame.Resize) {
        const s = JSON.parse(payload.toString('utf8')) as { rows: number; cols: number };
        this.resize(s.rows, s.cols);
      } else if (mode === 'attach' && client?.stdin) {
        if (kind === Frame.Stdin && !this.stdinClosed) {
          if (this.io) this.io.writeStdin(Buffer.from(payload));
          else this.earlyStdin.push(Buffer.from(payload));
        }
        else if (kind === Frame.StdinEof) this.stdinEnded(client);
      }
    });
  }

  private detach(c: Client): void {
    if (!this.attached.delete(c)) return;
    if (c.stdin) this.stdinEnded(c);
  }

  /** stdinOnce: the first stdin client leaving closes the task's stdin (Docker's StdinOnce). */
  private stdinEnded(c: Client): void {
    if (!c.stdin) return;
    c.stdin = false;
    // As dockerd: with a terminal the input never ends (a client detaching must not cut off the next one).
    if (this.a.stdinOnce && !this.a.tty && !this.stdinOnceUsed) {
      this.stdinOnceUsed = true;
      this.closeStdin();
    }
  }

  private closeStdin(): void {
    if (this.stdinClosed) return;
    this.stdinClosed = true;
    if (this.io) this.io.closeStdin();
  }

  resize(rows: number, cols: number): void {
    this.size = { rows, cols };
    this.io?.resize(rows, cols);
  }

  private status(): object {
    return { ok: true, state: this.state, pid: this.pid, ...(this.startedAt ? { startedAt: this.startedAt.toISOString() } : {}), ...(this.exit ? { exit: this.exit } : {}) };
  }

  private async onExit(code: number, signal: string | undefined): Promise<void> {
    const finishedAt = new Date();
    this.writer?.close();
    let oomKilled = false;
    if (this.a.keepForOom) {
      oomKilled = (await readOomKills(this.a.cgroupPath)) > 0;
      await run(this.a.runtimePath, ['--root', this.a.runtimeRoot, 'delete', '--force', this.a.id]).catch((e) => log.warn('runtime delete failed', { id: this.a.id, error: errorMessage(e) }));
    }
    const exit: ExitFrame = { exitCode: code, finishedAt: finishedAt.toISOString(), oomKilled, ...(signal ? { signal } : {}) };
    await writeFile(this.files.exitTmp, JSON.stringify(exit));
    await rename(this.files.exitTmp, this.files.exit);
    this.exit = exit;
    this.state = 'exited';
    const frame = encodeFrame(Frame.Exit, exit);
    const closing: Array<Promise<void>> = [];
    const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
    for (const c of this.attached) {
      closing.push(closed(c.socket));
      c.socket.end();
    }
    for (const s of this.controls) {
      closing.push(closed(s));
      s.end(frame);
    }
    this.server?.close();
    await unlink(this.a.socketPath).catch(() => {});
    const grace = new Promise<void>((r) => setTimeout(r, 3000).unref());
    await Promise.race([Promise.all([...closing, ...this.sessions]), grace]);
    await rm(this.files.monitorPid, { force: true });
    this.finish();
  }
}

/** Resolves when dir/name appears (runc renames its pid file into place). */
function watchForFile(dir: string, name: string): { promise: Promise<void>; close: () => void } {
  let close = () => {};
  const promise = new Promise<void>((resolve) => {
    const w = watch(dir, (_e, f) => {
      if (f === name) resolve();
    });
    w.on('error', () => {});
    const t = setInterval(() => void readFile(join(dir, name)).then(() => resolve(), () => {}), 50);
    close = () => {
      w.close();
      clearInterval(t);
    };
  });
  return { promise, close: () => close() };
}
