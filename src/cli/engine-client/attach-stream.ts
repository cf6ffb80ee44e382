/**
 * The docker CLI's hijackedIOStreamer: copies stdin to a hijacked connection
 * and its output to stdout/stderr (demultiplexed unless the container has a
 * TTY). Without stdin the write side is half-closed at once, as Docker does;
 * with stdin it is half-closed when stdin ends. The stream is over when the
 * daemon closes its side, or when the detach keys are typed (TTY only).
 */
import type { Hijacked } from './engine-client.js';
import { demuxStream } from './stdcopy.js';
import { DEFAULT_DETACH_KEYS, EscapeProxy, parseDetachKeys, setRawTerminal } from './tty.js';

export interface AttachStreams {
  stdin?: NodeJS.ReadStream | NodeJS.ReadableStream | undefined;
  stdout?: NodeJS.WritableStream | undefined;
  stderr?: NodeJS.WritableStream | undefined;
  tty: boolean;
  detachKeys?: string | undefined;
}

export type AttachEnd = 'eof' | 'detached';

export function streamHijacked(conn: Hijacked, streams: AttachStreams): Promise<AttachEnd> {
  const { socket } = conn;
  const stdin = streams.stdin;
  const restore = stdin && streams.tty ? setRawTerminal(stdin as NodeJS.ReadStream) : () => {};
  let escape: EscapeProxy | undefined;
  if (stdin && streams.tty) {
    let keys: Buffer = DEFAULT_DETACH_KEYS;
    try {
      if (streams.detachKeys) keys = parseDetachKeys(streams.detachKeys);
    } catch (err) {
      process.stderr.write(`WARN invalid detach escape keys, using default: ${(err as Error).message}\n`);
    }
    escape = new EscapeProxy(keys);
  }

  return new Promise<AttachEnd>((resolve, reject) => {
    let finished = false;
    const finish = (end: AttachEnd | Error): void => {
      if (finished) return;
      finished = true;
      restore();
      if (stdin) {
        stdin.removeListener('data', onInput);
        stdin.removeListener('end', onInputEnd);
        stdin.pause();
      }
      if (end instanceof Error) reject(end);
      else resolve(end);
    };

    // Output: raw bytes with a TTY, frames without.
    const hasOutput = streams.stdout !== undefined || streams.stderr !== undefined;
    if (conn.head.length > 0) socket.unshift(conn.head);
    if (hasOutput) {
      const done = streams.tty
        ? new Promise<void>((res, rej) => {
            socket.on('data', (chunk: Buffer) => {
              if (streams.stdout && !streams.stdout.write(chunk)) {
                socket.pause();
                streams.stdout.once('drain', () => socket.resume());
              }
            });
            socket.once('end', res);
            socket.once('close', res);
            socket.once('error', rej);
          })
        : demuxStream(socket, { stdout: streams.stdout, stderr: streams.stderr });
      done.then(
        () => {
          restore();
          finish('eof');
        },
        (err: Error) => finish(err),
      );
    } else {
      socket.resume();
      socket.once('error', () => {});
    }

    // Input: forwarded until EOF, then the write side is half-closed.
    const onInput = (chunk: Buffer | string): void => {
      let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (escape) {
        const r = escape.feed(data);
        data = r.data;
        if (data.length > 0) socket.write(data);
        if (r.detached) {
          finish('detached');
          socket.destroy();
        }
        return;
      }
      if (!socket.write(data)) {
        stdin?.pause();
        socket.once('drain', () => stdin?.resume());
      }
    };
    const onInputEnd = (): void => {
      restore();
      if (!socket.destroyed) socket.end();
      if (!hasOutput) finish('eof');
    };
    if (stdin) {
      stdin.on('data', onInput);
      stdin.once('end', onInputEnd);
      stdin.resume();
    } else onInputEnd();
  });
}
