import type { FirewallState } from '../../platform/linux/network-host.js';

interface Waiter {
  generation: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Applies the firewall from the model, coalescing: many changes that arrive
 * while an apply runs are covered by one more apply of the then-current
 * model. Each sync() resolves once an apply that started after it finished.
 */
export class FirewallSync {
  private requested = 0;
  private running = false;
  private waiters: Waiter[] = [];

  constructor(
    private readonly apply: (state: FirewallState) => Promise<void>,
    private readonly state: () => FirewallState,
  ) {}

  sync(): Promise<void> {
    const generation = ++this.requested;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ generation, resolve, reject }));
    if (!this.running) void this.loop();
    return done;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length > 0) {
        const target = this.requested;
        const batch = this.waiters.filter((w) => w.generation <= target);
        this.waiters = this.waiters.filter((w) => w.generation > target);
        try {
          await this.apply(this.state());
          for (const w of batch) w.resolve();
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
