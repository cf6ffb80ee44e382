/**
 * The daemon the CLI integration tests drive, with helpers to run the real
 * docker CLI and `berth` against it side by side. Berth's own engine is
 * used when it can run containers (BERTH_CLI_TEST_DAEMON=berth forces it);
 * otherwise — or with BERTH_CLI_TEST_DAEMON=dockerd — a reference dockerd
 * (Debian docker.io) on temporary paths, stopped by pid. Everything made
 * here is removed on close, even after a failure.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBusyboxTar } from '../../fixtures/busybox.js';

export const DOCKER = '/usr/local/bin/docker';
export const DOCKERD = '/usr/sbin/dockerd';
export const CLI = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url));
export const IMAGE = 'busybox:test';

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliDaemon {
  kind: 'berth' | 'dockerd';
  dir: string;
  host: string;
  docker(args: string[], options?: RunOptions): Promise<Result>;
  berth(args: string[], options?: RunOptions): Promise<Result>;
  /** Both clients with the same arguments; berth's output with "berth" read as "docker". */
  both(args: string[], options?: RunOptions): Promise<{ docker: Result; berth: Result }>;
  close(): Promise<void>;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  cwd?: string;
  /** Overrides the daemon address (e.g. a recording proxy). */
  host?: string;
}

export function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync(DOCKER)) return 'docker CLI not installed';
  if (!existsSync(DOCKERD) && process.env['BERTH_CLI_TEST_DAEMON'] !== 'berth') return 'reference dockerd not installed';
  if (!existsSync('/bin/busybox')) return 'busybox-static not installed';
  return undefined;
}

function exec(file: string, args: string[], env: NodeJS.ProcessEnv, options: RunOptions): Promise<Result> {
  return new Promise((resolve) => {
    const p = execFile(file, args, { env, cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' }, (err, out, errOut) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: out.toString('latin1'), stderr: errOut.toString() });
    });
    p.stdin!.end(options.input);
  });
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

async function startDockerd(dir: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, 'd.sock');
  const log = join(dir, 'dockerd.log');
  const child: ChildProcess = spawn(DOCKERD, ['--data-root', join(dir, 'root'), '--exec-root', join(dir, 'exec'), '-H', `unix://${socket}`, '--pidfile', join(dir, 'dockerd.pid'), '--bridge', 'none', '--iptables=false', '--ip6tables=false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    writeFileSync(log, stderr);
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`dockerd exited: ${stderr}`);
    if (await ping(socket)) return { socket, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`dockerd did not start: ${stderr}`);
}

function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((p): p is string => !!p && p.startsWith(dir + '/'));
  for (const m of mounts.sort((a, b) => b.length - a.length)) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
}

/** Berth names itself where docker says "docker" (prefixes and usage lines only). */
export function asDocker(text: string): string {
  return text.replace(/(^|\n)berth: /g, '$1docker: ').replace(/'berth /g, "'docker ").replace(/(Usage: {2}|\t)berth /g, '$1docker ');
}

/** Tries Berth's engine: it must start and run a container. */
async function tryBerth(): Promise<{ host: string; dir: string; close(): Promise<void> } | undefined> {
  const forced = process.env['BERTH_CLI_TEST_DAEMON'];
  if (forced === 'dockerd') return undefined;
  let engine: Awaited<ReturnType<typeof import('../../fixtures/engine.js')['startTestEngine']>> | undefined;
  try {
    const { startTestEngine, importBusybox } = await import('../../fixtures/engine.js');
    engine = await startTestEngine();
    await importBusybox(engine, IMAGE);
    const probe = await engine.docker(['run', '--rm', IMAGE, 'true'], { timeoutMs: 30_000 });
    if (probe.code !== 0) throw new Error(`probe run failed: ${probe.stderr}`);
    return { host: engine.host, dir: engine.dir, close: () => engine!.close() };
  } catch (err) {
    await engine?.close().catch(() => {});
    if (forced === 'berth') throw err;
    return undefined;
  }
}

export async function startCliDaemon(): Promise<CliDaemon> {
  const berthEngine = await tryBerth();
  const dir = berthEngine?.dir ?? mkdtempSync(join(tmpdir(), 'berth-cli-it-'));
  let host: string;
  let stopDaemon: () => Promise<void>;
  if (berthEngine) {
    host = berthEngine.host;
    stopDaemon = () => berthEngine.close();
  } else {
    try {
      const d = await startDockerd(dir);
      host = `unix://${d.socket}`;
      stopDaemon = d.stop;
    } catch (err) {
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const config = join(dir, 'docker-config');
  const envFor = (options: RunOptions): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_HOST: options.host ?? host, BERTH_HOST: options.host ?? host, DOCKER_CONFIG: config, DOCKER_API_VERSION: '', ...options.env });
  const daemon: CliDaemon = {
    kind: berthEngine ? 'berth' : 'dockerd',
    dir,
    host,
    docker: (args, options = {}) => exec(DOCKER, args, envFor(options), options),
    berth: async (args, options = {}) => {
      const r = await exec(process.execPath, [CLI, ...args], envFor(options), options);
      return { ...r, stdout: asDocker(r.stdout), stderr: asDocker(r.stderr) };
    },
    both: async (args, options = {}) => ({ docker: await daemon.docker(args, options), berth: await daemon.berth(args, options) }),
    close: async () => {
      try {
        const ids = await daemon.docker(['ps', '-aq']);
        if (ids.stdout.trim()) await daemon.docker(['rm', '-f', '-v', ...ids.stdout.trim().split('\n')]);
      } finally {
        await stopDaemon();
        if (!berthEngine) {
          unmountUnder(dir);
          rmSync(dir, { recursive: true, force: true });
        }
      }
    },
  };
  if (!berthEngine) {
    try {
      const tar = join(dir, 'busybox.tar');
      buildBusyboxTar(tar);
      const r = await daemon.docker(['import', '--change', 'CMD ["/bin/sh"]', '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', tar, IMAGE]);
      if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
    } catch (err) {
      await daemon.close();
      throw err;
    }
  }
  return daemon;
}

/** Relative times ("3 seconds ago", "Up 2 minutes") made comparable across two runs. */
export function withoutRelativeTimes(text: string): string {
  return text.replace(/(Less than a second|About an? \w+|\d+ (second|minute|hour|day|week|month|year)s?)( ago)?/g, '<time>').replace(/ {2,}/g, '  ');
}

/**
 * Runs both clients until their outputs agree (at most `tries` times);
 * relative times may tick between the two runs on a busy machine, so the
 * last attempt compares outputs with those times blanked out.
 */
export async function agree(d: CliDaemon, args: string[], tries = 4, options: RunOptions = {}, normalize: (stdout: string) => string = (x) => x): Promise<{ docker: Result; berth: Result }> {
  const differs = (r: { docker: Result; berth: Result }): boolean => r.docker.stdout !== r.berth.stdout || r.docker.stderr !== r.berth.stderr || r.docker.code !== r.berth.code;
  const run = async (): Promise<{ docker: Result; berth: Result }> => {
    const r = await d.both(args, options);
    return { docker: { ...r.docker, stdout: normalize(r.docker.stdout) }, berth: { ...r.berth, stdout: normalize(r.berth.stdout) } };
  };
  let last = await run();
  for (let i = 1; i < tries && differs(last); i++) {
    await new Promise((r) => setTimeout(r, 200));
    last = await run();
  }
  if (!differs(last)) return last;
  const norm = (r: Result): Result => ({ ...r, stdout: withoutRelativeTimes(r.stdout), stderr: withoutRelativeTimes(r.stderr) });
  return { docker: norm(last.docker), berth: norm(last.berth) };
}
