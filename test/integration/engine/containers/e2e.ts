/**
 * Shared pieces of the engine's end-to-end suite (containers, daemon,
 * dockerode): one engine per file with the busybox image, waiting helpers,
 * and the leak check every file runs after closing its engine — no mount
 * under its directory, no cgroup under its parent, no process of its own
 * (container, monitor, runc), no veth or iptables rule naming its bridge.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request } from 'node:http';
import { busyboxAvailable } from '../../../fixtures/busybox.js';
import { canRunEngine, importBusybox, startTestEngine, type TestEngine } from '../../../fixtures/engine.js';

export const IMAGE = 'busybox:e2e';

export function skipReason(): string | undefined {
  return canRunEngine() ?? (busyboxAvailable() ? undefined : 'busybox-static not installed');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts an engine with the test image imported. */
export async function startE2eEngine(extraArgs: string[] = []): Promise<TestEngine> {
  const engine = await startTestEngine(extraArgs);
  try {
    await importBusybox(engine, IMAGE);
  } catch (err) {
    await engine.close();
    throw err;
  }
  return engine;
}

/** Polls until fn returns a truthy value (or throws with the last value). */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, ms = 10_000, every = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await sleep(every);
  }
}

/** `docker …` that must succeed; returns trimmed stdout. */
export async function ok(engine: TestEngine, args: string[], options?: Parameters<TestEngine['docker']>[1]): Promise<string> {
  const r = await engine.docker(args, options);
  assert.equal(r.code, 0, `docker ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** `docker inspect -f FORMAT name`. */
export function inspectField(engine: TestEngine, name: string, format: string): Promise<string> {
  return ok(engine, ['inspect', '-f', format, name]);
}

/** Parsed `GET /containers/{id}/json`. */
export async function inspect(engine: TestEngine, name: string): Promise<Record<string, any>> {
  const r = await engine.api('GET', `/containers/${name}/json`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as Record<string, any>;
}

/** Raw HTTP over the engine's socket with any body and headers (the fixture's api() always sends JSON). */
export function rawRequest(socket: string, method: string, path: string, options: { body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Mount points under dir (from this process' mount table). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(`${dir}/`));
}

/** Container cgroups under the engine's parent, in every v1 hierarchy. */
export function cgroupsUnder(engine: TestEngine): string[] {
  const out: string[] = [];
  for (const h of readdirSync('/sys/fs/cgroup')) {
    const parent = `/sys/fs/cgroup/${h}/berth-test-${engine.tag}`;
    if (!existsSync(parent)) continue;
    for (const e of readdirSync(parent, { withFileTypes: true })) if (e.isDirectory()) out.push(`${parent}/${e.name}`);
  }
  return out;
}

/** Whether the engine's parent cgroup still exists anywhere. */
export function parentCgroupExists(engine: TestEngine): boolean {
  return readdirSync('/sys/fs/cgroup').some((h) => existsSync(`/sys/fs/cgroup/${h}/berth-test-${engine.tag}`));
}

/**
 * Processes that belong to this engine besides the daemon: in its cgroups
 * (containers), naming its directory (runc), or logging into it (monitors).
 */
export function enginePids(engine: TestEngine): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const pid = Number(p);
    if (pid === process.pid || pid === engine.pid()) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // a zombie holds nothing
      const mine =
        readFileSync(`/proc/${p}/cgroup`, 'utf8').includes(`/berth-test-${engine.tag}/`) ||
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(engine.dir) ||
        safeReadlink(`/proc/${p}/fd/2`).startsWith(engine.dir);
      if (mine) out.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/** Host interfaces and iptables rules that mention the engine's bridge. */
export function networkLeftovers(engine: TestEngine): string[] {
  const bridge = `bt${engine.tag}`;
  const out: string[] = [];
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).stdout ?? '';
  for (const l of links.split('\n')) if (l.includes(bridge)) out.push(`link: ${l.slice(0, 100)}`);
  for (const table of ['filter', 'nat']) {
    const rules = spawnSync('iptables', ['-t', table, '-S'], { encoding: 'utf8' }).stdout ?? '';
    for (const r of rules.split('\n')) if (r.includes(bridge)) out.push(`iptables ${table}: ${r}`);
  }
  return out;
}

/** Closes the engine and asserts that it left nothing behind. */
export async function closeAndCheck(engine: TestEngine | undefined): Promise<void> {
  if (!engine) return;
  await engine.close();
  const pids = await waitFor('the engine processes to go', () => (enginePids(engine).length === 0 ? true : undefined), 10_000).then(
    () => [],
    () => enginePids(engine),
  );
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  assert.deepEqual(pids, [], 'no container, monitor or runc process left');
  assert.deepEqual(mountsUnder(engine.dir), [], 'no mount left');
  assert.equal(parentCgroupExists(engine), false, 'no cgroup left under the parent');
  assert.deepEqual(networkLeftovers(engine), [], 'no link or iptables rule of the bridge left');
  assert.equal(existsSync(engine.dir), false, 'the engine directory is gone');
}

/** Ids of all containers (running or not). */
export async function allIds(engine: TestEngine): Promise<string[]> {
  const r = await engine.api('GET', '/containers/json?all=1');
  return (JSON.parse(r.body) as { Id: string }[]).map((c) => c.Id);
}

/** Removes every container (between tests that count things). */
export async function removeAll(engine: TestEngine): Promise<void> {
  for (const id of await allIds(engine)) await engine.api('DELETE', `/containers/${id}?force=1&v=1`);
}

/** Event objects from `docker events --since S --until U --format '{{json .}}'`. */
export async function eventsBetween(engine: TestEngine, since: number, until: number, filters: string[] = []): Promise<Record<string, any>[]> {
  const out = await ok(engine, ['events', '--since', String(since), '--until', String(until), '--format', '{{json .}}', ...filters.flatMap((f) => ['--filter', f])]);
  return out === '' ? [] : out.split('\n').map((l) => JSON.parse(l) as Record<string, any>);
}

/** Seconds since the epoch with fractions, as `--since`/`--until` accept. */
export function unixNow(): string {
  return (Date.now() / 1000).toFixed(3);
}
