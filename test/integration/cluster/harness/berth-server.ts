/**
 * Starts `berth server` (the compiled CLI, found next to this file's build
 * output) on a temp data dir and a free loopback port, and runs kubectl and
 * helm against it with their own temp HOME. stop() sends SIGTERM (SIGKILL
 * after 10 s) to the server's pid and removes the temp dirs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeTools } from './kube-tools.js';

const mainJs = fileURLToPath(new URL('../../../../src/cli/main.js', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  datastore?: string;
  /** Reuse a data dir (restart tests). */
  dataDir?: string;
  port?: number;
  tokenAuthFile?: string;
  extraArgs?: string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Servers started by this process, killed (by pid) if the process exits or is terminated first. */
const running = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const p of running) if (p.pid !== undefined && p.exitCode === null) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { killAll(); process.exit(128 + (sig === 'SIGTERM' ? 15 : 2)); });
}

export class BerthServer {
  private exited: Promise<number | null>;
  readonly home: string;

  private constructor(readonly proc: ChildProcess, readonly dataDir: string, readonly port: number, private readonly ownsDataDir: boolean, public log: string[]) {
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    this.home = mkdtempSync(join(tmpdir(), 'berth-kube-home-'));
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get kubeconfig(): string {
    return join(this.dataDir, 'kubeconfig.yaml');
  }

  /** Starts a server; a free port can be taken by someone else before the server binds it, so that case is retried. */
  static async start(options: StartOptions = {}): Promise<BerthServer> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await BerthServer.startOnce(options);
      } catch (err) {
        if (attempt >= 3 || options.port !== undefined || !/EADDRINUSE/.test(String(err))) throw err;
      }
    }
  }

  private static async startOnce(options: StartOptions): Promise<BerthServer> {
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'berth-server-'));
    const port = options.port ?? (await freePort());
    // BERTH_SERVER_NODE_ARGS passes node flags to the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for profiling).
    const nodeArgs = (process.env['BERTH_SERVER_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
    const args = [...nodeArgs, mainJs, 'server', '--data-dir', dataDir, '--secure-port', String(port), '--bind-address', '127.0.0.1'];
    if (options.datastore !== undefined) args.push('--datastore', options.datastore);
    if (options.tokenAuthFile !== undefined) args.push('--token-auth-file', options.tokenAuthFile);
    args.push(...(options.extraArgs ?? []));
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    hookExit();
    running.add(proc);
    proc.once('exit', () => running.delete(proc));
    const log: string[] = [];
    const server = new BerthServer(proc, dataDir, port, options.dataDir === undefined, log);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`berth server did not become ready:\n${log.join('')}`)), 30_000);
      proc.stdout?.on('data', (d: Buffer) => {
        log.push(d.toString());
        if (log.join('').includes('ready at')) { clearTimeout(timer); resolve(); }
      });
      proc.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
      proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`berth server exited with ${String(code)}:\n${log.join('')}`)); });
    }).catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    return server;
  }

  private env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: this.home, KUBECONFIG: this.kubeconfig, ...extra };
  }

  /** Runs the real kubectl 1.32 (async, so the server in this process' tree keeps being served). */
  kubectl(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
    return run(kubeTools().kubectl, args, this.env(options.env), options.input, options.timeoutMs ?? 60_000);
  }

  /** kubectl that must succeed; returns stdout. */
  async k(args: string[], input?: string): Promise<string> {
    const r = await this.kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  helm(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
    return run(kubeTools().helm, args, this.env({ HELM_CACHE_HOME: join(this.home, 'helm-cache'), HELM_CONFIG_HOME: join(this.home, 'helm-config'), HELM_DATA_HOME: join(this.home, 'helm-data') }), undefined, options.timeoutMs ?? 120_000);
  }

  /** Writes a file under the server's temp home (manifests for -f). */
  file(name: string, text: string): string {
    const p = join(this.home, name);
    writeFileSync(p, text);
    return p;
  }

  /** SIGKILL, then wait for the exit (crash tests); the data dir stays for a restart. */
  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null && this.proc.pid !== undefined) process.kill(this.proc.pid, 'SIGKILL');
    await this.exited;
    rmSync(this.home, { recursive: true, force: true });
  }

  /** SIGTERM and wait; keepData leaves the data dir for a restart. */
  async stop(options: { keepData?: boolean } = {}): Promise<number | null> {
    let code: number | null = this.proc.exitCode;
    if (this.proc.exitCode === null && this.proc.signalCode === null && this.proc.pid !== undefined) {
      process.kill(this.proc.pid, 'SIGTERM');
      const t = setTimeout(() => { if (this.proc.pid !== undefined && this.proc.exitCode === null) process.kill(this.proc.pid, 'SIGKILL'); }, 10_000);
      code = await this.exited;
      clearTimeout(t);
    }
    rmSync(this.home, { recursive: true, force: true });
    if (this.ownsDataDir && options.keepData !== true) rmSync(this.dataDir, { recursive: true, force: true });
    return code;
  }
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, input: string | undefined, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { if (p.pid !== undefined) process.kill(p.pid, 'SIGKILL'); }, timeoutMs);
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.once('error', reject);
    p.once('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
    p.stdin.end(input ?? '');
  });
}

/** Synchronous variant for one-off checks (not while the server runs in this process). */
export function runSync(bin: string, args: string[]): RunResult {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface Streaming {
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a long-running kubectl (e.g. `get -w`) and lets the test wait for its output. */
export function streamKubectl(server: BerthServer, args: string[]): Streaming {
  const p = spawn(kubeTools().kubectl, args, { env: { PATH: process.env['PATH'] ?? '', HOME: server.home, KUBECONFIG: server.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const closed = new Promise<void>((resolve) => p.once('close', () => resolve()));
  return {
    output: () => out,
    async waitFor(pattern, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; output so far:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (p.exitCode === null && p.pid !== undefined) process.kill(p.pid, 'SIGTERM');
      await closed;
    },
  };
}
