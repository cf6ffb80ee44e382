import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { IPty } from 'node-pty';

/** A runtime process (runc run / runc exec) with its stdio, pipes or a pty. */
export interface ProcessIo {
  /** Pid of the runtime process (runc), not of the container process. */
  readonly pid: number;
  onOutput(fn: (stream: 'stdout' | 'stderr', data: Buffer) => void): void;
  writeStdin(data: Buffer): void;
  /** Closes stdin (pipes only: a terminal has no end of input). */
  closeStdin(): void;
  resize(rows: number, cols: number): void;
  /** Settles once the process exited and its output was read to the end. */
  readonly exited: Promise<{ code: number; signal?: string }>;
}

export interface SpawnIoOptions {
  tty: boolean;
  /** Pipes: stdin is a pipe only when true, else /dev/null. */
  stdin: boolean;
  /** Discard all output (detached exec). */
  discard?: boolean;
  cwd: string;
  size?: { rows: number; cols: number };
}

const require = createRequire(import.meta.url);
let ptyModule: typeof import('node-pty') | undefined;

/** node-pty loads lazily, but an idle monitor preloads it so a tty start costs nothing extra. */
export function loadPty(): typeof import('node-pty') {
  ptyModule ??= require('node-pty') as typeof import('node-pty');
  return ptyModule;
}

/** How long output may trail the exit (a grandchild holding the pipe) before we stop waiting. */
const OUTPUT_GRACE_MS = 2000;

export function spawnIo(cmd: string, args: string[], options: SpawnIoOptions): ProcessIo {
  return options.tty && !options.discard ? spawnPty(cmd, args, options) : spawnPipes(cmd, args, options);
}

function spawnPipes(cmd: string, args: string[], options: SpawnIoOptions): ProcessIo {
  const child = spawn(cmd, args, {
    cwd: options.cwd,
    stdio: [options.stdin && !options.discard ? 'pipe' : 'ignore', options.discard ? 'ignore' : 'pipe', options.discard ? 'ignore' : 'pipe'],
  });
  const listeners: Array<(s: 'stdout' | 'stderr', d: Buffer) => void> = [];
  const ended: Array<Promise<void>> = [];
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = child[name];
    if (!stream) continue;
    stream.on('data', (d: Buffer) => listeners.forEach((l) => l(name, d)));
    ended.push(new Promise((r) => stream.once('close', () => r())));
  }
  child.stdin?.on('error', () => {});
  const exited = new Promise<{ code: number; signal?: string }>((resolve) => {
    child.once('error', () => resolve({ code: 127 }));
    child.once('exit', (code, signal) => {
      const all = Promise.all(ended);
      const grace = new Promise<void>((r) => setTimeout(r, OUTPUT_GRACE_MS).unref());
      void Promise.race([all, grace]).then(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve(signal ? { code: 128 + signalNumber(signal), signal } : { code: code ?? 255 });
      });
    });
  });
  return {
    pid: child.pid ?? 0,
    onOutput: (fn) => listeners.push(fn),
    writeStdin: (d) => {
      if (child.stdin && !child.stdin.destroyed && child.stdin.writable) child.stdin.write(d);
    },
    closeStdin: () => child.stdin?.end(),
    resize: () => {},
    exited,
  };
}

function spawnPty(cmd: string, args: string[], options: SpawnIoOptions): ProcessIo {
  const pty = loadPty();
  // runc makes its terminal raw only once running; output or input before that
  // would get the outer pty's CRLF translation and echo. Raw from the first byte.
  const term: IPty = pty.spawn('/bin/sh', ['-c', 'stty raw -echo 2>/dev/null; exec "$0" "$@"', cmd, ...args], {
    cols: options.size?.cols ?? 80,
    rows: options.size?.rows ?? 24,
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    encoding: null,
  } as Parameters<typeof pty.spawn>[2]);
  const listeners: Array<(s: 'stdout' | 'stderr', d: Buffer) => void> = [];
  term.onData((d) => {
    const buf = typeof d === 'string' ? Buffer.from(d, 'utf8') : (d as unknown as Buffer);
    listeners.forEach((l) => l('stdout', buf));
  });
  const exited = new Promise<{ code: number; signal?: string }>((resolve) => {
    term.onExit(({ exitCode, signal }) => resolve(signal ? { code: 128 + signal, signal: String(signal) } : { code: exitCode }));
  });
  return {
    pid: term.pid,
    onOutput: (fn) => listeners.push(fn),
    writeStdin: (d) => term.write(d as unknown as string),
    closeStdin: () => {},
    resize: (rows, cols) => {
      try {
        term.resize(Math.max(1, cols), Math.max(1, rows));
      } catch {
        // the pty is gone: the process exited
      }
    },
    exited,
  };
}

function signalNumber(signal: NodeJS.Signals): number {
  const n = (require('node:os') as typeof import('node:os')).constants.signals[signal];
  return n ?? 0;
}
