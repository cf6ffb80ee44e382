import type { ProgressSink } from '../../engine/images/index.js';

/** Docker's units.HumanSize: four significant digits, decimal units. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(4))}${units[i]}`;
}

/** The `progress` string of a JSONProgress (what a non-terminal CLI would print). */
export function progressBar(current: number, total: number): string {
  if (total <= 0) return humanSize(current).padStart(8);
  const width = 50;
  const filled = Math.min(width, Math.floor((width * current) / total));
  const bar = filled >= width ? '='.repeat(width) + '>' : '='.repeat(filled) + '>' + ' '.repeat(width - filled - 1);
  return `[${bar}]  ${humanSize(current).padStart(8)}/${humanSize(total)}`;
}

/** Per-layer status lines as dockerd writes them for pull and push. */
export class LayerProgress {
  private lastReport = 0;

  constructor(
    private readonly sink: ProgressSink,
    private readonly id: string,
  ) {}

  status(status: string): void {
    this.sink.write({ status, progressDetail: {}, id: this.id });
  }

  /** Byte progress, at most a few times a second (plus the final one). */
  bytes(status: string, current: number, total: number): void {
    const now = Date.now();
    if (current < total && now - this.lastReport < 100) return;
    this.lastReport = now;
    this.sink.write({ status, progressDetail: { current, ...(total > 0 ? { total } : {}) }, progress: progressBar(current, total), id: this.id });
  }
}
