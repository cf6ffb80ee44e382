/**
 * The revisioned key-value interface every cluster datastore implements
 * (kine's model: one global, monotonically increasing revision; every write
 * creates a new revision; watches replay the revision log).
 *
 * Errors (from core/errors): AlreadyExists on create of a live key,
 * NotFound on update/delete of a missing key, Conflict when an expected
 * modRevision does not match, FailedPrecondition with details.reason
 * 'Expired' when a requested revision is older than the compacted one.
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
  kvs: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys match past the last returned one. */
  more: boolean;
  /** Total number of keys matching the prefix at that revision. */
  count: number;
}

export interface WatchOptions {
  /** Deliver events with revision > afterRevision. */
  afterRevision: number;
  signal: AbortSignal;
  /** Ask the store to report progress (for bookmarks) when idle. */
  progressNotify?: boolean;
}

export interface WatchBatch {
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
  compactedRevision(): Promise<number>;
  /** An async stream of event batches for keys under prefix. Ends when the signal aborts. */
  watch(prefix: string, options: WatchOptions): AsyncIterable<WatchBatch>;
  /** Drop history older than revision (never the latest value of a live key). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
