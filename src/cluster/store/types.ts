/**
 * The revisioned key-value interface every cluster datastore implements
 * (kine's model: one global, monotonically increasing revision; every
 * successful write creates exactly one new revision; failed writes create
 * none; watches replay the revision log).
 *
 * Errors (BerthError from core/errors):
 * - AlreadyExists on create of a live key;
 * - NotFound on update/delete of a missing (or deleted) key;
 * - Conflict when an expected modRevision does not match
 *   (details.currentRevision = the key's modRevision);
 * - FailedPrecondition with details.reason 'Expired' (and requestedRevision,
 *   compactedRevision) when a requested revision is older than the compacted
 *   one: reads at such a revision and watches starting before it;
 * - FailedPrecondition with details.reason 'FutureRevision' (and
 *   requestedRevision, currentRevision) when reading at a revision the store
 *   has not reached yet;
 * - Unavailable when the store is closed or its backend cannot be reached.
 *
 * Values are not copied: treat the bytes passed in and handed out as
 * immutable (watch batches share them between watchers).
 */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of the last write to this key. */
  modRevision: number;
}

export interface WatchEvent {
  type: 'put' | 'delete';
  /** For 'delete', the key with the deleting revision as modRevision and the last value. */
  kv: KeyValue;
  /** The key before this event: set for updates and deletes, absent for creates. */
  prevKv?: KeyValue;
}

export interface ListOptions {
  /** Read at this revision (0/undefined = latest). */
  revision?: number;
  /** Max keys to return; 0/undefined = all. */
  limit?: number;
  /** Start listing from this key (inclusive), for pagination. */
  startKey?: string;
}

export interface ListResult {
  /** Live keys under the prefix, in byte order of their keys. */
  kvs: KeyValue[];
  /** The revision the list was read at (pass it back as `revision` for the next page). */
  revision: number;
  /** True when more keys match past the last returned one. */
  more: boolean;
  /**
   * Number of keys matching the prefix at that revision from startKey on
   * (all of them when no startKey), as etcd counts a range; so the number
   * remaining after this page is `count - kvs.length`.
   */
  count: number;
}

export interface WatchOptions {
  /** Deliver events with revision > afterRevision (0 = the whole retained history). */
  afterRevision: number;
  signal: AbortSignal;
  /** Ask the store to report progress (for bookmarks) when idle. */
  progressNotify?: boolean;
}

export interface WatchBatch {
  /** Events in revision order; empty on a progress-only batch. */
  events: WatchEvent[];
  /** Store revision this batch brings the watcher up to (also on progress-only batches). */
  revision: number;
}

export interface Store {
  /** Resolves once the store can serve requests. */
  readonly ready: Promise<void>;
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue>;
  /** Deletes; when expectedModRevision is given it must match. Returns the deleted kv (modRevision = deletion revision). */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  get(key: string, revision?: number): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  currentRevision(): Promise<number>;
  /** Oldest revision still readable (0 when never compacted). */
  compactedRevision(): Promise<number>;
  /**
   * An async stream of event batches for keys under prefix, in revision
   * order, without gaps or duplicates. Ends when the signal aborts or the
   * store closes; throws Expired (on the first iteration) when afterRevision
   * + 1 is older than the compacted revision, Unavailable when the backend
   * connection is lost.
   */
  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchBatch>;
  /**
   * Drop history older than revision (never the latest value of a live key);
   * reads at `revision` itself stay possible. A revision at or below the
   * compacted one is a no-op; one above the current revision is InvalidArgument.
   */
  compact(revision: number): Promise<void>;
  /** Ends all watches, waits for acknowledged writes, releases the backend. */
  close(): Promise<void>;
}
