import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { logger } from '../../core/index.js';
import { renderError } from './errors.js';
import { ApiRequest } from './request.js';
import { ApiResponse } from './response.js';
import type { Router } from './router.js';
import { API_VERSION, MIN_API_VERSION, compareVersions, splitVersion } from './version.js';

const log = logger('engine.api');

/**
 * The Docker Engine API over a unix socket. Parses the version prefix,
 * dispatches to the router and renders errors; everything else lives in
 * route modules and services.
 */
export class EngineApiServer {
  private readonly server: Server;
  private socketPath: string | undefined;
  private readonly hijacked = new Set<Duplex>();

  constructor(private readonly router: Router) {
    this.server = createServer({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 });
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void this.dispatch(req, new ApiResponse(res, undefined, req, undefined), req);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.hijacked.add(socket);
      socket.once('close', () => this.hijacked.delete(socket));
      const { body, rest } = splitUpgradeBody(req, socket, head);
      void this.dispatch(req, new ApiResponse(undefined, socket, req, rest), body);
    });
  }

  async listen(socketPath: string): Promise<void> {
    await mkdir(dirname(socketPath), { recursive: true });
    await rm(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(socketPath, () => resolve());
    });
    await chmod(socketPath, 0o660);
    this.socketPath = socketPath;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      // Attach/exec streams left the HTTP server's books but still hold it open; a client
      // that went away without its output ending (an idle container) would do so forever.
      for (const socket of this.hijacked) socket.destroy();
    });
    if (this.socketPath) await rm(this.socketPath, { force: true });
  }

  private async dispatch(req: IncomingMessage, res: ApiResponse, body: Readable): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://engine');
    const { path, version, explicit } = splitVersion(url.pathname);
    try {
      if (explicit && compareVersions(version, API_VERSION) > 0) {
        res.json(400, { message: `client version ${version} is too new. Maximum supported API version is ${API_VERSION}` });
        return;
      }
      if (explicit && compareVersions(version, MIN_API_VERSION) < 0) {
        res.text(400, `client version ${version} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`);
        return;
      }
      const method = req.method ?? 'GET';
      const found = this.router.match(method, path);
      if (!('handler' in found)) {
        // dockerd's router answers a known path with the wrong method as an unknown one.
        res.json(404, { message: 'page not found' });
        return;
      }
      log.debug('request', { method, path });
      const apiReq = new ApiRequest(req, method, path, url.searchParams, version, found.params, body);
      await found.handler(apiReq, res);
      if (!res.headersSent) res.empty(204);
    } catch (err) {
      renderError(res, err);
    }
  }
}

/**
 * In upgrade mode Node gives us the socket with the request body unread.
 * dockerode sends a JSON body (Content-Length) with its hijacked attach:
 * that body must not reach the container's stdin, so it is split off here.
 */
function splitUpgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): { body: Readable; rest: Readable } {
  let remaining = Number(req.headers['content-length'] ?? 0) || 0;
  const body = new PassThrough();
  const rest = new PassThrough();
  const feed = (chunk: Buffer): void => {
    if (remaining > 0) {
      const take = Math.min(remaining, chunk.length);
      body.write(chunk.subarray(0, take));
      remaining -= take;
      if (remaining === 0) body.end();
      chunk = chunk.subarray(take);
    }
    if (chunk.length > 0) rest.write(chunk);
  };
  if (remaining === 0) body.end();
  if (head.length > 0) feed(head);
  socket.on('data', feed);
  socket.on('end', () => {
    body.end();
    rest.end();
  });
  socket.on('error', () => rest.destroy());
  return { body, rest };
}
