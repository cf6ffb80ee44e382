/**
 * Keeps garbage collection from running while an operation is assembling
 * an image (load, import, commit, pull): between unpacking a layer and
 * recording the image, nothing references that layer yet. Operations hold
 * the gate; a collection asked for meanwhile runs when the last one ends.
 */
export class GcGate {
  private active = 0;
  private running: Promise<unknown> | undefined;
  private pending: (() => Promise<unknown>) | undefined;

  async hold<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running) await this.running.catch(() => undefined);
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      if (this.active === 0 && this.pending) {
        // Finish the deferred collection before the operation reports back, so callers see a clean store.
        const next = this.pending;
        this.pending = undefined;
        await this.collect(next).catch(() => undefined);
      }
    }
  }

  /** Runs `fn` now, or later (returning undefined) when operations are in flight. */
  async collect<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.active > 0) {
      this.pending = fn;
      return undefined;
    }
    while (this.running) await this.running.catch(() => undefined);
    const run = fn();
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }
}
