import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { LogStream } from './json-file-writer.js';
import { dateToNano, parseRfc3339Nano } from './rfc3339-nano.js';

export interface LogEntry {
  stream: LogStream;
  time: Date;
  /** The stored RFC3339Nano text, for `docker logs -t`. */
  timestamp: string;
  timeNano: bigint;
  /** The bytes the task wrote (with their newline unless partial). */
  line: Buffer;
}

export interface ReadLogsOptions {
  stdout?: boolean;
  stderr?: boolean;
  /** Last N entries across rotated files, counted before stream selection (as Docker does). */
  tail?: number;
  since?: Date | bigint;
  until?: Date | bigint;
  follow?: boolean;
  /** Follow ends after this settles (the task exited) and the remaining bytes are read. */
  done?: Promise<unknown>;
  signal?: AbortSignal;
  /** Rotated files to look at (default 20 — enough for any max-file anyone sets). */
  maxFiles?: number;
}

const CHUNK = 64 * 1024;

/**
 * Reads a json-file log and its rotations (<path>.N oldest … <path>) in
 * order. `tail` reads backwards from the end, so it is cheap on large files;
 * `follow` keeps reading the live file across rotations.
 */
export async function* readJsonFileLogs(path: string, options: ReadLogsOptions = {}): AsyncGenerator<LogEntry> {
  const since = toNano(options.since);
  const until = toNano(options.until);
  const want = (e: LogEntry) => (e.stream === 'stdout' ? options.stdout !== false : options.stderr !== false);
  const files = await existingFiles(path, options.maxFiles ?? 20); // oldest first, current last
  const tail = options.tail !== undefined && options.tail >= 0 ? options.tail : undefined;
  const lines: Buffer[] = tail !== undefined ? await tailLines(files, tail) : [];
  if (tail === undefined) {
    for (const f of files.slice(0, -1)) {
      for await (const line of readLines(f)) {
        const e = decode(line);
        if (!e || (since !== undefined && e.timeNano < since)) continue;
        if (until !== undefined && e.timeNano > until) return;
        if (want(e)) yield e;
      }
    }
  } else {
    for (const line of lines) {
      const e = decode(line);
      if (!e || (since !== undefined && e.timeNano < since)) continue;
      if (until !== undefined && e.timeNano > until) return;
      if (want(e)) yield e;
    }
  }
  // The live file: everything (no tail) or from its end (tail already covered it).
  const live = files.length > 0 && files[files.length - 1] === path;
  let fh: FileHandle | undefined = live ? await open(path, 'r').catch(() => undefined) : undefined;
  let offset = 0;
  let ino = 0;
  if (fh) {
    const st = await fh.stat();
    ino = st.ino;
    offset = tail !== undefined ? st.size : 0;
  }
  let rest: Buffer = Buffer.alloc(0);
  const follower = options.follow ? new Follower(path, options) : undefined;
  try {
    for (;;) {
      // Read everything available on the current file.
      if (fh) {
        for (;;) {
          const buf = Buffer.alloc(CHUNK);
          const { bytesRead } = await fh.read(buf, 0, CHUNK, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const data = rest.length > 0 ? Buffer.concat([rest, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
          let start = 0;
          for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
            const e = decode(data.subarray(start, nl));
            start = nl + 1;
            if (!e || (since !== undefined && e.timeNano < since)) continue;
            if (until !== undefined && e.timeNano > until) return;
            if (want(e)) yield e;
          }
          rest = Buffer.from(data.subarray(start));
        }
      }
      if (!follower) return;
      // Rotated or truncated? Switch to the new file once the old one is drained.
      const st = await stat(path).catch(() => undefined);
      if (st && (!fh || st.ino !== ino)) {
        await fh?.close();
        fh = await open(path, 'r').catch(() => undefined);
        ino = st.ino;
        offset = 0;
        rest = Buffer.alloc(0);
        continue;
      }
      if (st && fh && st.size < offset) {
        offset = 0;
        rest = Buffer.alloc(0);
        continue;
      }
      if (follower.finished) {
        if (follower.drained) return;
        follower.drained = true; // one more pass after the task ended
        continue;
      }
      await follower.next();
    }
  } finally {
    follower?.close();
    await fh?.close();
  }
}

/** Wakes the follow loop on file changes, on a slow timer as a safety net, and when done/aborted. */
class Follower {
  finished = false;
  drained = false;
  private wake: (() => void) | undefined;
  private readonly watcher: FSWatcher | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.finish();

  constructor(path: string, options: ReadLogsOptions) {
    try {
      this.watcher = watch(dirname(path), (_event, name) => {
        if (name === null || String(name).startsWith(basename(path))) this.poke();
      });
      this.watcher.on('error', () => {});
    } catch {
      this.watcher = undefined;
    }
    this.timer = setInterval(() => this.poke(), 250);
    options.done?.then(() => this.finish(), () => this.finish());
    if (options.signal?.aborted) this.finish();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.signal = options.signal;
  }

  private readonly signal: AbortSignal | undefined;

  next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private finish(): void {
    this.finished = true;
    if (this.signal?.aborted) this.drained = true; // an abort stops at once
    this.poke();
  }

  close(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

function toNano(v: Date | bigint | undefined): bigint | undefined {
  return v === undefined ? undefined : typeof v === 'bigint' ? v : dateToNano(v);
}

/** <path>.N … <path>.1, <path> that exist, oldest first. */
async function existingFiles(path: string, max: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = max; i >= 1; i--) if (await stat(`${path}.${i}`).catch(() => undefined)) out.push(`${path}.${i}`);
  if (await stat(path).catch(() => undefined)) out.push(path);
  return out;
}

export function decode(line: Buffer): LogEntry | undefined {
  if (line.length === 0) return undefined;
  try {
    const j = JSON.parse(line.toString('utf8')) as { log?: unknown; stream?: unknown; time?: unknown };
    if (typeof j.log !== 'string' || typeof j.time !== 'string') return undefined;
    const timeNano = parseRfc3339Nano(j.time);
    return {
      stream: j.stream === 'stderr' ? 'stderr' : 'stdout',
      time: new Date(Number(timeNano / 1_000_000n)),
      timestamp: j.time,
      timeNano,
      line: Buffer.from(j.log, 'utf8'),
    };
  } catch {
    return undefined;
  }
}

async function* readLines(file: string): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    let rest: Buffer = Buffer.alloc(0);
    let offset = 0;
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      const data = rest.length > 0 ? Buffer.concat([rest, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(0x0a); nl !== -1; nl = data.indexOf(0x0a, start)) {
        yield data.subarray(start, nl);
        start = nl + 1;
      }
      rest = Buffer.from(data.subarray(start));
    }
    if (rest.length > 0) yield rest;
  } finally {
    await fh.close();
  }
}

/** The last n lines across files (newest file read backwards first), returned oldest first. */
export async function tailLines(files: readonly string[], n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = files.length - 1; i >= 0 && out.length < n; i--) {
    const got = await tailOfFile(files[i] as string, n - out.length);
    out.unshift(...got);
  }
  return out;
}

async function tailOfFile(file: string, n: number): Promise<Buffer[]> {
  if (n <= 0) return [];
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) return [];
  try {
    let pos = (await fh.stat()).size;
    let tailBuf: Buffer = Buffer.alloc(0);
    let count = 0;
    while (pos > 0) {
      const size = Math.min(CHUNK, pos);
      pos -= size;
      const buf = Buffer.alloc(size);
      await fh.read(buf, 0, size, pos);
      tailBuf = Buffer.concat([buf, tailBuf]);
      count = countLines(tailBuf);
      if (count > n) break;
    }
    const lines: Buffer[] = [];
    let end = tailBuf.length;
    if (end > 0 && tailBuf[end - 1] === 0x0a) end--;
    while (lines.length < n && end > 0) {
      const nl = tailBuf.lastIndexOf(0x0a, end - 1);
      if (nl === -1 && pos > 0) break; // incomplete first line of a partial read
      lines.unshift(tailBuf.subarray(nl + 1, end));
      end = nl;
    }
    return lines.filter((l) => l.length > 0);
  } finally {
    await fh.close();
  }
}

function countLines(buf: Buffer): number {
  let c = 0;
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) c++;
  return c;
}
