/**
 * Debian's docker-registry 2.8 on 127.0.0.1 with a temporary config and
 * storage, optionally with htpasswd (Basic) or "silly" (Bearer challenge)
 * auth; stopped by its own pid.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryFixture {
  host: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** bcrypt via libcrypt (python's crypt module): the registry's htpasswd only takes bcrypt. */
export function bcrypt(password: string): string {
  return execFileSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))', password], { encoding: 'utf8' }).trim();
}

export type RegistryAuthMode = { kind: 'none' } | { kind: 'htpasswd'; user: string; password: string } | { kind: 'silly'; realm: string; service: string };

export async function startRegistry(dir: string, auth: RegistryAuthMode = { kind: 'none' }): Promise<RegistryFixture> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  let authYaml = '';
  if (auth.kind === 'htpasswd') {
    await writeFile(join(dir, 'htpasswd'), `${auth.user}:${bcrypt(auth.password)}\n`);
    authYaml = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (auth.kind === 'silly') {
    authYaml = `auth:\n  silly:\n    realm: ${auth.realm}\n    service: ${auth.service}\n`;
  }
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${authYaml}`,
  );
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${port}/v2/`).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('docker-registry did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

export function registryAvailable(): boolean {
  return existsSync(REGISTRY_BIN);
}
