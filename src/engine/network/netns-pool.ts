import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { errorMessage } from '../../core/index.js';
import type { DnsTarget, NetnsOps } from '../../platform/linux/network-host.js';
import { log, shortId } from './context.js';

export interface PooledNetns {
  sandboxId: string;
  path: string;
  /** Where its 127.0.0.11 points. */
  dns?: DnsTarget;
}

const REFILL_DELAY_MS = 150;

/**
 * A few empty namespaces (loopback up) made ahead of time, so that a
 * container start does not wait for one: the same idea as the runtime's
 * monitor pool. Refills run after the start that used one, not during it.
 * A namespace is named after the sandbox id it will belong to, as dockerd
 * names `SandboxKey`.
 */
export class NetnsPool {
  private readonly ready: PooledNetns[] = [];
  private filling: Promise<void> | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly netns: NetnsOps,
    private readonly dir: string,
    private readonly size: number,
    /** The embedded DNS new namespaces redirect 127.0.0.11 to. */
    private readonly dns: () => DnsTarget | undefined,
  ) {}

  owns(path: string): boolean {
    return this.ready.some((n) => n.path === path);
  }

  /** A ready namespace, or a fresh one when the pool is empty (or its redirect is outdated). */
  async take(): Promise<PooledNetns> {
    const ready = this.ready.shift();
    if (ready && sameTarget(ready.dns, this.dns())) return ready;
    if (ready) void this.netns.remove(ready.path).catch(() => {});
    return this.make();
  }

  /** Tops the pool up a little later (after the start that used one is past its forks). */
  refillSoon(delayMs = REFILL_DELAY_MS): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
    }, delayMs);
    this.timer.unref();
  }

  /** Tops the pool up in the background. */
  refill(): void {
    if (this.closed || this.filling || this.ready.length >= this.size) return;
    this.filling = (async () => {
      while (!this.closed && this.ready.length < this.size) this.ready.push(await this.make());
    })()
      .catch((err: unknown) => log.warn('namespace pool refill failed', { err: errorMessage(err) }))
      .finally(() => (this.filling = undefined));
  }

  /** Removes the spare namespaces (daemon stop). */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.filling;
    for (const n of this.ready.splice(0)) await this.netns.remove(n.path).catch(() => {});
  }

  private async make(): Promise<PooledNetns> {
    const sandboxId = randomBytes(32).toString('hex');
    const path = join(this.dir, shortId(sandboxId));
    const dns = this.dns();
    await this.netns.create(path, dns ? { dns } : {});
    return { sandboxId, path, ...(dns ? { dns } : {}) };
  }
}

export function sameTarget(a: DnsTarget | undefined, b: DnsTarget | undefined): boolean {
  return a?.ip === b?.ip && a?.port === b?.port;
}
