/**
 * A scripted Engine API server on a unix socket for CLI unit tests: it
 * records every request (method, path, body, time) and answers with the
 * handler a test gives, including hijacked (101 UPGRADED) attach/exec.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));

export interface Recorded {
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export interface FakeHandlers {
  /** Ordinary requests; return false to answer 404 "page not found". */
  http?: (req: Recorded, res: ServerResponse) => boolean | Promise<boolean>;
  /** Hijacked requests: write the raw stream on the socket (after the 101). */
  upgrade?: (req: Recorded, socket: Socket) => void;
  apiVersion?: string | null;
}

export interface FakeEngine {
  host: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

export function json(res: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

export async function startFakeEngine(handlers: FakeHandlers): Promise<FakeEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-fake-'));
  const socket = join(dir, 'd.sock');
  const requests: Recorded[] = [];
  const record = async (req: IncomingMessage): Promise<Recorded> => {
    const chunks: Buffer[] = [];
    if (req.headers.upgrade === undefined) for await (const c of req) chunks.push(c as Buffer);
    const r: Recorded = { method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString(), headers: req.headers, at: Date.now() };
    requests.push(r);
    return r;
  };
  const server: Server = createServer(async (req, res) => {
    const r = await record(req);
    const version = handlers.apiVersion === undefined ? '1.41' : handlers.apiVersion;
    if (version !== null) res.setHeader('Api-Version', version);
    if (r.path === '/_ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : 'OK');
      return;
    }
    const handled = handlers.http ? await handlers.http(r, res) : false;
    if (!handled) json(res, 404, { message: 'page not found' });
  });
  server.on('upgrade', (req: IncomingMessage, sock: Socket, head: Buffer) => {
    const chunks: Buffer[] = head.length ? [head] : [];
    const r: Recorded = { method: req.method ?? '', path: req.url ?? '', body: '', headers: req.headers, at: Date.now() };
    requests.push(r);
    const len = Number(req.headers['content-length'] ?? 0);
    const go = (): void => {
      r.body = Buffer.concat(chunks).toString();
      sock.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
      handlers.upgrade?.(r, sock);
    };
    if (Buffer.concat(chunks).length >= len) go();
    else {
      const onData = (c: Buffer): void => {
        chunks.push(c);
        if (Buffer.concat(chunks).length >= len) {
          sock.removeListener('data', onData);
          go();
        }
      };
      sock.on('data', onData);
    }
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    host: `unix://${socket}`,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled berth CLI against a host; kills it (by pid) after the timeout. */
export function runCli(host: string, args: string[], options: { input?: string; timeoutMs?: number; onSpawn?: (pid: number) => void } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, BERTH_HOST: host, DOCKER_API_VERSION: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
  });
}
