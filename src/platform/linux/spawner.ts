/**
 * Forks through a small helper process. Node forks with fork(2): the cost
 * (page tables, then copy-on-write faults while the child gets to exec)
 * grows with the parent's heap and blocks its event loop. Measured in the
 * engine daemon under a burst of 20 `docker run`s: ~40 % of the daemon's CPU
 * went to ChildProcess.spawn. The spawner is a Node process with a small
 * heap that does the forks instead; the daemon sends it requests over IPC.
 *
 * Only processes that call useSpawner() (the engine daemon) go through it
 * (unless BERTH_SPAWNER=0);
 * everyone else forks directly. A spawner that dies is started again on the
 * next request; requests it had in flight fail as Unavailable.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// Not core/index.js: exec.ts, which imports this, is loaded by task monitors.
import { BerthError } from '../../core/errors.js';
import { closeFdsArgs, inheritableFds } from './processes.js';
import type { SpawnerReply, SpawnerRequest } from './spawner-protocol.js';

const SPAWNER_MAIN = fileURLToPath(new URL('./spawner-main.js', import.meta.url));

export interface SpawnedOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

type Pending = { resolve: (r: SpawnerReply) => void; reject: (e: Error) => void };
type Body<T> = T extends { id: number } ? Omit<T, 'id'> : never;

export class Spawner {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** Runs cmd to completion, capturing its output. Rejects (Unavailable) when it cannot be started. */
  async run(cmd: string, args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal } = {}): Promise<SpawnedOutput> {
    const input = options.input;
    const body: Body<Extract<SpawnerRequest, { op: 'run' }>> = {
      op: 'run',
      cmd,
      args,
      ...(typeof input === 'string' ? { input } : input !== undefined ? { inputBase64: input.toString('base64') } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    };
    const r = await this.request(body, options.signal, cmd);
    // The spawner's runHere() worded it (`cannot run <cmd>: …`), as a fork from here would.
    if ('error' in r) throw new BerthError('Unavailable', r.error);
    if (!('stdout' in r)) throw new BerthError('Internal', `spawner: unexpected reply for ${cmd}`);
    return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  /** Starts cmd detached (own session), stdin/stdout /dev/null, stderr appended to logFile; returns its pid. */
  async startDetached(cmd: string, args: readonly string[], options: { logFile: string; env?: NodeJS.ProcessEnv }): Promise<number> {
    const r = await this.request({ op: 'detached', cmd, args, logFile: options.logFile, ...(options.env !== undefined ? { env: options.env } : {}) }, undefined, cmd);
    if ('error' in r) throw new BerthError('Unavailable', `cannot start ${cmd}: ${r.error}`);
    if (!('pid' in r)) throw new BerthError('Internal', `spawner: unexpected reply for ${cmd}`);
    return r.pid;
  }

  /** Stops the spawner process (the next request starts another). */
  close(): void {
    this.child?.disconnect();
    this.child = undefined;
  }

  private request(body: Body<SpawnerRequest>, signal: AbortSignal | undefined, cmd: string): Promise<SpawnerReply> {
    if (signal?.aborted) return Promise.reject(aborted(cmd));
    const child = this.ensure();
    const id = this.nextId++;
    return new Promise<SpawnerReply>((resolve, reject) => {
      const onAbort = (): void => {
        this.child?.send({ op: 'kill', id } satisfies SpawnerRequest);
        this.settle(id)?.reject(aborted(cmd));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (r) => (done(), resolve(r)),
        reject: (e) => (done(), reject(e)),
      });
      // The channel keeps this process alive only while an answer is due.
      if (this.pending.size === 1) child.channel?.ref();
      child.send({ ...body, id } as SpawnerRequest);
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.child?.channel?.unref();
    return p;
  }

  private ensure(): ChildProcess {
    if (this.child?.connected) return this.child;
    const child = fork(SPAWNER_MAIN, closeFdsArgs(inheritableFds()), {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      // Its own small heap is the point: no flags of ours (--cpu-prof, --max-old-space-size…).
      execArgv: [],
    });
    this.child = child;
    child.on('message', (r: SpawnerReply) => this.settle(r.id)?.resolve(r));
    const gone = (): void => {
      if (this.child === child) this.child = undefined;
      for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new BerthError('Unavailable', 'the spawner process exited'));
    };
    child.on('exit', gone);
    child.on('error', gone);
    child.unref();
    child.channel?.unref();
    return child;
  }
}

function aborted(cmd: string): Error {
  return new BerthError('Unavailable', `cannot run ${cmd}: The operation was aborted`);
}

let active: Spawner | undefined;

/** From now on this process forks its tools through a spawner process (BERTH_SPAWNER=0: it does not). */
export function useSpawner(): Spawner | undefined {
  if (process.env['BERTH_SPAWNER'] === '0') return undefined;
  active ??= new Spawner();
  return active;
}

/** The spawner this process uses, if it asked for one. */
export function currentSpawner(): Spawner | undefined {
  return active;
}
