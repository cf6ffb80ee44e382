/**
 * The SQLite store's writes as data: each op is checked (exists? expected
 * modRevision?) and inserted inside the caller's (group-commit)
 * transaction; a refused op throws the store's BerthError and inserts
 * nothing.
 */
import { alreadyExists, conflict, notFound } from '../../core/index.js';
import { rowToKeyValue, type RevisionRow, type SqliteRevisionLog } from './sqlite-revision-log.js';

export type WriteOp =
  | { op: 'create'; key: string; value: Uint8Array }
  | { op: 'update'; key: string; value: Uint8Array; expected: number }
  | { op: 'delete'; key: string; expected?: number };

export interface WriteDone {
  createRevision: number;
  modRevision: number;
  /** The deleted value (delete only). */
  value?: Uint8Array;
}

/** Applies one write inside the caller's transaction; throws BerthError when refused. */
export function applyWrite(log: SqliteRevisionLog, w: WriteOp): WriteDone {
  if (w.op === 'create') {
    const latest = log.latest(w.key);
    if (latest !== undefined && latest.deleted === 0) throw alreadyExists(`key ${w.key} already exists`);
    const id = log.insert({ name: w.key, created: 1, deleted: 0, create_revision: 0, prev_revision: latest?.id ?? 0, value: asBuffer(w.value), old_value: null });
    return { createRevision: id, modRevision: id };
  }
  const latest = liveOrThrow(log, w.key, w.expected);
  const createRevision = rowToKeyValue(latest).createRevision;
  if (w.op === 'update') {
    const id = log.insert({ name: w.key, created: 0, deleted: 0, create_revision: createRevision, prev_revision: latest.id, value: asBuffer(w.value), old_value: latest.value });
    return { createRevision, modRevision: id };
  }
  const id = log.insert({ name: w.key, created: 0, deleted: 1, create_revision: createRevision, prev_revision: latest.id, value: latest.value, old_value: latest.value });
  return { createRevision, modRevision: id, value: latest.value };
}

/** The key's live row, checking an expected modRevision. */
function liveOrThrow(log: SqliteRevisionLog, key: string, expectedModRevision: number | undefined): RevisionRow {
  const latest = log.latest(key);
  if (latest === undefined || latest.deleted === 1) throw notFound(`key ${key} not found`);
  if (expectedModRevision !== undefined && latest.id !== expectedModRevision) {
    throw conflict(`key ${key} was modified at revision ${latest.id}, expected ${expectedModRevision}`, {
      details: { currentRevision: latest.id },
    });
  }
  return latest;
}

/** better-sqlite3 binds Buffers, not plain Uint8Arrays; this is a view, not a copy. */
export function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
