/** SQLite-specific behaviour: durability across SIGKILL, other processes' writes, compaction on disk. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../../src/cluster/store/index.js';
import { collect, dec, enc } from './conformance-helpers.js';

const child = fileURLToPath(new URL('./sqlite-writer-child.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'berth-store-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs the writer child; onKey sees every acknowledged key; resolves with the exit signal/code. */
function runWriter(args: string[], onKey: (key: string, kill: () => void) => void): Promise<NodeJS.Signals | number | null> {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = (): void => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  const lines = createInterface({ input: proc.stdout });
  lines.on('line', (line) => onKey(line, kill));
  const timer = setTimeout(kill, 30_000); // never outlive the test
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? code);
    });
  });
}

test('SIGKILL loses no acknowledged write', async () => {
  const path = join(root, 'durable', 'state.db');
  const acked: string[] = [];
  const exit = await runWriter([path, '/d/', '0', '32'], (key, kill) => {
    acked.push(key);
    if (acked.length === 3000) kill();
  });
  assert.equal(exit, 'SIGKILL');
  assert.ok(acked.length >= 3000);
  const store = new SqliteStore({ path });
  try {
    const { kvs } = await store.list('/d/');
    const stored = new Map(kvs.map((kv) => [kv.key, dec(kv.value)]));
    const lost = acked.filter((key) => stored.get(key) !== key);
    assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
    assert.equal(kvs.length, await store.currentRevision(), 'one revision per stored key, no torn rows');
  } finally {
    await store.close();
  }
});

test('a watcher sees writes made by another process', async () => {
  const path = join(root, 'shared', 'state.db');
  const store = new SqliteStore({ path, pollIntervalMs: 50 });
  try {
    const start = await store.currentRevision();
    const watching = collect(store, '/shared/', start, 200, { timeoutMs: 20_000 });
    const exit = await runWriter([path, '/shared/', '200', '4'], () => undefined);
    assert.equal(exit, 0);
    const { events } = await watching;
    assert.deepEqual(events.map((e) => e.kv.modRevision), Array.from({ length: 200 }, (_, i) => start + 1 + i));
  } finally {
    await store.close();
  }
});

test('compaction deletes superseded rows and tombstones, never a live key', async () => {
  const path = join(root, 'compact', 'state.db');
  const store = new SqliteStore({ path });
  try {
    const keep = await store.create('/c/keep', enc('0'));
    let last = keep;
    for (let i = 1; i <= 20; i++) last = await store.update('/c/keep', enc(`${i}`), last.modRevision);
    const gone = await store.create('/c/gone', enc('x'));
    await store.delete('/c/gone', gone.modRevision);
    const tail = await store.create('/c/tail', enc('t'));
    await store.compact(tail.modRevision);
    await store.compact(tail.modRevision); // idempotent
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT id, name, deleted FROM revisions ORDER BY id').all();
      assert.deepEqual(rows, [
        { id: last.modRevision, name: '/c/keep', deleted: 0 },
        { id: tail.modRevision, name: '/c/tail', deleted: 0 },
      ]);
    } finally {
      db.close();
    }
    assert.equal(dec((await store.get('/c/keep'))!.value), '20');
    assert.equal((await store.get('/c/keep'))!.createRevision, keep.createRevision);
    // A key re-created after compaction removed its tombstone still works.
    const again = await store.create('/c/gone', enc('y'));
    assert.equal(again.createRevision, again.modRevision);
  } finally {
    await store.close();
  }
});

test('compaction in many chunks leaves exactly the live rows', async () => {
  const path = join(root, 'chunks', 'state.db');
  const store = new SqliteStore({ path });
  try {
    const kvs = await Promise.all(Array.from({ length: 300 }, (_, i) => store.create(`/k/${i}`, enc('0'))));
    // 12,000 updates spread over the keys: more than two compaction chunks of history.
    for (let round = 1; round <= 40; round++) {
      await Promise.all(kvs.map(async (kv, i) => (kvs[i] = await store.update(kv.key, enc(`${round}`), kv.modRevision))));
    }
    const target = await store.currentRevision();
    await store.compact(target - 150);
    const { kvs: listed } = await store.list('/k/', { revision: target - 150 });
    assert.equal(listed.length, 300);
    await store.compact(target);
    const latest = await store.list('/k/');
    assert.deepEqual(new Set(latest.kvs.map((kv) => dec(kv.value))), new Set(['40']));
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT COUNT(*) FROM revisions').pluck().get(), 300);
    } finally {
      db.close();
    }
  } finally {
    await store.close();
  }
});
