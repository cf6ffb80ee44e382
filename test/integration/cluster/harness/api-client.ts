/**
 * A raw HTTPS client for the API server using the admin kubeconfig's
 * client certificate (or a bearer token, or nothing), for tests that look
 * at status codes, headers and bodies directly.
 */
import { request as httpsRequest, Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface ClientOptions {
  /** 'cert' (admin client certificate, default), 'none', or a bearer token. */
  auth?: 'cert' | 'none' | { token: string };
}

interface KubeconfigFile {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
}

export class ApiClient {
  readonly server: string;
  private readonly agent: Agent;

  constructor(kubeconfigPath: string, options: ClientOptions = {}) {
    const kc = parse(readFileSync(kubeconfigPath, 'utf8')) as KubeconfigFile;
    const cluster = kc.clusters[0]?.cluster;
    const user = kc.users[0]?.user;
    if (cluster === undefined || user === undefined) throw new Error('bad kubeconfig');
    this.server = cluster.server;
    const b = (s: string) => Buffer.from(s, 'base64');
    const auth = options.auth ?? 'cert';
    this.agent = new Agent({
      ca: b(cluster['certificate-authority-data']),
      ...(auth === 'cert' ? { cert: b(user['client-certificate-data']), key: b(user['client-key-data']) } : {}),
      keepAlive: true,
    });
    this.token = typeof auth === 'object' ? auth.token : undefined;
  }

  private readonly token: string | undefined;

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(this.server + path, {
        method, agent: this.agent,
        headers: {
          // Explicit length: Node sends DELETE bodies without framing otherwise.
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }),
          ...(this.token === undefined ? {} : { Authorization: `Bearer ${this.token}` }),
          ...headers,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try { json = JSON.parse(text); } catch { json = undefined; }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Opens a watch and collects its JSON lines until stop(). */
  watch(path: string, headers: Record<string, string> = {}): { events: any[]; status: Promise<number>; waitFor(n: number, timeoutMs?: number): Promise<any[]>; stop(): void; ended: Promise<void> } {
    const events: any[] = [];
    let buf = '';
    let stopFn = () => {};
    let endResolve = () => {};
    const ended = new Promise<void>((r) => { endResolve = r; });
    const status = new Promise<number>((resolve, reject) => {
      const req = httpsRequest(this.server + path, { method: 'GET', agent: this.agent, headers }, (res) => {
        resolve(res.statusCode ?? 0);
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line.trim() !== '') events.push(JSON.parse(line));
          }
        });
        res.on('end', () => endResolve());
        res.on('close', () => endResolve());
      });
      req.on('error', (e) => { reject(e); endResolve(); });
      req.end();
      stopFn = () => req.destroy();
    });
    return {
      events, status, ended,
      stop: () => stopFn(),
      async waitFor(n, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        while (events.length < n) {
          if (Date.now() > deadline) throw new Error(`expected ${n} watch events, got ${JSON.stringify(events)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
        return events;
      },
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
