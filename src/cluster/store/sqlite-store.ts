/**
 * The embedded datastore: kine's revision table in SQLite (WAL), with group
 * commit for writes and a single log reader fanning out to watchers.
 * See docs/cluster-store.md for the schema and the reasoning.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { invalidArgument, logger, unavailable } from '../../core/index.js';
import { prefixEnd, rangeStart } from './key-range.js';
import { expired, futureRevision } from './revision-errors.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { rowToKeyValue, SqliteRevisionLog, type SqliteSynchronous } from './sqlite-revision-log.js';
import { applyWrite, type WriteDone, type WriteOp } from './sqlite-write-ops.js';
import { WatchHub } from './sqlite-watch-hub.js';
import type { KeyValue, ListOptions, ListResult, Store, WatchBatch, WatchOptions } from './types.js';

const log = logger('store.sqlite');

export interface SqliteStoreOptions {
  /** Database file ('' or ':memory:' for a throwaway in-memory store). */
  path: string;
  /** 'full' (default): fsync every commit; 'normal': survive process crashes, not power loss. */
  synchronous?: SqliteSynchronous;
  /** Poll for other processes' writes while watched (default 1000 ms). */
  pollIntervalMs?: number;
  /** Idle time before a progressNotify watcher gets a progress batch (default 5000 ms). */
  progressIntervalMs?: number;
  /** Most writes per group-commit transaction (default 1000). */
  maxBatch?: number;
  /** Queued events at which a slow watcher reverts to catch-up reads (default 10000). */
  maxBufferedEvents?: number;
}

/** Revisions deleted per compaction transaction, so compaction never blocks writers for long. */
const COMPACT_CHUNK = 5000;

export class SqliteStore implements Store {
  readonly ready: Promise<void> = Promise.resolve();
  private readonly revisions: SqliteRevisionLog;
  private readonly writes: GroupCommit<WriteDone & { key: string }>;
  private readonly hub: WatchHub;
  private closed = false;
  private compacting: Promise<void> = Promise.resolve();

  constructor(options: SqliteStoreOptions) {
    const file = options.path !== '' && options.path !== ':memory:';
    if (file) mkdirSync(dirname(options.path), { recursive: true });
    const synchronous = options.synchronous ?? 'full';
    this.revisions = new SqliteRevisionLog(options.path, { synchronous });
    this.hub = new WatchHub(this.revisions, {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      progressIntervalMs: options.progressIntervalMs ?? 5000,
      pageSize: 1000,
      maxBufferedEvents: options.maxBufferedEvents ?? 10_000,
    });
    this.writes = new GroupCommit(
      (fn) => this.revisions.transaction(fn),
      // The batch's rows are known: the hub reads the log only if a watcher wants one of them.
      (written) => this.hub.afterLocalCommit(written.map((w) => ({ key: w.key, revision: w.modRevision }))),
      { maxBatch: options.maxBatch ?? 1000 },
    );
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const done = await this.submit({ op: 'create', key, value });
    return { key, value, createRevision: done.createRevision, modRevision: done.modRevision };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    const done = await this.submit({ op: 'update', key, value, expected: expectedModRevision });
    return { key, value, createRevision: done.createRevision, modRevision: done.modRevision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const done = await this.submit(expectedModRevision === undefined ? { op: 'delete', key } : { op: 'delete', key, expected: expectedModRevision });
    return { key, value: done.value ?? new Uint8Array(), createRevision: done.createRevision, modRevision: done.modRevision };
  }

  /** Queues a write for the next group commit. */
  private submit(op: WriteOp): Promise<WriteDone> {
    return this.writes.submit(() => ({ key: op.key, ...applyWrite(this.revisions, op) }));
  }

  async get(key: string, revision?: number): Promise<KeyValue | undefined> {
    // The latest row needs no revision bound (one query instead of two on the hot path).
    const row = revision === undefined || revision <= 0 ? (this.assertOpen(), this.revisions.latest(key)) : this.revisions.at(key, this.readRevision(revision));
    return row === undefined || row.deleted === 1 ? undefined : rowToKeyValue(row);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const revision = this.readRevision(options.revision);
    const lo = rangeStart(prefix, options.startKey);
    const hi = prefixEnd(prefix);
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : -1;
    // One row more than asked tells whether there is more.
    const rows = this.revisions.list(lo, hi, revision, limit < 0 ? -1 : limit + 1);
    const more = limit > 0 && rows.length > limit;
    const kvs = (more ? rows.slice(0, limit) : rows).map(rowToKeyValue);
    const count = more ? this.revisions.count(lo, hi, revision) : kvs.length;
    return { kvs, revision, more, count };
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.revisions.lastRevision();
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.revisions.compactedRevision();
  }

  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchBatch> {
    if (this.closed) return failing(unavailable('store is closed'));
    return this.hub.subscribe(prefix, options);
  }

  compact(revision: number): Promise<void> {
    // One compaction at a time; each runs in chunks with the event loop free in between.
    const run = this.compacting.then(() => this.compactChunks(revision));
    this.compacting = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writes.close();
    await this.compacting;
    this.hub.close();
    this.revisions.close();
  }

  private async compactChunks(target: number): Promise<void> {
    this.assertOpen();
    const current = this.revisions.lastRevision();
    if (target > current) throw invalidArgument(`cannot compact to future revision ${target} (current ${current})`);
    let from = this.revisions.compactedRevision();
    if (target <= from) return;
    this.hub.pump(); // live watchers must have read the rows compaction may remove
    let deleted = 0;
    while (from < target) {
      if (this.closed) throw unavailable('store closed during compaction');
      const upTo = Math.min(from + COMPACT_CHUNK, target);
      deleted += this.revisions.compactStep(from, upTo, target);
      from = upTo;
      if (from < target) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    log.debug('compacted', { revision: target, deleted });
  }

  /** Resolves 0/undefined to the current revision and checks the range. */
  private readRevision(revision: number | undefined): number {
    this.assertOpen();
    const current = this.revisions.lastRevision();
    if (revision === undefined || revision <= 0) return current;
    if (revision > current) throw futureRevision(revision, current);
    const compacted = this.revisions.compactedRevision();
    if (revision < compacted) throw expired(revision, compacted);
    return revision;
  }

  private assertOpen(): void {
    if (this.closed) throw unavailable('store is closed');
  }
}

async function* failing(error: Error): AsyncGenerator<WatchBatch, void, undefined> {
  throw error;
}
