/**
 * A transparent Engine API proxy on a unix socket that records each
 * request (method, path, body), so tests can compare what the docker CLI
 * and berth send. Plain requests are streamed both ways (so `/wait` and
 * progress streams behave as without the proxy); upgrades are spliced.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

export interface RecordingProxy {
  host: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(dir: string, targetSocket: string, name = 'proxy.sock'): Promise<RecordingProxy> {
  const socket = join(dir, name);
  const requests: RecordedRequest[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const entry: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', body: '' };
    requests.push(entry);
    const up = request({ socketPath: targetSocket, method: req.method, path: req.url, headers: req.headers }, (upRes: IncomingMessage) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      res.flushHeaders();
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      up.write(c);
    });
    req.on('end', () => {
      entry.body = Buffer.concat(chunks).toString();
      up.end();
    });
  });
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', body: '' });
    const upstream = connect({ path: targetSocket, allowHalfOpen: true });
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    host: `unix://${socket}`,
    requests,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
