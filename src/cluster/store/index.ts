/**
 * The cluster datastore: a revisioned key-value store (kine's model) on
 * SQLite or etcd, chosen by URL. Other folders import from here only.
 */
export type { KeyValue, ListOptions, ListResult, Store, WatchBatch, WatchEvent, WatchOptions } from './types.js';
export { openStore, parseStoreUrl, type OpenStoreOptions, type StoreLocation } from './open-store.js';
export { startCompactor, type Compactor, type CompactorOptions } from './compactor.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { EtcdStore, type EtcdStoreOptions } from './etcd-store.js';
export { expired, futureRevision, isRevisionError, type RevisionErrorReason } from './revision-errors.js';
export { prefixEnd } from './key-range.js';
