import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { formatRfc3339Nano, nowNano } from './rfc3339-nano.js';

export type LogStream = 'stdout' | 'stderr';

export interface JsonFileOptions {
  path: string;
  /** Rotate once the file reached this many bytes (-1 or undefined: never). */
  maxSize?: number;
  /** Files kept, current one included (default 1: the file is truncated instead of rotated). */
  maxFile?: number;
}

/** Docker's copier: lines up to 16 KiB; longer ones and the last unterminated bytes become partial messages. */
const MAX_LINE = 16 * 1024;

/**
 * Writes Docker's json-file format: one `{"log":…,"stream":…,"time":…}` per
 * line, rotated like moby's LogFile (check capacity before each write, shift
 * .1→.2…, truncate when max-file is 1). Synchronous writes keep order simple
 * and cost microseconds.
 */
export class JsonFileWriter {
  private fd: number;
  private size: number;
  private readonly pending: Record<LogStream, { chunks: Buffer[]; length: number; time: bigint }> = {
    stdout: { chunks: [], length: 0, time: 0n },
    stderr: { chunks: [], length: 0, time: 0n },
  };

  constructor(private readonly options: JsonFileOptions) {
    this.fd = openSync(options.path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  /** Feeds raw output; complete lines are written at once, the rest waits for its newline. */
  write(stream: LogStream, data: Buffer): void {
    const p = this.pending[stream];
    let start = 0;
    while (start < data.length) {
      if (p.length === 0) p.time = nowNano();
      const nl = data.indexOf(0x0a, start);
      const end = nl === -1 ? data.length : nl + 1;
      const room = MAX_LINE - p.length;
      if (end - start > room) {
        // Line longer than the buffer: flush what fits as a partial message.
        p.chunks.push(data.subarray(start, start + room));
        p.length += room;
        this.flush(stream);
        start += room;
        continue;
      }
      p.chunks.push(data.subarray(start, end));
      p.length += end - start;
      start = end;
      if (nl !== -1) this.flush(stream);
    }
  }

  /** Writes what is left of both streams (at EOF), as Docker does with partial messages. */
  end(): void {
    this.flush('stdout');
    this.flush('stderr');
  }

  close(): void {
    this.end();
    closeSync(this.fd);
  }

  private flush(stream: LogStream): void {
    const p = this.pending[stream];
    if (p.length === 0) return;
    const text = Buffer.concat(p.chunks, p.length).toString('utf8');
    p.chunks = [];
    p.length = 0;
    this.writeEntry(encodeJsonLogLine(text, stream, p.time));
  }

  private writeEntry(line: Buffer): void {
    const max = this.options.maxSize ?? -1;
    if (max > 0 && this.size >= max) this.rotate();
    writeSync(this.fd, line);
    this.size += line.length;
  }

  private rotate(): void {
    const { path } = this.options;
    const maxFile = this.options.maxFile ?? 1;
    closeSync(this.fd);
    if (maxFile >= 2) {
      rmSync(`${path}.${maxFile - 1}`, { force: true });
      for (let i = maxFile - 1; i > 1; i--) renameIfExists(`${path}.${i - 1}`, `${path}.${i}`);
      renameIfExists(path, `${path}.1`);
    }
    this.fd = openSync(path, 'w', 0o640);
    this.size = 0;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Go's JSON string escaping as Docker's jsonlog writes it: HTML-safe, \u00XX for other controls, U+2028/9 escaped. */
export function jsonString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return '"' + s.replace(/["\\\u0000-\u001f<>&\u2028\u2029]/g, (c) => ESCAPES[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
}

export function encodeJsonLogLine(text: string, stream: LogStream, timeNs: bigint): Buffer {
  return Buffer.from(`{"log":${jsonString(text)},"stream":"${stream}","time":"${formatRfc3339Nano(timeNs)}"}\n`, 'utf8');
}
