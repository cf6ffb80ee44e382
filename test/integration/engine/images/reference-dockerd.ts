/**
 * A reference dockerd (Debian docker.io 20.10) on temporary paths, for
 * comparing behaviour; never the system daemon. Stopped by its own pid.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'node:http';
import { DOCKER } from './harness.js';

export const DOCKERD = '/usr/sbin/dockerd';

export interface ReferenceDockerd {
  socket: string;
  docker(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

export async function startReferenceDockerd(dir: string): Promise<ReferenceDockerd> {
  await mkdir(dir, { recursive: true });
  const socket = join(dir, 'd.sock');
  const child: ChildProcess = spawn(
    DOCKERD,
    ['--data-root', join(dir, 'root'), '--exec-root', join(dir, 'exec'), '-H', `unix://${socket}`, '--pidfile', join(dir, 'pid'), '--bridge', 'none', '--iptables=false'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!(await ping(socket))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('reference dockerd did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    socket,
    docker: (args) =>
      new Promise((resolve) => {
        execFile(DOCKER, args, { env: { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(dir, 'docker-config') }, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
          resolve({ code: err ? 1 : 0, stdout, stderr });
        });
      }),
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export function referenceDockerdAvailable(): boolean {
  return existsSync(DOCKERD);
}
