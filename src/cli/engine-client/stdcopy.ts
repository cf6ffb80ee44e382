/**
 * Docker's multiplexed stream (non-TTY attach, exec and logs): frames of
 * `[stream, 0, 0, 0, size_be32]` followed by `size` bytes; stream 0 or 1 is
 * stdout, 2 stderr, 3 a daemon error that ends the stream.
 */
export interface Frame {
  stream: number;
  payload: Buffer;
}

/** Incremental frame parser: feed it chunks, get whole frames back. */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      frames.push({ stream: this.pending[0]!, payload: this.pending.subarray(8, 8 + size) });
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }

  /** Bytes of an incomplete frame left at the end of the stream. */
  get leftover(): number {
    return this.pending.length;
  }
}

export interface DemuxTargets {
  stdout?: NodeJS.WritableStream | undefined;
  stderr?: NodeJS.WritableStream | undefined;
}

/**
 * Copies a multiplexed stream to stdout/stderr, honouring back-pressure.
 * Rejects with the daemon's message on a stream-3 (system error) frame.
 */
export function demuxStream(source: NodeJS.ReadableStream, targets: DemuxTargets): Promise<void> {
  const parser = new FrameParser();
  return new Promise((resolve, reject) => {
    let failed = false;
    const onData = (chunk: Buffer): void => {
      let blocked: NodeJS.WritableStream | undefined;
      for (const f of parser.push(chunk)) {
        if (f.stream === 3) {
          failed = true;
          source.removeListener('data', onData);
          reject(new Error(f.payload.toString('utf8')));
          return;
        }
        const target = f.stream === 2 ? targets.stderr : targets.stdout;
        if (target && !target.write(f.payload)) blocked = target;
      }
      if (blocked) {
        source.pause();
        blocked.once('drain', () => source.resume());
      }
    };
    source.on('data', onData);
    source.once('end', () => {
      if (!failed) resolve();
    });
    source.once('close', () => {
      if (!failed) resolve();
    });
    source.once('error', (err: Error) => {
      if (!failed) reject(err);
    });
  });
}
