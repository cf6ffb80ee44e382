import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { invalidArgument } from '../../core/errors.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** Detects the compression of a stream from its first bytes (Docker's DetectCompression). */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 3 && head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.length >= 6 && head[0] === 0xfd && head.subarray(1, 6).toString('latin1') === '7zXZ\x00') return 'xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

/**
 * Returns the uncompressed form of `input` (gzip or plain tar), like
 * Docker's DecompressStream; other compressions are refused clearly.
 */
export async function decompressStream(input: Readable): Promise<{ stream: Readable; compression: Compression }> {
  const head = await peek(input, 6);
  const compression = detectCompression(head.bytes);
  if (compression === 'none') return { stream: head.stream, compression };
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    head.stream.on('error', (err) => gunzip.destroy(err));
    return { stream: head.stream.pipe(gunzip), compression };
  }
  head.stream.destroy();
  throw invalidArgument(`unsupported compression format ${compression}`);
}

/** Reads at least `n` bytes (or to the end) and gives back a stream that replays them. */
export async function peek(input: Readable, n: number): Promise<{ bytes: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = input[Symbol.asyncIterator]();
  let done = false;
  while (size < n) {
    const r = (await iterator.next()) as IteratorResult<Buffer>;
    if (r.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as unknown as string);
    chunks.push(chunk);
    size += chunk.length;
  }
  const bytes = Buffer.concat(chunks);
  const out = new PassThrough();
  out.write(bytes);
  if (done) out.end();
  else {
    let closed = false;
    out.once('close', () => {
      closed = true;
      out.emit('drain');
      void iterator.return?.();
    });
    void (async () => {
      try {
        while (!closed) {
          const r = (await iterator.next()) as IteratorResult<Buffer>;
          if (r.done) break;
          if (!out.write(r.value)) await new Promise((resolve) => out.once('drain', resolve));
        }
        if (!closed) out.end();
      } catch (err) {
        out.destroy(err as Error);
      }
    })();
  }
  return { bytes, stream: out };
}
