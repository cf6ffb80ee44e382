import { Writable } from 'node:stream';

export type StdStream = 0 | 1 | 2;

/** Docker's multiplexed stream frame: [stream, 0, 0, 0, size_be32] + payload. */
export function frame(stream: StdStream, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/**
 * Writables for stdout and stderr over one connection: framed when the
 * container has no TTY, raw otherwise (then stdout and stderr are one stream).
 */
export function stdWriters(out: NodeJS.WritableStream, tty: boolean): { stdout: Writable; stderr: Writable } {
  const make = (stream: 1 | 2): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        const ok = out.write(tty ? chunk : frame(stream, chunk));
        if (ok) cb();
        else out.once('drain', () => cb());
      },
    });
  return { stdout: make(1), stderr: make(2) };
}
