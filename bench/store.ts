/**
 * Raw datastore benchmark: SQLite (fsync on every group commit, and
 * synchronous=normal) and a real etcd started on loopback with a data dir
 * on disk. Prints a table and one JSON line per backend.
 * Usage: node .../bench/store.js [--objects 10000] [--concurrency 32]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EtcdStore, SqliteStore, type Store } from '../src/cluster/store/index.js';
import { etcdUnavailableReason, startEtcd } from '../test/fixtures/etcd.js';
import { measureRawStore, measureWatchLatency } from './lib/store-raw.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
}

const objects = flag('objects', 10_000);
const concurrency = flag('concurrency', 32);
const fmt = (n: number): string => n.toFixed(n < 10 ? 2 : 0);

async function run(name: string, store: Store): Promise<void> {
  await store.ready;
  const raw = await measureRawStore(store, { objects, concurrency });
  const watch1 = await measureWatchLatency(store, { watchers: 1, samples: 200 });
  const watch100 = await measureWatchLatency(store, { watchers: 100, samples: 100 });
  console.log(
    `${name.padEnd(22)} ${fmt(raw.writesPerSec).padStart(8)} writes/s  create p50 ${fmt(raw.p50Ms)} ms p99 ${fmt(raw.p99Ms)} ms` +
      `  | watch delivery p50/p99: 1 watcher ${fmt(watch1.p50Ms)}/${fmt(watch1.p99Ms)} ms, 100 watchers ${fmt(watch100.p50Ms)}/${fmt(watch100.p99Ms)} ms`,
  );
  console.log(JSON.stringify({ backend: name, raw, watch1, watch100 }));
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-store-'));
try {
  console.log(`# raw store: ${objects} creates of 1 KiB values from ${concurrency} concurrent writers`);
  for (const synchronous of ['full', 'normal'] as const) {
    const store = new SqliteStore({ path: join(dir, `sqlite-${synchronous}`, 'state.db'), synchronous });
    try {
      await run(`sqlite (sync=${synchronous})`, store);
    } finally {
      await store.close();
    }
  }
  const skip = etcdUnavailableReason();
  if (skip !== undefined) {
    console.log(`etcd: skipped (${skip})`);
  } else {
    const etcd = await startEtcd({ dataParent: dir });
    try {
      const store = new EtcdStore({ endpoints: etcd.endpoints });
      try {
        await run('etcd 3.4 (disk)', store);
      } finally {
        await store.close();
      }
    } finally {
      await etcd.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
