/**
 * npm run bench:engine — Berth against the reference dockerd (Debian docker.io),
 * both driven by the same docker CLI, each with its own temporary root and
 * socket. Prints medians and the Berth/dockerd ratio per scenario.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, DOCKER, type TestEngine } from '../test/fixtures/engine.js';
import { buildBusyboxTar } from '../test/fixtures/busybox.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const IMAGE = 'benchbox:1';

interface Target {
  name: string;
  host: string;
  close(): Promise<void>;
}

function docker(host: string, args: string[]): Promise<{ code: number; ms: number; stderr: string }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve) => {
    execFile(DOCKER, args, { env: { ...process.env, DOCKER_HOST: host } }, (err, _out, stderr) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ code: err ? 1 : 0, ms, stderr: String(stderr) });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function sequential(t: Target, args: string[]): Promise<number> {
  for (let i = 0; i < 2; i++) await docker(t.host, args); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await docker(t.host, args);
    if (r.code !== 0) throw new Error(`${t.name}: docker ${args.join(' ')} failed: ${r.stderr}`);
    times.push(r.ms);
  }
  return median(times);
}

async function concurrent(t: Target, args: string[]): Promise<{ median: number; wall: number }> {
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: RUNS }, () => docker(t.host, args)));
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length) throw new Error(`${t.name}: ${failed.length} concurrent runs failed: ${failed[0]!.stderr}`);
  return { median: median(results.map((r) => r.ms)), wall: Date.now() - t0 };
}

const dockerChain = /^(DOCKER|DOCKER-USER|DOCKER-ISOLATION-STAGE-\d)$/;
let hadDockerChains = false;

function dockerChainsExist(): boolean {
  return spawnSync('iptables', ['-t', 'filter', '-n', '-L', 'DOCKER'], { stdio: 'ignore' }).status === 0;
}

/** Deletes the rules and chains dockerd made (it never removes them itself). */
function removeDockerIptables(): void {
  for (const table of ['filter', 'nat']) {
    const dump = spawnSync('iptables-save', ['-t', table], { encoding: 'utf8' }).stdout ?? '';
    const chains: string[] = [];
    for (const line of dump.split('\n')) {
      const chain = /^:(\S+)/.exec(line)?.[1];
      if (chain && dockerChain.test(chain)) chains.push(chain);
      if (line.startsWith('-A ') && /(-j|-A) DOCKER|docker0/.test(line) && !dockerChain.test(line.split(' ')[1] ?? '')) {
        spawnSync('iptables', ['-t', table, '-D', ...line.slice(3).split(' ')], { stdio: 'ignore' });
      }
    }
    for (const c of chains) spawnSync('iptables', ['-t', table, '-F', c], { stdio: 'ignore' });
    for (const c of chains) spawnSync('iptables', ['-t', table, '-X', c], { stdio: 'ignore' });
  }
}

async function startReferenceDockerd(dir: string): Promise<Target> {
  hadDockerChains = dockerChainsExist();
  const sock = join(dir, 'docker.sock');
  const child: ChildProcess = spawn('dockerd', [
    '--data-root', join(dir, 'root'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'),
    '-H', `unix://${sock}`, '--bip', '10.231.0.1/24', '--containerd-namespace', 'berth-bench', '--containerd-plugins-namespace', 'berth-bench-p',
  ], { stdio: 'ignore' });
  const host = `unix://${sock}`;
  for (let i = 0; i < 200 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
  for (let i = 0; i < 100; i++) {
    if ((await docker(host, ['version'])).code === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'dockerd',
    host,
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      // dockerd leaves docker0 and its iptables chains behind; both were created by this benchmark (main() checked first).
      spawnSync('ip', ['link', 'del', 'docker0'], { stdio: 'ignore' });
      if (!hadDockerChains) removeDockerIptables();
      spawnSync('umount', ['-R', join(dir, 'root')], { stdio: 'ignore' });
    },
  };
}

async function main(): Promise<void> {
  if (spawnSync('ip', ['link', 'show', 'docker0'], { stdio: 'ignore' }).status === 0) {
    throw new Error('a docker0 bridge exists already (a system dockerd?); the benchmark needs the name for its reference dockerd');
  }
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  const tar = join(dir, 'busybox.tar');
  buildBusyboxTar(tar);
  let berth: TestEngine | undefined;
  const targets: Target[] = [];
  try {
    berth = await startTestEngine(['--bip', '10.232.0.1/24']);
    targets.push({ name: 'berth', host: berth.host, close: () => berth!.close() });
    targets.push(await startReferenceDockerd(join(dir, 'dockerd')));
    for (const t of targets) {
      const r = await docker(t.host, ['import', '--change', 'CMD ["/bin/sh"]', tar, IMAGE]);
      if (r.code !== 0) throw new Error(`${t.name}: import failed: ${r.stderr}`);
    }
    const scenarios: [string, string[]][] = [
      ['run --rm true (default network)', ['run', '--rm', IMAGE, 'true']],
      ['run --rm --network none true', ['run', '--rm', '--network', 'none', IMAGE, 'true']],
      ['run --rm -p 80 true (published port)', ['run', '--rm', '-p', '80', IMAGE, 'true']],
    ];
    console.log(`docker run medians over ${RUNS} runs (ms), through the same docker CLI`);
    console.log(['scenario'.padEnd(40), 'berth'.padStart(9), 'dockerd'.padStart(9), 'ratio'.padStart(7)].join(' '));
    for (const [label, args] of scenarios) {
      const row: number[] = [];
      for (const t of targets) row.push(await sequential(t, args).catch((e: Error) => (console.error(e.message), NaN)));
      console.log([label.padEnd(40), row[0]!.toFixed(1).padStart(9), row[1]!.toFixed(1).padStart(9), (row[0]! / row[1]!).toFixed(2).padStart(7)].join(' '));
    }
    // The first burst meets engines sized for one start at a time (Berth's monitor pool grows to it,
    // dockerd's caches warm); the second shows the steady state. Both are printed.
    const bursts: [string, { median: number; wall: number }[]][] = [['cold', []], ['warm', []]];
    for (const t of targets) {
      for (const [, row] of bursts) row.push(await concurrent(t, ['run', '--rm', IMAGE, 'true']).catch((e: Error) => (console.error(e.message), { median: NaN, wall: NaN })));
    }
    for (const [label, row] of bursts) {
      for (const key of ['median', 'wall'] as const) {
        console.log([`${RUNS} concurrent run --rm true, ${label}: ${key}`.padEnd(40), row[0]![key].toFixed(1).padStart(9), row[1]![key].toFixed(1).padStart(9), (row[0]![key] / row[1]![key]).toFixed(2).padStart(7)].join(' '));
      }
    }
  } finally {
    for (const t of targets.reverse()) await t.close().catch((e: Error) => console.error(`cleanup ${t.name}: ${e.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
