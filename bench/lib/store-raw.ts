/**
 * Raw datastore measurements, below the API server: create throughput and
 * latency with concurrent writers, and watch delivery latency (write issued
 * → event received by every watcher). Used by bench/store.ts and by the API
 * server benchmark to show how much of its cost is the store's.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Store } from '../../src/cluster/store/index.js';

export interface RawStoreOptions {
  /** Keys to create (default 10000). */
  objects?: number;
  /** Concurrent writers (default 32). */
  concurrency?: number;
  /** Bytes per value (default 1024, about a small Kubernetes object). */
  valueBytes?: number;
}

export interface RawStoreResult {
  objects: number;
  concurrency: number;
  valueBytes: number;
  seconds: number;
  writesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface WatchLatencyOptions {
  /** Concurrent watchers on the written prefix (default 1). */
  watchers?: number;
  /** Sequential writes to time (default 200). */
  samples?: number;
}

export interface WatchLatencyResult {
  watchers: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function measureRawStore(store: Store, options: RawStoreOptions = {}): Promise<RawStoreResult> {
  const objects = options.objects ?? 10_000;
  const concurrency = options.concurrency ?? 32;
  const valueBytes = options.valueBytes ?? 1024;
  const prefix = `/bench/${randomUUID()}/raw/`;
  const value = new TextEncoder().encode(JSON.stringify({ data: 'x'.repeat(Math.max(0, valueBytes - 11)) }).slice(0, valueBytes));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < objects) {
        const i = next++;
        const t0 = performance.now();
        await store.create(`${prefix}${String(i).padStart(6, '0')}`, value);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { objects, concurrency, valueBytes, seconds, writesPerSec: objects / seconds, ...percentiles(latencies) };
}

export async function measureWatchLatency(store: Store, options: WatchLatencyOptions = {}): Promise<WatchLatencyResult> {
  const watchers = options.watchers ?? 1;
  const samples = options.samples ?? 200;
  const prefix = `/bench/${randomUUID()}/watch/`;
  const issuedAt = new Map<string, number>();
  const latencies: number[] = [];
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // one signal for every watcher here
  const start = await store.currentRevision();
  const loops = Array.from({ length: watchers }, async () => {
    let seen = 0;
    for await (const batch of store.watch(prefix, { afterRevision: start, signal: controller.signal })) {
      const now = performance.now();
      for (const event of batch.events) {
        const t0 = issuedAt.get(event.kv.key);
        if (t0 !== undefined) latencies.push(now - t0);
      }
      seen += batch.events.length;
      if (seen >= samples) return;
    }
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // let every watch reach its backend
    const value = new TextEncoder().encode('{}');
    for (let i = 0; i < samples; i++) {
      const key = `${prefix}${i}`;
      issuedAt.set(key, performance.now());
      await store.create(key, value);
    }
    const timeout = setTimeout(() => controller.abort(), 30_000);
    await Promise.all(loops);
    clearTimeout(timeout);
  } finally {
    controller.abort();
  }
  if (latencies.length < watchers * samples) throw new Error(`watchers saw ${latencies.length}/${watchers * samples} events`);
  return { watchers, samples, ...percentiles(latencies) };
}

function percentiles(values: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] ?? 0 };
}
