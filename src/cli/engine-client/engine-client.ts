/**
 * An HTTP client for the Docker Engine API over a unix socket (or plain TCP).
 * Like the docker CLI it pings once (`HEAD /_ping`), negotiates the API
 * version (at most 1.41, the version Berth's bodies are written for) and
 * prefixes every later path with `/v{version}`. Responses with a status of
 * 400 or more become `ApiError`s carrying the daemon's message.
 */
import { Agent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { ApiError, ConnectError, messageFromBody } from './api-error.js';
import { hostFromEnv, parseHost, type EngineHost } from './host.js';

export const CLIENT_MAX_VERSION = '1.41';
const FALLBACK_VERSION = '1.24';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A Buffer or stream is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Unversioned path (only `/_ping` needs this). */
  unversioned?: boolean;
}

export interface Hijacked {
  socket: Socket;
  /** Bytes that arrived with the 101 response, before the raw stream. */
  head: Buffer;
  headers: IncomingHttpHeaders;
}

export class EngineClient {
  readonly host: EngineHost;
  private readonly agent = new Agent({ keepAlive: true });
  private version: Promise<string> | undefined;

  constructor(hostUrl: string = hostFromEnv()) {
    this.host = parseHost(hostUrl);
  }

  /** The negotiated API version (pings the daemon on first use). */
  apiVersion(): Promise<string> {
    this.version ??= this.negotiate();
    return this.version;
  }

  /** Sends a request; resolves with the response when its status is below 400. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const req = await this.start(method, path, options);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (err) => reject(this.wrapError(err)));
    });
    if ((res.statusCode ?? 0) >= 400) throw await this.apiError(res);
    return res;
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const text = await this.text(method, path, options);
    return JSON.parse(text) as T;
  }

  async text(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    const res = await this.request(method, path, options);
    return (await readAll(res)).toString('utf8');
  }

  /** For endpoints answering 204/201 with nothing the CLI needs. */
  async discard(method: string, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.request(method, path, options);
    res.resume();
    await new Promise((r) => res.once('end', r).once('close', r));
    return res;
  }

  /** A request upgraded to a raw TCP stream (attach, exec start). */
  async hijack(method: string, path: string, options: RequestOptions = {}): Promise<Hijacked> {
    const req = await this.start(method, path, { ...options, headers: { Connection: 'Upgrade', Upgrade: 'tcp', ...options.headers } }, false);
    return new Promise<Hijacked>((resolve, reject) => {
      req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => resolve({ socket, head, headers: res.headers }));
      req.on('response', (res: IncomingMessage) => {
        if ((res.statusCode ?? 0) >= 400) this.apiError(res).then(reject, reject);
        else {
          res.resume();
          reject(new Error(`unable to upgrade to tcp, received ${res.statusCode ?? 0}`));
        }
      });
      req.on('error', (err) => reject(this.wrapError(err)));
    });
  }

  /** Lets the process exit: idle keep-alive sockets are closed. */
  close(): void {
    this.agent.destroy();
  }

  private async start(method: string, path: string, options: RequestOptions, pooled = true): Promise<ClientRequest> {
    const prefix = options.unversioned ? '' : `/v${await this.apiVersion()}`;
    const fullPath = prefix + path + encodeQuery(options.query);
    const headers: Record<string, string> = { 'User-Agent': 'Berth-Client (linux)', Host: 'api.moby.localhost', ...options.headers };
    let payload: Buffer | Readable | undefined;
    if (options.body instanceof Readable) payload = options.body;
    else if (Buffer.isBuffer(options.body)) payload = options.body;
    else if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] = 'application/json';
    }
    if (options.contentType) headers['Content-Type'] = options.contentType;
    if (Buffer.isBuffer(payload)) headers['Content-Length'] = String(payload.length);
    else if (payload === undefined && method !== 'GET' && method !== 'HEAD') headers['Content-Length'] = '0';
    const target = this.host.kind === 'unix' ? { socketPath: this.host.socketPath } : { host: this.host.hostname, port: this.host.port };
    const req = httpRequest({ ...target, method, path: fullPath, headers, agent: pooled ? this.agent : false, ...(options.signal ? { signal: options.signal } : {}) });
    if (payload instanceof Readable) {
      payload.on('error', (err) => req.destroy(err));
      payload.pipe(req);
    } else req.end(payload);
    return req;
  }

  private async negotiate(): Promise<string> {
    const ping = async (method: string): Promise<IncomingMessage> => {
      const req = await this.start(method, '/_ping', { unversioned: true });
      return new Promise((resolve, reject) => {
        req.on('response', resolve);
        req.on('error', (err) => reject(new ConnectError(this.host.url, err)));
      });
    };
    let res = await ping('HEAD');
    res.resume();
    if (res.statusCode !== 200 && res.statusCode !== 500) {
      res = await ping('GET');
      res.resume();
    }
    const fixed = process.env['DOCKER_API_VERSION'];
    if (fixed) return fixed;
    const advertised = res.headers['api-version'];
    const server = typeof advertised === 'string' && advertised !== '' ? advertised : FALLBACK_VERSION;
    return compareVersions(server, CLIENT_MAX_VERSION) < 0 ? server : CLIENT_MAX_VERSION;
  }

  private wrapError(err: Error): Error {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') return new ConnectError(this.host.url, err);
    return err;
  }

  private async apiError(res: IncomingMessage): Promise<ApiError> {
    const status = res.statusCode ?? 0;
    const body = (await readAll(res)).toString('utf8');
    return new ApiError(status, messageFromBody(status, body));
  }
}

/** Go's url.Values.Encode: keys sorted, QueryEscape'd values. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const v = query[key];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? (v as readonly string[]) : [typeof v === 'boolean' ? (v ? '1' : '0') : String(v)];
    for (const one of values) parts.push(`${queryEscape(key)}=${queryEscape(one)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Compares dotted versions numerically ("1.41" vs "1.9"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
