/**
 * How many idle monitors to keep: the configured base, raised to the largest
 * number of starts seen in flight at once recently, so that the next burst
 * of that size finds its monitors ready. A burst is remembered for
 * `memoryMs`, then the pool shrinks back to the base. Sequential starts,
 * however frequent, need one monitor at a time and do not grow it.
 */
export class PoolSizer {
  private peak = 0;
  private peakAt = 0;

  constructor(
    private readonly base: number,
    private readonly max: number,
    private readonly memoryMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `concurrent` starts are in flight now (counting the one just begun). */
  observe(concurrent: number): void {
    const t = this.now();
    if (concurrent >= this.peak || t - this.peakAt > this.memoryMs) {
      this.peak = concurrent;
      this.peakAt = t;
    }
  }

  target(): number {
    const remembered = this.now() - this.peakAt <= this.memoryMs ? this.peak : 0;
    return Math.max(this.base, Math.min(this.max, remembered));
  }
}
