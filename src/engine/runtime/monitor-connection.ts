import { connect, type Socket } from 'node:net';
import { unavailable } from '../../core/index.js';
import { encodeFrame, Frame, FrameDecoder } from './monitor/protocol.js';

/**
 * The daemon's end of one monitor connection: a request/reply handshake in
 * Json frames, then a stream of frames to a handler.
 */
export class MonitorConnection {
  private readonly queue: Array<{ kind: Frame; payload: Buffer }> = [];
  private waiter: ((f: { kind: Frame; payload: Buffer } | undefined) => void) | undefined;
  private handler: ((kind: Frame, payload: Buffer) => void) | undefined;
  private ended = false;
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket) {
    const dec = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const f of dec.push(chunk)) this.deliver(f);
    });
    socket.on('error', () => {});
    // The monitor ends a connection only when it has nothing more to say: finish ours too.
    socket.on('end', () => socket.end());
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        const w = this.waiter;
        this.waiter = undefined;
        w?.(undefined);
        resolve();
      }),
    );
  }

  static open(path: string): Promise<MonitorConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ path, allowHalfOpen: true });
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(new MonitorConnection(s));
      });
      s.once('error', (e) => reject(unavailable(`task monitor unreachable: ${e.message}`, { cause: e })));
    });
  }

  private deliver(f: { kind: Frame; payload: Buffer }): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(f);
    } else if (this.handler) this.handler(f.kind, f.payload);
    else this.queue.push(f);
  }

  /** The next frame, or undefined when the connection closed first. */
  next(): Promise<{ kind: Frame; payload: Buffer } | undefined> {
    const f = this.queue.shift();
    if (f) return Promise.resolve(f);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Sends a Json request and returns the next Json frame as the reply. */
  async request<T extends object>(body: object): Promise<T> {
    this.send(Frame.Json, body);
    return this.reply<T>();
  }

  async reply<T extends object>(): Promise<T> {
    const f = await this.next();
    if (!f) throw unavailable('task monitor closed the connection');
    if (f.kind !== Frame.Json) throw unavailable(`task monitor answered frame ${f.kind}`);
    return JSON.parse(f.payload.toString('utf8')) as T;
  }

  send(kind: Frame, payload: Buffer | object): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeFrame(kind, payload));
  }

  /** From now on frames go to fn (queued ones first). */
  stream(fn: (kind: Frame, payload: Buffer) => void): void {
    this.handler = fn;
    for (const f of this.queue.splice(0)) fn(f.kind, f.payload);
  }

  close(): void {
    this.socket.destroy();
  }
}
