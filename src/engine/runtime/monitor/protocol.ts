/**
 * The monitor's wire protocol on its unix sockets: frames of
 * [kind u8][length u32 BE][payload]. Every connection opens with a Json
 * frame naming the operation; output, input and events follow as frames.
 */
import type { Socket } from 'node:net';

export const enum Frame {
  Stdin = 0,
  Stdout = 1,
  Stderr = 2,
  /** The client's stdin ended. */
  StdinEof = 3,
  /** {rows, cols} */
  Resize = 4,
  /** ExitFrame */
  Exit = 5,
  /** Any request or reply, JSON. */
  Json = 6,
}

export interface ExitFrame {
  exitCode: number;
  finishedAt: string;
  oomKilled: boolean;
  signal?: string;
  reason?: string;
}

export function encodeFrame(kind: Frame, payload: Buffer | string | object): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const head = Buffer.allocUnsafe(5);
  head.writeUInt8(kind, 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Incremental decoder: feed chunks, get whole frames. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ kind: Frame; payload: Buffer }> {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Array<{ kind: Frame; payload: Buffer }> = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1);
      if (this.buf.length < 5 + len) break;
      out.push({ kind: this.buf.readUInt8(0) as Frame, payload: this.buf.subarray(5, 5 + len) });
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }
}

/** Calls onFrame for every frame arriving on socket. */
export function onFrames(socket: Socket, onFrame: (kind: Frame, payload: Buffer) => void): void {
  const dec = new FrameDecoder();
  socket.on('data', (chunk: Buffer) => {
    for (const f of dec.push(chunk)) onFrame(f.kind, f.payload);
  });
}

export function sendJson(socket: Socket, value: object): void {
  if (!socket.destroyed && socket.writable) socket.write(encodeFrame(Frame.Json, value));
}

/** Priority of monitors waiting in the pool; an assigned one goes back to 0 (runc inherits it). */
export const IDLE_NICE = 10;

/**
 * A monitor's first frame on the pool socket: a fresh one names the token it
 * was started with; one whose task ended names the pool generation it was
 * started by, to be taken back.
 */
export type MonitorHello = { op: 'hello'; pid: number } & ({ token: string } | { recycled: string });

/** What the daemon hands an idle monitor: everything it needs to run the task on its own. */
export interface MonitorAssignment {
  id: string;
  taskDir: string;
  /** Unix socket the monitor serves (short path under exec-root). */
  socketPath: string;
  /** OCI runtime binary and its --root. */
  runtimePath: string;
  runtimeRoot: string;
  /** Keep the runc container after exit to read the OOM counter, then delete it. */
  keepForOom: boolean;
  cgroupPath: string;
  tty: boolean;
  openStdin: boolean;
  stdinOnce: boolean;
  consoleSize?: { rows: number; cols: number };
  log?: { path: string; maxSize?: number; maxFile?: number };
}

/** Requests a client sends first on a task socket. */
export type MonitorRequest =
  | { op: 'attach'; stdin: boolean; stdout: boolean; stderr: boolean }
  | { op: 'status' }
  | { op: 'resize'; rows: number; cols: number }
  | { op: 'exec'; execId: string; tty: boolean; stdin: boolean; detach: boolean; consoleSize?: { rows: number; cols: number } };

export interface StatusReply {
  ok: true;
  state: 'created' | 'running' | 'exited';
  pid: number;
  startedAt?: string;
  exit?: ExitFrame;
}
