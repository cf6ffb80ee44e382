/**
 * Watch fan-out for the SQLite store: one reader follows the revision log
 * and hands each new page of events to every live watcher, grouped by
 * prefix, so 100+ watchers cost one SQL read per commit (not one poll each).
 *
 * The reader runs right after every local commit (no poll latency for
 * in-process writers) and on a timer while anyone watches, which picks up
 * writes from other processes sharing the database file and drives
 * progress notifications. A new or lagging watcher first catches up with
 * its own paged reads, then joins the live fan-out in the same synchronous
 * step as its last read, so there is neither a gap nor a duplicate.
 */
import { logger } from '../../core/index.js';
import { prefixEnd } from './key-range.js';
import { expired } from './revision-errors.js';
import { rowToEvent, type RevisionRow } from './sqlite-revision-log.js';
import type { WatchBatch, WatchEvent, WatchOptions } from './types.js';
import { WatchSubscription, type WatchSource } from './watch-subscription.js';

const log = logger('store.sqlite.watch');

/** The part of the revision log the hub reads. */
export interface HubLog {
  read(after: number, upTo: number, lo: string, hi: string | undefined, limit: number): RevisionRow[];
  lastRevision(): number;
  compactedRevision(): number;
}

export interface WatchHubOptions {
  /** How often to look for writes from other processes while anyone watches. */
  pollIntervalMs: number;
  /** Idle time after which a progressNotify watcher gets a progress batch. */
  progressIntervalMs: number;
  /** Rows per read. */
  pageSize: number;
  /** Queue length at which a slow watcher is switched back to catch-up reads. */
  maxBufferedEvents: number;
}

export class WatchHub implements WatchSource {
  /** Every row up to here has been handed to the live watchers. */
  private lastRead: number;
  private readonly groups = new Map<string, Set<WatchSubscription>>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly revisions: HubLog,
    private readonly options: WatchHubOptions,
  ) {
    this.lastRead = revisions.lastRevision();
  }

  subscribe(prefix: string, options: WatchOptions): AsyncIterable<WatchBatch> {
    return new WatchSubscription(prefix, options, this, this.options.maxBufferedEvents).iterate();
  }

  /** Catch-up reads for sub from its position, then join the live fan-out. */
  async start(sub: WatchSubscription): Promise<void> {
    const hi = prefixEnd(sub.prefix);
    const { pageSize } = this.options;
    for (;;) {
      if (this.closed) return sub.end();
      if (this.groups.size === 0) this.pump(); // lastRead is only maintained while someone watches
      const upTo = this.lastRead;
      const rows = sub.position < upTo ? this.revisions.read(sub.position, upTo, sub.prefix, hi, pageSize) : [];
      // Check after reading: a compaction that raced the read is caught too.
      const compacted = this.revisions.compactedRevision();
      if (sub.position + 1 < compacted) throw expired(sub.position + 1, compacted);
      if (rows.length === pageSize) {
        const events = rows.map(rowToEvent);
        sub.push({ events, revision: events[events.length - 1]!.kv.modRevision });
        if (!sub.active) return; // fell behind or went away: resumed later by the subscription
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      // Last page: everything up to lastRead is queued; join in this same step.
      if (rows.length > 0) sub.push({ events: rows.map(rowToEvent), revision: upTo });
      else if (sub.position < upTo) sub.position = upTo;
      if (!sub.active) return;
      this.attach(sub);
      return;
    }
  }

  stop(sub: WatchSubscription): void {
    const group = this.groups.get(sub.prefix);
    if (group === undefined || !group.delete(sub)) return;
    if (group.size === 0) this.groups.delete(sub.prefix);
    if (this.groups.size === 0) this.stopTimer();
  }

  /**
   * After a local commit whose rows are known (keys and revisions, in
   * order): when they directly follow what was read and no watcher's prefix
   * matches any of their keys, there is nothing to read or deliver, so the
   * position just moves on. Otherwise a normal pump.
   */
  afterLocalCommit(written: readonly { key: string; revision: number }[]): void {
    const first = written[0];
    const last = written[written.length - 1];
    if (this.closed || first === undefined || last === undefined) return this.pump();
    const contiguous = first.revision === this.lastRead + 1 && last.revision === first.revision + written.length - 1;
    const watched = (key: string): boolean => {
      for (const prefix of this.groups.keys()) if (key.startsWith(prefix)) return true;
      return false;
    };
    if (contiguous && !written.some((w) => watched(w.key))) {
      this.lastRead = last.revision;
      return;
    }
    this.pump();
  }

  /** Reads new rows and fans them out. Synchronous: call after every local commit. */
  pump(): void {
    if (this.closed) return;
    if (this.groups.size === 0) {
      this.lastRead = Math.max(this.lastRead, this.revisions.lastRevision());
      return;
    }
    const compacted = this.revisions.compactedRevision();
    if (this.lastRead + 1 < compacted) {
      // Another process compacted past rows we had not read: nobody can be served exactly.
      log.warn('watch reader fell behind compaction; expiring watchers', { lastRead: this.lastRead, compacted });
      for (const sub of this.allSubscriptions()) sub.fail(expired(this.lastRead + 1, compacted));
      this.lastRead = this.revisions.lastRevision();
      return;
    }
    const { pageSize } = this.options;
    for (;;) {
      const rows = this.revisions.read(this.lastRead, Number.MAX_SAFE_INTEGER, '', undefined, pageSize);
      if (rows.length === 0) return;
      const events = rows.map(rowToEvent);
      const revision = events[events.length - 1]!.kv.modRevision;
      this.fanOut(events, revision);
      this.lastRead = revision;
      if (rows.length < pageSize) return;
    }
  }

  /** Ends every watch (store closing). */
  close(): void {
    this.closed = true;
    for (const sub of this.allSubscriptions()) sub.end();
    this.groups.clear();
    this.stopTimer();
  }

  get watcherCount(): number {
    let n = 0;
    for (const group of this.groups.values()) n += group.size;
    return n;
  }

  private fanOut(events: WatchEvent[], revision: number): void {
    for (const [prefix, group] of this.groups) {
      const matched = prefix === '' ? events : events.filter((e) => e.kv.key.startsWith(prefix));
      if (matched.length === 0) continue;
      // One shared batch per prefix; push() copies only when it must drop events.
      for (const sub of [...group]) sub.push({ events: matched, revision });
    }
  }

  private attach(sub: WatchSubscription): void {
    let group = this.groups.get(sub.prefix);
    if (group === undefined) this.groups.set(sub.prefix, (group = new Set()));
    group.add(sub);
    this.startTimer();
  }

  private tick(): void {
    try {
      this.pump();
    } catch (err) {
      log.error('watch poll failed', { err });
      return;
    }
    const now = performance.now();
    for (const sub of this.allSubscriptions()) {
      if (sub.progressNotify && now - sub.lastPushAt >= this.options.progressIntervalMs) {
        sub.push({ events: [], revision: Math.max(this.lastRead, sub.position) });
      }
    }
  }

  private startTimer(): void {
    if (this.timer !== undefined) return;
    const interval = Math.min(this.options.pollIntervalMs, Math.max(10, this.options.progressIntervalMs / 2));
    this.timer = setInterval(() => this.tick(), interval);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private allSubscriptions(): WatchSubscription[] {
    return [...this.groups.values()].flatMap((group) => [...group]);
  }
}
