/**
 * API server benchmark, on SQLite and on etcd: 10,000 ConfigMap creates
 * from 32 concurrent HTTPS clients, a paginated list (500 per page), watch
 * delivery latency to 100 watchers, and the raw write rate of the same
 * store without the API server (bench/lib/store-raw.ts), as a ratio.
 * Usage: node dist/bench/apiserver.js [--objects 10000] [--concurrency 32] [--watchers 100] [--backend sqlite|etcd|all]
 */
import { spawn } from 'node:child_process';
import { request as httpsRequest, Agent } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { openStore } from '../src/cluster/store/index.js';
import { etcdUnavailableReason, startEtcd } from '../test/fixtures/etcd.js';
import { BerthServer } from '../test/integration/cluster/harness/berth-server.js';
import { measureRawStore } from './lib/store-raw.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const objects = Number(flag('objects', '10000'));
const concurrency = Number(flag('concurrency', '32'));
const watcherCount = Number(flag('watchers', '100'));
const backends = flag('backend', 'all');

interface Conn {
  agent: Agent;
  tls: { ca: Buffer; cert: Buffer; key: Buffer };
  /** Watches hold their connection: they get an agent without a socket cap. */
  watchAgent: Agent;
  server: string;
}

function connect(kubeconfig: string): Conn {
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }> };
  const cluster = kc.clusters[0]?.cluster ?? {};
  const user = kc.users[0]?.user ?? {};
  const b = (k: string | undefined) => Buffer.from(k ?? '', 'base64');
  const tls = { ca: b(cluster['certificate-authority-data']), cert: b(user['client-certificate-data']), key: b(user['client-key-data']) };
  return {
    server: cluster['server'] ?? '',
    tls,
    agent: new Agent({ keepAlive: true, maxSockets: concurrency * 2, ...tls }),
    watchAgent: new Agent({ keepAlive: false, ...tls }),
  };
}

function call(c: Conn, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(c.server + path, {
      method, agent: c.agent,
      headers: payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function pct(values: number[]): { p50: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] ?? 0 };
}

const data = { payload: 'x'.repeat(1000) };

async function creates(c: Conn, ns: string): Promise<{ writesPerSec: number; p50: number; p99: number; max: number; seconds: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < objects) {
      const i = next++;
      const s = performance.now();
      const r = await call(c, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(6, '0')}` }, data });
      if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
      lat.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return { writesPerSec: objects / seconds, seconds, ...pct(lat) };
}

async function pagedList(c: Conn, ns: string): Promise<{ pages: number; items: number; seconds: number; pageP50: number; pageP99: number }> {
  const lat: number[] = [];
  let token = '';
  let items = 0;
  const t0 = performance.now();
  do {
    const s = performance.now();
    const r = await call(c, 'GET', `/api/v1/namespaces/${ns}/configmaps?limit=500${token === '' ? '' : `&continue=${encodeURIComponent(token)}`}`);
    const list = JSON.parse(r.text) as { items: unknown[]; metadata: { continue?: string } };
    lat.push(performance.now() - s);
    items += list.items.length;
    token = list.metadata.continue ?? '';
  } while (token !== '');
  if (items !== objects) throw new Error(`listed ${items} of ${objects}`);
  const p = pct(lat);
  return { pages: lat.length, items, seconds: (performance.now() - t0) / 1000, pageP50: p.p50, pageP99: p.p99 };
}

/** 100 watches on a namespace; 100 sequential writes; latency from issuing the write to each watcher's receipt. */
async function watchLatency(c: Conn, ns: string, samples = 100): Promise<{ watchers: number; deliveries: number; p50: number; p99: number; max: number }> {
  const issued = new Map<string, number>();
  const lat: number[] = [];
  const reqs: Array<{ destroy(): void }> = [];
  const rv = (JSON.parse((await call(c, 'GET', `/api/v1/namespaces/${ns}/configmaps?limit=1`)).text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  let opened = 0;
  await new Promise<void>((resolve, reject) => {
    for (let w = 0; w < watcherCount; w++) {
      let buf = '';
      const req = httpsRequest(`${c.server}/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}`, { agent: c.watchAgent }, (res) => {
        if (++opened === watcherCount) resolve();
        res.on('data', (d: Buffer) => {
          const now = performance.now();
          buf += d.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const ev = JSON.parse(buf.slice(0, i)) as { object: { metadata: { name: string } } };
            buf = buf.slice(i + 1);
            const t = issued.get(ev.object.metadata.name);
            if (t !== undefined) lat.push(now - t);
          }
        });
      });
      req.on('error', (e) => { if (opened < watcherCount) reject(e); });
      req.end();
      reqs.push(req);
    }
  });
  for (let i = 0; i < samples; i++) {
    const name = `w-${i}`;
    issued.set(name, performance.now());
    await call(c, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  }
  const deadline = Date.now() + 30_000;
  while (lat.length < samples * watcherCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const r of reqs) r.destroy();
  return { watchers: watcherCount, deliveries: lat.length, ...pct(lat) };
}

const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; clock ticks of 10 ms). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * The same creates against a trivial HTTPS server (own process, same
 * certificate and client): how fast HTTPS request handling alone goes here,
 * the ceiling for any API server in this setup.
 */
async function httpsFloor(c: Conn, tlsDir: string): Promise<{ writesPerSec: number; serverCpuMsPerCreate: number }> {
  const script = fileURLToPath(new URL('./lib/https-floor-server.js', import.meta.url));
  const child = spawn(process.execPath, [script, tlsDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`floor server exited with ${String(code)}`)));
    });
    const floor: Conn = { ...c, server: `https://127.0.0.1:${port}`, agent: new Agent({ keepAlive: true, maxSockets: concurrency * 2, ...c.tls }) };
    const cpu0 = cpuSeconds(child.pid);
    const w = await creates(floor, 'floor');
    const serverCpuMsPerCreate = ((cpuSeconds(child.pid) - cpu0) * 1000) / objects;
    floor.agent.destroy();
    return { writesPerSec: w.writesPerSec, serverCpuMsPerCreate };
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  }
}

async function bench(name: string, datastore: string | undefined, rawUrl: string, dir: string): Promise<void> {
  const server = await BerthServer.start({ ...(datastore === undefined ? {} : { datastore }), dataDir: join(dir, `${name}-server`) });
  let c: Conn | undefined;
  try {
    c = connect(server.kubeconfig);
    await call(c, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    await call(c, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-watch' } });
    // The server's CPU per create shows its cost apart from how busy the shared machine is.
    const cpu0 = cpuSeconds(server.proc.pid);
    const w = await creates(c, 'bench');
    const serverCpuMsPerCreate = ((cpuSeconds(server.proc.pid) - cpu0) * 1000) / objects;
    const l = await pagedList(c, 'bench');
    const wl = await watchLatency(c, 'bench-watch');
    const store = await openStore(rawUrl, { dataDir: dir });
    await store.ready;
    const raw = await measureRawStore(store, { objects, concurrency });
    await store.close();
    const ratio = w.writesPerSec / raw.writesPerSec;
    console.log(`${name.padEnd(7)} API creates ${f(w.writesPerSec)}/s (p50 ${f(w.p50)} ms, p99 ${f(w.p99)} ms, max ${f(w.max)} ms; server CPU ${serverCpuMsPerCreate.toFixed(2)} ms/create) | raw store ${f(raw.writesPerSec)}/s (p99 ${f(raw.p99Ms)} ms) | API/raw ${ratio.toFixed(2)}x`);
    console.log(`${''.padEnd(7)} list ${l.items} in ${l.pages} pages of 500: ${f(l.seconds * 1000)} ms (page p50 ${f(l.pageP50)} ms, p99 ${f(l.pageP99)} ms) | watch delivery to ${wl.watchers} watchers: p50 ${f(wl.p50)} ms, p99 ${f(wl.p99)} ms, max ${f(wl.max)} ms (${wl.deliveries} deliveries)`);
    const floor = await httpsFloor(c, join(server.dataDir, 'tls'));
    console.log(`${''.padEnd(7)} HTTPS floor (a trivial HTTPS server, same client): ${f(floor.writesPerSec)}/s, server CPU ${floor.serverCpuMsPerCreate.toFixed(2)} ms/request = ${(floor.writesPerSec / raw.writesPerSec).toFixed(2)}x raw`);
    console.log(JSON.stringify({ backend: name, objects, concurrency, api: { ...w, serverCpuMsPerCreate }, list: l, watch: wl, raw, ratio, httpsFloor: floor }));
  } finally {
    c?.agent.destroy();
    c?.watchAgent.destroy();
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-apiserver-'));
try {
  console.log(`# berth server: ${objects} ConfigMap creates (1 KiB) from ${concurrency} HTTPS clients, paginated list, watch delivery to ${watcherCount} watchers`);
  if (backends === 'all' || backends === 'sqlite') await bench('sqlite', undefined, `sqlite://${join(dir, 'raw.db')}`, dir);
  if (backends === 'all' || backends === 'etcd') {
    const skip = etcdUnavailableReason();
    if (skip !== undefined) console.log(`etcd: skipped (${skip})`);
    else {
      const etcd = await startEtcd();
      try {
        await bench('etcd', etcd.url, etcd.url, dir);
      } finally {
        await etcd.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
