/** An engine API server with only the volume routes (and /_ping), on a temp unix socket. */
import { request } from 'node:http';
import { join } from 'node:path';
import { EngineApiServer, Router } from '../../../../src/engine/api/index.js';
import { registerVolumeRoutes } from '../../../../src/engine/api/routes/volumes.js';
import type { VolumeService } from '../../../../src/engine/volumes/index.js';

export interface TestServer {
  socket: string;
  call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; body: string; json: unknown }>;
  close(): Promise<void>;
}

export async function startVolumeApi(dir: string, volumes: VolumeService): Promise<TestServer> {
  const router = new Router();
  router.get('/_ping', async (_req, res) => res.text(200, 'OK'));
  router.head('/_ping', async (_req, res) => res.text(200, ''));
  registerVolumeRoutes(router, { volumes });
  const server = new EngineApiServer(router);
  const socket = join(dir, 'api.sock');
  await server.listen(socket);
  const call: TestServer['call'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = request({ socketPath: socket, method, path, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return { socket, call, close: () => server.close() };
}
