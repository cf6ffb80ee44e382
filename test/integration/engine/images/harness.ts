/**
 * An in-process engine with only the image routes (plus /_ping and
 * /version), on a temporary unix socket and root, so the real docker CLI and
 * dockerode can drive images before the full daemon exists.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineApiServer, Router, API_VERSION, MIN_API_VERSION, ENGINE_VERSION } from '../../../../src/engine/api/index.js';
import { registerImageRoutes, type ImageTransfer } from '../../../../src/engine/api/routes/images.js';
import { EventBus } from '../../../../src/engine/events/index.js';
import { ImagesService, type ImageUser } from '../../../../src/engine/images/index.js';
import { createImageTransfer } from '../../../../src/registry/client/index.js';

export interface ImagesHarness {
  dir: string;
  root: string;
  socket: string;
  images: ImagesService;
  events: EventBus;
  /** Containers the fake container service reports per image ID. */
  users: Map<string, ImageUser[]>;
  docker(args: string[], opts?: { input?: Buffer | string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A raw API request on the socket (for what the CLI validates before asking). */
  request(method: string, path: string, body?: Buffer | string, headers?: Record<string, string>): Promise<{ status: number; body: Buffer; headers: import('node:http').IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export const DOCKER = '/usr/local/bin/docker';

export async function startImagesHarness(opts: { transfer?: ImageTransfer; dir?: string } = {}): Promise<ImagesHarness> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'berth-img-')));
  const root = join(dir, 'root');
  const socket = join(dir, 'engine.sock');
  const users = new Map<string, ImageUser[]>();
  const events = new EventBus();
  const images = new ImagesService({ root, events, isInUse: (id) => users.get(id) ?? [] });
  await images.init();
  const router = new Router();
  const ping = async (_req: unknown, res: import('../../../../src/engine/api/index.js').ApiResponse): Promise<void> => {
    res.send(200, Buffer.from('OK'), { 'Content-Type': 'text/plain; charset=utf-8' });
  };
  router.get('/_ping', ping);
  router.head('/_ping', ping);
  router.get('/version', async (_req, res) => {
    res.json(200, { Version: ENGINE_VERSION, ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: 'amd64', Components: [] });
  });
  registerImageRoutes(router, { images, transfer: opts.transfer ?? createImageTransfer(images) });
  const server = new EngineApiServer(router);
  await server.listen(socket);
  const docker: ImagesHarness['docker'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile(
        DOCKER,
        args,
        { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'docker-config') }, timeout: o.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout: stdout.toString('latin1'), stderr: stderr.toString() });
        },
      );
      if (o.input !== undefined) child.stdin?.end(o.input);
      else child.stdin?.end();
    });
  const request: ImagesHarness['request'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ socketPath: socket, method, path, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    dir,
    root,
    request,
    socket,
    images,
    events,
    users,
    docker,
    close: async () => {
      await server.close();
      if (!opts.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
