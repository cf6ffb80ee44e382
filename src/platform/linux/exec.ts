import { spawn } from 'node:child_process';
// Not core/index.js: task monitors load this, and node:crypto would add ~10 ms to each start.
import { BerthError, type ErrorKind } from '../../core/errors.js';
import { currentSpawner } from './spawner.js';

export interface RunOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** Error kind used when the command exits non-zero (default Internal). */
  failAs?: ErrorKind;
  /** Exit codes that are not failures (default [0]). */
  okCodes?: number[];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs an external tool (runc, ip, iptables, CNI plugins…) to completion and
 * captures its output. A non-zero exit becomes a BerthError carrying stderr,
 * so callers never parse exit codes by hand.
 */
export function run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const spawner = currentSpawner();
  const output = spawner ? spawner.run(cmd, args, options) : runHere(cmd, args, options);
  return output.then((o) => {
    const result = { code: o.code ?? 128 + (o.signal ? 9 : 0), stdout: o.stdout, stderr: o.stderr };
    if ((options.okCodes ?? [0]).includes(result.code)) return result;
    const detail = (result.stderr || result.stdout).trim();
    throw new BerthError(options.failAs ?? 'Internal', `${cmd} ${args.join(' ')}: exit ${result.code}${detail ? `: ${detail}` : ''}`);
  });
}

/** Forks cmd from this process: its output and how it ended, whatever the code (the spawner process runs tools with it). */
export function runHere(cmd: string, args: readonly string[], options: RunOptions): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new BerthError('Unavailable', `cannot run ${cmd}: ${e.message}`, { cause: e })));
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
