/**
 * How many idle monitors to keep: the configured base, raised to the largest
 * burst of starts seen recently (starts within `windowMs` of each other), so
 * that the next burst of that size finds its monitors ready. A burst is
 * remembered for `memoryMs`, then the pool shrinks back to the base.
 */
export class PoolSizer {
  private readonly recent: number[] = [];
  private peak = 0;
  private peakAt = 0;

  constructor(
    private readonly base: number,
    private readonly max: number,
    private readonly windowMs = 5_000,
    private readonly memoryMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** One monitor was taken for a start. */
  record(): void {
    const t = this.now();
    this.recent.push(t);
    while (this.recent.length > 0 && this.recent[0]! <= t - this.windowMs) this.recent.shift();
    if (this.recent.length >= this.peak || t - this.peakAt > this.memoryMs) {
      this.peak = this.recent.length;
      this.peakAt = t;
    }
  }

  target(): number {
    const remembered = this.now() - this.peakAt <= this.memoryMs ? this.peak : 0;
    return Math.max(this.base, Math.min(this.max, remembered));
  }
}
