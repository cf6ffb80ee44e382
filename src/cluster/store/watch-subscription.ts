/**
 * One watcher's queue between a backend (which pushes batches) and the
 * consumer (which iterates). Shared by both backends so that ordering,
 * de-duplication, slow-consumer handling and cancellation behave the same.
 *
 * A consumer that falls more than maxBufferedEvents behind is not killed:
 * the backend stops pushing, the queue drains, then the backend is asked to
 * start again from the last queued revision (SQLite re-reads its log, etcd
 * re-creates the server-side watch), so memory stays bounded and nothing is
 * lost unless that revision has been compacted meanwhile (then: Expired).
 */
import type { WatchBatch, WatchOptions } from './types.js';

/** What a backend offers a subscription. */
export interface WatchSource {
  /**
   * Deliver, via sub.push(), every event under sub.prefix with revision >
   * sub.position until stop(). Throwing (or sub.fail) ends the watch with that error.
   */
  start(sub: WatchSubscription): void | Promise<void>;
  /** Stop pushing to sub (the consumer went away or fell behind). */
  stop(sub: WatchSubscription): void;
}

type State = 'new' | 'active' | 'lagging' | 'done';

export class WatchSubscription {
  readonly prefix: string;
  readonly progressNotify: boolean;
  /** Highest revision queued so far; the resume point. */
  position: number;
  /** performance.now() of the last push, for progress notification. */
  lastPushAt = performance.now();

  private readonly queue: WatchBatch[] = [];
  private queuedEvents = 0;
  private state: State = 'new';
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(
    prefix: string,
    private readonly options: WatchOptions,
    private readonly source: WatchSource,
    private readonly maxBufferedEvents: number,
  ) {
    this.prefix = prefix;
    this.progressNotify = options.progressNotify === true;
    this.position = options.afterRevision;
  }

  /** True while the backend should keep pushing. */
  get active(): boolean {
    return this.state === 'active';
  }

  /** Queues a batch, dropping events at or below position (a resumed source may repeat some). */
  push(batch: WatchBatch): void {
    if (this.state !== 'active') return;
    const progressOnly = batch.events.length === 0;
    let events = batch.events;
    const first = events[0];
    if (first !== undefined && first.kv.modRevision <= this.position) {
      events = events.filter((e) => e.kv.modRevision > this.position);
    }
    const last = events[events.length - 1];
    const revision = Math.max(batch.revision, last?.kv.modRevision ?? 0);
    if (events.length === 0 && (!progressOnly || revision < this.position)) {
      this.position = Math.max(this.position, revision); // nothing new to say
      return;
    }
    this.position = Math.max(this.position, revision);
    this.lastPushAt = performance.now();
    const tail = this.queue[this.queue.length - 1];
    if (events.length === 0 && tail !== undefined && tail.events.length === 0) {
      tail.revision = this.position; // coalesce consecutive progress notifications
    } else {
      this.queue.push({ events, revision: this.position });
      this.queuedEvents += events.length;
    }
    if (this.queuedEvents > this.maxBufferedEvents) {
      this.state = 'lagging';
      this.source.stop(this);
    }
    this.notify();
  }

  /** Ends the watch with an error, delivered after the batches already queued. */
  fail(error: unknown): void {
    if (this.state === 'done' || this.failure !== undefined) return;
    this.failure = { error };
    this.detach();
  }

  /** Ends the watch cleanly after the batches already queued (store closing). */
  end(): void {
    this.detach();
  }

  async *iterate(): AsyncGenerator<WatchBatch, void, undefined> {
    const { signal } = this.options;
    if (signal.aborted || this.state !== 'new') return;
    const onAbort = (): void => {
      this.queue.length = 0;
      this.detach();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.state = 'active';
      await this.source.start(this);
      for (;;) {
        const batch = this.queue.shift();
        if (batch !== undefined) {
          this.queuedEvents -= batch.events.length;
          yield batch;
          continue;
        }
        if (this.failure !== undefined) throw this.failure.error;
        const state = this.state as State; // changed by push()/detach() while suspended
        if (state === 'done') return;
        if (state === 'lagging') {
          this.state = 'active';
          await this.source.start(this);
          continue;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.detach();
    }
  }

  private detach(): void {
    if (this.state === 'active') this.source.stop(this);
    this.state = 'done';
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
