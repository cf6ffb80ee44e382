/**
 * Group commit for the SQLite store. better-sqlite3 is synchronous, so a
 * commit (with its fsync) blocks the event loop; instead of one transaction
 * per write, writes that arrive in the same tick queue up and run in one
 * transaction on the next tick. Each write is still checked and applied in
 * arrival order inside that transaction, so results are exactly those of
 * running them one by one; a write's promise settles only after the commit
 * returned, so an acknowledged write is on disk.
 */
import { isBerthError, logger, unavailable } from '../../core/index.js';

const log = logger('store.sqlite');

export interface GroupCommitOptions {
  /** Most writes in one transaction; the rest wait for the next tick. */
  maxBatch: number;
}

interface Pending<T> {
  apply: () => T;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private scheduled = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: (() => void) | undefined;

  /**
   * @param transaction runs its callback in one write transaction.
   * @param afterCommit runs synchronously after each commit, before any promise settles, with the values of the writes that succeeded (in order).
   */
  constructor(
    private readonly transaction: (fn: () => void) => void,
    private readonly afterCommit: (committed: T[]) => void,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Queues a write; apply runs inside the shared transaction and may throw a BerthError for this write alone. */
  submit(apply: () => T): Promise<T> {
    if (this.closed) return Promise.reject(unavailable('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        this.idle = new Promise((r) => (this.markIdle = r));
        setImmediate(() => this.flush());
      }
    });
  }

  /** Refuses new writes and waits for the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle;
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.options.maxBatch);
    const outcomes: ({ ok: true; value: T } | { ok: false; error: unknown })[] = [];
    try {
      this.transaction(() => {
        outcomes.length = 0; // fresh if the transaction is retried
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: item.apply() });
          } catch (error) {
            // A refused write (conflict, not found, ...) inserts nothing; anything else aborts the batch.
            if (!isBerthError(error)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(isBerthError(error) ? error : unavailable('write failed', { cause: error }));
      this.afterFlush();
      return;
    }
    try {
      this.afterCommit(outcomes.flatMap((o) => (o.ok ? [o.value] : [])));
    } catch (err) {
      log.error('after-commit hook failed', { err }); // the writes are committed regardless
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
    this.afterFlush();
  }

  private afterFlush(): void {
    if (this.queue.length > 0) {
      setImmediate(() => this.flush());
      return;
    }
    this.scheduled = false;
    this.markIdle?.();
  }
}
