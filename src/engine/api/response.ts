import { STATUS_CODES, type ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { API_VERSION, SERVER_HEADER } from './version.js';

/** Headers dockerd puts on every response. */
export const COMMON_HEADERS: Record<string, string> = {
  'Api-Version': API_VERSION,
  'Docker-Experimental': 'false',
  Ostype: 'linux',
  Server: SERVER_HEADER,
};

/** Both directions of an attach/exec stream after the HTTP exchange. */
export interface HijackedConnection {
  /** Client → daemon bytes (stdin); ends when the client half-closes. */
  input: Readable;
  /** Daemon → client bytes. */
  output: Writable;
  /** Closes both directions. */
  close(): void;
  /** Resolves when the client has gone away. */
  closed: Promise<void>;
}

/**
 * One response, whether the request arrived as a plain HTTP request or as an
 * Upgrade (the docker CLI hijacks attach/exec with `Upgrade: tcp`). In
 * upgrade mode Node hands us the raw socket, so ordinary answers (errors
 * before the hijack) are written as raw HTTP/1.1.
 */
export class ApiResponse {
  private sent = false;

  constructor(
    private readonly res: ServerResponse | undefined,
    private readonly socket: Duplex | undefined,
    private readonly req: IncomingMessage,
    /** Bytes after the body in upgrade mode (early stdin). */
    private readonly leftover: Readable | undefined,
  ) {}

  get headersSent(): boolean {
    return this.sent;
  }

  get isUpgrade(): boolean {
    return this.socket !== undefined;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, Buffer.from(JSON.stringify(body) + '\n'), { 'Content-Type': 'application/json', ...headers });
  }

  text(status: number, body: string, headers: Record<string, string> = {}): void {
    this.send(status, Buffer.from(body), { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  }

  /** A status with no body (204, or 200/201/304 with Content-Length 0). */
  empty(status: number, headers: Record<string, string> = {}): void {
    this.send(status, Buffer.alloc(0), headers);
  }

  send(status: number, body: Buffer, headers: Record<string, string>): void {
    if (this.sent) return;
    this.sent = true;
    const all = { ...COMMON_HEADERS, ...headers, 'Content-Length': String(body.length) };
    if (this.res) {
      this.res.writeHead(status, all);
      this.res.end(this.req.method === 'HEAD' ? undefined : body);
      return;
    }
    const sock = this.socket!;
    const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, ...Object.entries(all).filter(([k]) => k !== 'Connection').map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''].join('\r\n');
    sock.end(Buffer.concat([Buffer.from(head), body]));
  }

  /**
   * Starts a streamed response and flushes the headers at once: the docker
   * CLI blocks on the headers of /wait before it sends /start, and waits for
   * /events and `logs -f` headers before printing anything.
   */
  stream(status: number, headers: Record<string, string> = {}): Writable {
    this.sent = true;
    if (this.res) {
      this.res.writeHead(status, { ...COMMON_HEADERS, ...headers });
      this.res.flushHeaders();
      return this.res;
    }
    const sock = this.socket!;
    const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, ...Object.entries({ ...COMMON_HEADERS, ...headers }).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''].join('\r\n');
    sock.write(head);
    return sock;
  }

  /** Newline-delimited JSON objects (progress streams, events). */
  jsonLines(status = 200): JsonLines {
    const out = this.stream(status, { 'Content-Type': 'application/json' });
    return {
      write: (obj: unknown) => out.write(JSON.stringify(obj) + '\r\n'),
      end: () => out.end(),
      output: out,
    };
  }

  /** True once the client has disconnected (for long polls such as /wait). */
  onClientGone(cb: () => void): void {
    const target = this.socket ?? this.res;
    if (this.res) this.res.on('close', () => { if (!this.res!.writableFinished) cb(); });
    else target?.on('close', cb);
  }

  /**
   * Takes over the connection for a raw bidirectional stream. With an
   * Upgrade request: `101 UPGRADED` (the Go client accepts nothing else).
   * Without: `200 OK` and the raw stream until close (dockerode's
   * non-hijacked exec start).
   */
  hijack(contentType = 'application/vnd.docker.raw-stream'): HijackedConnection {
    this.sent = true;
    if (this.socket) {
      const sock = this.socket;
      sock.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
      const input = this.leftover ?? sock;
      const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
      sock.on('error', () => {});
      return { input, output: sock, close: () => sock.end(), closed };
    }
    const res = this.res!;
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': contentType });
    res.flushHeaders();
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    const input = new PassThrough();
    this.req.pipe(input);
    return { input, output: res, close: () => res.end(), closed };
  }
}

export interface JsonLines {
  write(obj: unknown): boolean;
  end(): void;
  output: Writable;
}
