/**
 * The SQLite schema and every statement the SQLite store runs, kine style:
 * one append-only table `revisions` whose autoincrement id is the revision.
 * A create, update or delete inserts one row; compaction deletes superseded
 * rows. All methods are synchronous (better-sqlite3); the store decides when
 * they run.
 */
import Database from 'better-sqlite3';
import type { KeyValue, WatchEvent } from './types.js';

export type SqliteSynchronous = 'full' | 'normal';

export interface RevisionRow {
  id: number;
  name: string;
  /** 1 on the first row of a key's generation (create). */
  created: number;
  /** 1 on a deletion row (tombstone). */
  deleted: number;
  /** Create revision of the key's generation; 0 on created rows (it is their id). */
  create_revision: number;
  /** id of the key's previous row, 0 if none. */
  prev_revision: number;
  /** New value; on a deletion row, the value that was deleted. */
  value: Buffer;
  /** Value before this row (updates and deletes), for prevKv without a second read. */
  old_value: Buffer | null;
}

export type NewRow = Omit<RevisionRow, 'id'>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS revisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value BLOB NOT NULL,
  old_value BLOB
);
-- (name, id) finds a key's rows; deleted makes it covering for counts.
CREATE INDEX IF NOT EXISTS revisions_name_id_deleted ON revisions (name, id, deleted);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

const COLUMNS = 'id, name, created, deleted, create_revision, prev_revision, value, old_value';
// Live rows of keys in [lo, hi) as of a revision: rows with no newer row of
// the same key at or below it. Walks the (name, id) index in key order, so a
// LIMITed page stops early instead of grouping the whole range first.
const LIVE_IN_RANGE = (columns: string, hasHi: boolean): string =>
  `SELECT ${columns} FROM revisions r WHERE r.name >= @lo ${hasHi ? 'AND r.name < @hi' : ''}
   AND r.id <= @rev AND r.deleted = 0
   AND NOT EXISTS (SELECT 1 FROM revisions n WHERE n.name = r.name AND n.id > r.id AND n.id <= @rev)`;

export function rowToKeyValue(row: RevisionRow): KeyValue {
  return {
    key: row.name,
    value: row.value,
    createRevision: row.created === 1 ? row.id : row.create_revision,
    modRevision: row.id,
  };
}

export function rowToEvent(row: RevisionRow): WatchEvent {
  const kv = rowToKeyValue(row);
  if (row.created === 1) return { type: 'put', kv };
  const prevKv: KeyValue = {
    key: row.name,
    value: row.old_value ?? row.value,
    createRevision: kv.createRevision,
    modRevision: row.prev_revision,
  };
  return { type: row.deleted === 1 ? 'delete' : 'put', kv, prevKv };
}

export class SqliteRevisionLog {
  readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string, options: { synchronous: SqliteSynchronous }) {
    this.db = new Database(path, { timeout: 5000 });
    this.db.pragma('journal_mode = WAL');
    // FULL fsyncs the WAL on every commit (power-loss safe); NORMAL is still
    // safe against a process crash. Group commit makes FULL affordable.
    this.db.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmts = {
      latest: db.prepare(`SELECT ${COLUMNS} FROM revisions WHERE name = ? ORDER BY id DESC LIMIT 1`),
      at: db.prepare(`SELECT ${COLUMNS} FROM revisions WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`),
      insert: db.prepare(
        `INSERT INTO revisions (name, created, deleted, create_revision, prev_revision, value, old_value)
         VALUES (@name, @created, @deleted, @create_revision, @prev_revision, @value, @old_value)`,
      ),
      lastRevision: db.prepare('SELECT COALESCE(MAX(id), 0) AS rev FROM revisions').pluck(),
      compacted: db.prepare(`SELECT value FROM meta WHERE key = 'compact_revision'`).pluck(),
      setCompacted: db.prepare(`INSERT INTO meta (key, value) VALUES ('compact_revision', ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      list: [false, true].map((hasHi) =>
        db.prepare(`${LIVE_IN_RANGE(COLUMNS.replace(/(\w+)/g, 'r.$1'), hasHi)} ORDER BY r.name LIMIT @limit`),
      ),
      count: [false, true].map((hasHi) => db.prepare(LIVE_IN_RANGE('COUNT(*)', hasHi)).pluck()),
      read: [false, true].map((hasHi) =>
        db.prepare(`SELECT ${COLUMNS} FROM revisions WHERE id > @after AND id <= @upTo
          AND name >= @lo ${hasHi ? 'AND name < @hi' : ''} ORDER BY id LIMIT @limit`),
      ),
      // Rows superseded by a row in the window (from, upTo], upTo <= target.
      compactSuperseded: db.prepare(`DELETE FROM revisions WHERE id IN
          (SELECT prev_revision FROM revisions WHERE id > @from AND id <= @upTo AND prev_revision > 0)`),
      // Tombstones in the window below target: the key is absent at target either way.
      compactTombstones: db.prepare(`DELETE FROM revisions
          WHERE id >= @from AND id <= @upTo AND id < @target AND deleted = 1`),
    };
  }

  latest(name: string): RevisionRow | undefined {
    return this.stmts.latest.get(name) as RevisionRow | undefined;
  }

  /** The key's row as of revision (possibly a tombstone). */
  at(name: string, revision: number): RevisionRow | undefined {
    return this.stmts.at.get(name, revision) as RevisionRow | undefined;
  }

  insert(row: NewRow): number {
    return Number(this.stmts.insert.run(row).lastInsertRowid);
  }

  lastRevision(): number {
    return this.stmts.lastRevision.get() as number;
  }

  compactedRevision(): number {
    return (this.stmts.compacted.get() as number | undefined) ?? 0;
  }

  /** Live rows in [lo, hi) as of revision, by key, at most limit. */
  list(lo: string, hi: string | undefined, revision: number, limit: number): RevisionRow[] {
    const stmt = this.stmts.list[hi === undefined ? 0 : 1]!;
    return stmt.all({ lo, ...(hi === undefined ? {} : { hi }), rev: revision, limit }) as RevisionRow[];
  }

  count(lo: string, hi: string | undefined, revision: number): number {
    const stmt = this.stmts.count[hi === undefined ? 0 : 1]!;
    return stmt.get({ lo, ...(hi === undefined ? {} : { hi }), rev: revision }) as number;
  }

  /** Rows with after < id <= upTo and name in [lo, hi), in revision order. */
  read(after: number, upTo: number, lo: string, hi: string | undefined, limit: number): RevisionRow[] {
    const stmt = this.stmts.read[hi === undefined ? 0 : 1]!;
    return stmt.all({ after, upTo, lo, ...(hi === undefined ? {} : { hi }), limit }) as RevisionRow[];
  }

  /**
   * One compaction step over the window (from, upTo] towards target, in its
   * own transaction. Rows superseded by a row at or below `from` went in
   * earlier steps, so walking the window forward in chunks covers everything
   * without rescanning the whole table.
   */
  compactStep(from: number, upTo: number, target: number): number {
    return this.transaction(() => {
      let changes = this.stmts.compactSuperseded.run({ from, upTo }).changes;
      changes += this.stmts.compactTombstones.run({ from, upTo, target }).changes;
      if (upTo >= target) this.stmts.setCompacted.run(target);
      return changes;
    });
  }

  /** Runs fn in one write transaction (BEGIN IMMEDIATE: take the write lock up front). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}
