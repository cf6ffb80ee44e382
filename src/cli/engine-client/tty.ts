/**
 * Terminal handling for attached containers and execs: raw mode on the
 * client's stdin while streaming, the terminal size as `[rows, cols]`, and
 * resize calls on start and on every SIGWINCH, as the docker CLI does.
 */
import type { ReadStream } from 'node:tty';

export type TtySize = [rows: number, cols: number];

/** `[rows, cols]` of a terminal stream, `[0, 0]` when it is not one. */
export function ttySize(stream: NodeJS.WriteStream = process.stdout): TtySize {
  if (!stream.isTTY) return [0, 0];
  return [stream.rows ?? 0, stream.columns ?? 0];
}

/** Puts stdin in raw mode when it is a terminal; returns the restore function (idempotent). */
export function setRawTerminal(stdin: NodeJS.ReadStream = process.stdin): () => void {
  const tty = stdin as ReadStream;
  if (!tty.isTTY || typeof tty.setRawMode !== 'function') return () => {};
  const was = tty.isRaw;
  tty.setRawMode(true);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    try {
      tty.setRawMode(was);
    } catch {
      /* the terminal went away */
    }
  };
}

/**
 * Sends the current size now (retrying a few times, since a fresh exec may
 * not accept it yet) and again on every window change; returns a stop function.
 */
export function monitorTtySize(resize: (size: TtySize) => Promise<void>, out: NodeJS.WriteStream = process.stdout): () => void {
  let stopped = false;
  const send = async (retries: number): Promise<void> => {
    const size = ttySize(out);
    if (size[0] === 0 && size[1] === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await resize(size);
        return;
      } catch {
        if (stopped || attempt >= retries) return;
        await new Promise((r) => setTimeout(r, 10 * (attempt + 1)));
      }
    }
  };
  void send(5);
  const onResize = (): void => void send(0);
  out.on('resize', onResize);
  return () => {
    stopped = true;
    out.removeListener('resize', onResize);
  };
}

/** term.ToBytes: "ctrl-p,ctrl-q" or single characters, comma-separated. */
export function parseDetachKeys(keys: string): Buffer {
  const out: number[] = [];
  for (const key of keys.split(',')) {
    const k = key.trim();
    if (k.length > 1 && k.toLowerCase().startsWith('ctrl-')) {
      const c = k.slice(5).toLowerCase();
      if (c.length !== 1) throw new Error(`Unknown character: '${k}'`);
      const code = c.charCodeAt(0);
      if (c >= 'a' && c <= 'z') out.push(code - 96);
      else if (c === '@') out.push(0);
      else if ('[\\]^_'.includes(c)) out.push(code - 64);
      else throw new Error(`Unknown character: '${k}'`);
    } else if (k.length === 1) out.push(k.charCodeAt(0));
    else throw new Error(`Unknown character: '${k}'`);
  }
  return Buffer.from(out);
}

export const DEFAULT_DETACH_KEYS = Buffer.from([16, 17]);

/**
 * term.NewEscapeProxy: holds back a partial detach sequence; passes it on
 * when the next byte breaks the match; reports when the sequence is complete.
 */
export class EscapeProxy {
  private matched = 0;
  constructor(private readonly keys: Buffer) {}

  /** Bytes to forward, and whether the detach sequence was typed. */
  feed(chunk: Buffer): { data: Buffer; detached: boolean } {
    const out: number[] = [];
    for (const byte of chunk) {
      if (this.keys.length > 0 && byte === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) return { data: Buffer.from(out), detached: true };
        continue;
      }
      if (this.matched > 0) {
        out.push(...this.keys.subarray(0, this.matched));
        this.matched = 0;
        if (byte === this.keys[0]) {
          this.matched = 1;
          continue;
        }
      }
      out.push(byte);
    }
    return { data: Buffer.from(out), detached: false };
  }
}
