/**
 * The `docker run` flow after flag parsing: create (pulling a missing image
 * first), print the ID when detached, attach, open `/wait` and only after
 * its headers arrive `/start`, keep the TTY size in sync, proxy signals to
 * the container, and exit with its status. Exit codes follow the docker
 * CLI: 125 for failures before the container ran, 126/127 for a command
 * that cannot be executed or found.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { familiarString, parseNormalizedNamed, withDefaultTag } from '../../../core/index.js';
import { ApiError } from '../../engine-client/api-error.js';
import { streamHijacked, type AttachEnd } from '../../engine-client/attach-stream.js';
import { readAll, type EngineClient } from '../../engine-client/engine-client.js';
import { monitorTtySize } from '../../engine-client/tty.js';
import type { WaitResponse } from '../../engine-client/types.js';
import { StatusError } from '../common/cli-error.js';
import { PROG, type Io } from '../common/command.js';
import { pullImage } from '../common/pull.js';
import type { CreateRequest } from './create-body.js';
import { forwardSignals } from './signal-proxy.js';

export interface RunOptions {
  detach: boolean;
  sigProxy: boolean;
  detachKeys?: string | undefined;
  pull: 'missing' | 'always' | 'never';
  quiet: boolean;
  /** `--platform` for the create request (API 1.41). */
  platform?: string | undefined;
}

/** reportError: "berth: <message>" and the help hint, on stderr. */
export function runErrorText(message: string): string {
  return `${PROG}: ${message}\n\nRun '${PROG} run --help' for more information\n`;
}

/** runStartContainerErr: 127 not found, 126 not executable, else 125. */
export function startErrorCode(message: string): number {
  const m = message.replace(/^Error response from daemon: /, '');
  if (m.includes('executable file not found') || m.includes('no such file or directory') || m.includes('system cannot find the file specified')) return 127;
  if (m.includes('permission denied') || m.includes('is a directory')) return 126;
  return 125;
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.toString() : err instanceof Error ? err.message : String(err);
}

async function createContainer(client: EngineClient, req: CreateRequest, opts: RunOptions, stderr: NodeJS.WritableStream): Promise<string> {
  const cidFile = (req.body['HostConfig'] as { ContainerIDFile?: string }).ContainerIDFile ?? '';
  if (cidFile !== '' && existsSync(cidFile)) throw new Error(`container ID file found, make sure the other container isn't running or delete ${cidFile}`);
  const create = (): Promise<{ Id: string; Warnings: string[] | null }> => client.json('POST', '/containers/create', { query: { name: req.name, platform: opts.platform || undefined }, body: req.body });
  const pull = (): Promise<unknown> => pullImage(client, req.image, opts.quiet ? undefined : stderr);
  if (opts.pull === 'always') await pull();
  let res: { Id: string; Warnings: string[] | null };
  try {
    res = await create();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404 || !/^No such image/i.test(err.message) || opts.pull === 'never') throw err;
    let named = true;
    try {
      parseNormalizedNamed(req.image);
    } catch {
      named = false;
    }
    if (!named) throw err;
    if (!opts.quiet) stderr.write(`Unable to find image '${familiarString(withDefaultTag(parseNormalizedNamed(req.image)))}' locally\n`);
    await pull();
    res = await create();
  }
  for (const w of res.Warnings ?? []) stderr.write(`WARNING: ${w}\n`);
  if (cidFile !== '') writeFileSync(cidFile, res.Id, { mode: 0o644 });
  return res.Id;
}

/**
 * POST /wait; resolves once the daemon has sent the headers (so /start may
 * follow), with the exit status still to come (boxed, so that the async
 * function does not wait for it).
 */
async function openWait(client: EngineClient, id: string, autoRemove: boolean, signal: AbortSignal): Promise<{ status: Promise<number> }> {
  const res: IncomingMessage = await client.request('POST', `/containers/${id}/wait`, { query: { condition: autoRemove ? 'removed' : 'next-exit' }, signal });
  const status = readAll(res).then(
    (body) => {
      const r = JSON.parse(body.toString('utf8')) as WaitResponse;
      if (r.Error?.Message) {
        process.stderr.write(`ERRO[0000] Error waiting for container: ${r.Error.Message}\n`);
        return 125;
      }
      return r.StatusCode;
    },
    (err: Error) => {
      if (signal.aborted) return 0;
      process.stderr.write(`ERRO[0000] error waiting for container: ${err.message}\n`);
      return 125;
    },
  );
  return { status };
}

export async function runContainer(client: EngineClient, req: CreateRequest, opts: RunOptions, io: Io): Promise<number> {
  // process.stdin is only touched when attached: opening it is not free.
  const stdin = req.attachStdin ? process.stdin : undefined;
  if (!opts.detach && stdin && req.tty && !stdin.isTTY) throw new StatusError(1, 'the input device is not a TTY');

  let id: string;
  try {
    id = await createContainer(client, req, opts, io.stderr);
  } catch (err) {
    throw new StatusError(startErrorCode(errorText(err)), runErrorText(errorText(err)));
  }
  const stopSignals = opts.sigProxy ? forwardSignals(client, id) : () => {};
  const abortWait = new AbortController();
  try {
    if (!req.attachStdout && !req.attachStderr) io.stdout.write(`${id}\n`);
    const attached = req.attachStdin || req.attachStdout || req.attachStderr;
    let streamDone: Promise<AttachEnd> | undefined;
    if (attached) {
      const conn = await client.hijack('POST', `/containers/${id}/attach`, {
        query: { stream: '1', stdin: req.attachStdin ? '1' : undefined, stdout: req.attachStdout ? '1' : undefined, stderr: req.attachStderr ? '1' : undefined, detachKeys: opts.detachKeys || undefined },
        contentType: 'text/plain',
      });
      streamDone = streamHijacked(conn, {
        stdin,
        stdout: req.attachStdout ? io.stdout : undefined,
        stderr: req.attachStderr ? (req.tty ? io.stdout : io.stderr) : undefined,
        tty: req.tty,
        detachKeys: opts.detachKeys,
      });
      streamDone.catch(() => {});
    }
    const { status } = await openWait(client, id, req.autoRemove, abortWait.signal);
    try {
      await client.discard('POST', `/containers/${id}/start`);
    } catch (err) {
      const text = errorText(err);
      io.stderr.write(runErrorText(text));
      if (req.autoRemove) await status;
      return startErrorCode(text);
    }
    let stopResize = (): void => {};
    if (attached && req.tty && (io.stdout as NodeJS.WriteStream).isTTY) {
      stopResize = monitorTtySize(async ([h, w]) => void (await client.discard('POST', `/containers/${id}/resize`, { query: { h, w } })));
    }
    try {
      if (streamDone) {
        const end = await streamDone.catch((err: Error) => {
          io.stderr.write(`${err.message}\n`);
          return 'eof' as const;
        });
        if (end === 'detached') return 0;
      }
    } finally {
      stopResize();
    }
    if (!req.attachStdout && !req.attachStderr) return 0;
    return await status;
  } finally {
    stopSignals();
    abortWait.abort();
    stdin?.destroy();
  }
}
