/**
 * Networks end to end: the real docker CLI against a Berth daemon running
 * real containers (root only; the engine fixture skips otherwise). Each test
 * checks the host afterwards: no namespace, veth, bridge or iptables rule of
 * the daemon is left behind once its containers and networks are gone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRunEngine, importBusybox, startTestEngine, type TestEngine } from '../../../fixtures/engine.js';
import { linkExists, namespacesIn, rulesOf, runNetns, sh, vethsOn } from './kernel-harness.js';

const skip = canRunEngine() ?? false;
const IMAGE = 'busybox:test';
let engine: TestEngine;
const uniq = (p: string): string => `${p}${Math.random().toString(36).slice(2, 7)}`;
const HTTPD = (body: string) => ['sh', '-c', `mkdir -p /www && echo ${body} > /www/index.html && exec httpd -f -p 80 -h /www`];
const FETCH = (host: string, port = 80) => ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${host} ${port}`];

before(async () => {
  if (skip) return;
  engine = await startTestEngine();
  await importBusybox(engine, IMAGE);
});

after(async () => {
  if (skip) return;
  await engine?.close();
  // The daemon stopped with nothing running: it must have taken its bridge and chains with it.
  assert.equal(await linkExists(`bt${engine.tag}`), false, 'default bridge removed at daemon stop');
  assert.deepEqual(await rulesOf(prefix()), [], 'no iptables chain left after daemon stop');
});

function prefix(): string {
  return `BERTH-BT${engine.tag.toUpperCase()}`;
}

async function ok(args: string[], timeoutMs?: number): Promise<string> {
  const r = await engine.docker(args, timeoutMs ? { timeoutMs } : {});
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', timeout: 4000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * The daemon's kernel footprint: namespaces with an interface besides lo
 * (the namespace pool keeps up to two empty spares, which do not count but
 * are checked to be empty), veths on its bridges, DNAT rules.
 */
async function footprint(bridges: string[]): Promise<{ netns: string[]; veths: string[]; dnat: string[] }> {
  const { used, spares } = await namespacesIn(join(engine.execRoot, 'netns'));
  // The pool holds two; one more may be a sandbox caught between CNI DEL and its unmount.
  if (spares > 2) used.push(`${spares} empty namespaces`);
  const veths: string[] = [];
  for (const b of bridges) if (await linkExists(b)) veths.push(...(await vethsOn(b)));
  return { netns: used, veths, dnat: (await rulesOf(prefix())).filter((l) => l.includes('DNAT --to')) };
}

/**
 * Waits for background teardowns, then asserts the daemon holds nothing on
 * the kernel besides its bridge and chains: no sandbox namespace, no veth on
 * its bridges, no DNAT rule (every test removes what it made).
 */
async function assertClean(what: string, bridges: string[] = [`bt${engine.tag}`]): Promise<void> {
  const clean = { netns: [], veths: [], dnat: [] };
  let now = await footprint(bridges);
  for (const deadline = Date.now() + 10_000; JSON.stringify(now) !== JSON.stringify(clean) && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 200));
    now = await footprint(bridges);
  }
  assert.deepEqual(now, clean, what);
}

async function bridgeOf(network: string): Promise<string> {
  const opts = JSON.parse(await ok(['network', 'inspect', '--format', '{{json .Id}}', network])) as string;
  return `br-${opts.slice(0, 12)}`;
}

test('user network: a client reaches busybox httpd by container name and by alias', { skip }, async () => {
  const net = uniq('n');
  const srv = uniq('srv');
  await assertClean('clean before');
  await ok(['network', 'create', net]);
  const bridge = await bridgeOf(net);
  try {
    await ok(['run', '-d', '--name', srv, '--network', net, '--network-alias', 'webalias', IMAGE, ...HTTPD('hello-by-name')]);
    for (const target of [srv, 'webalias']) {
      const out = await waitFor(`GET ${target}`, async () => {
        const r = await engine.docker(['run', '--rm', '--network', net, IMAGE, ...FETCH(target)]);
        return r.stdout.includes('hello-by-name') ? r.stdout : undefined;
      });
      assert.match(out, /^HTTP\/1\.[01] 200 OK/);
    }
    const resolv = await ok(['run', '--rm', '--network', net, IMAGE, 'cat', '/etc/resolv.conf']);
    assert.match(resolv, /^nameserver 127\.0\.0\.11\noptions ndots:0\n$/m);
    const inspect = JSON.parse(await ok(['inspect', srv])) as [{ NetworkSettings: { Networks: Record<string, { Aliases: string[]; IPAddress: string; IPPrefixLen: number; NetworkID: string }>; IPAddress: string } }];
    const ep = inspect[0].NetworkSettings.Networks[net]!;
    assert.deepEqual(ep.Aliases.slice(0, 1), ['webalias']);
    assert.equal(inspect[0].NetworkSettings.IPAddress, '', 'legacy top-level fields speak for the default bridge only');
    const netInspect = JSON.parse(await ok(['network', 'inspect', net])) as [{ Containers: Record<string, { Name: string; IPv4Address: string }> }];
    assert.deepEqual(Object.values(netInspect[0].Containers).map((c) => [c.Name, c.IPv4Address]), [[srv, `${ep.IPAddress}/${ep.IPPrefixLen}`]]);
  } finally {
    await engine.docker(['rm', '-f', srv]);
    const rm = await engine.docker(['network', 'rm', net]);
    assert.equal(rm.code, 0, rm.stderr);
  }
  assert.equal(await linkExists(bridge), false, 'network bridge removed');
  await assertClean('clean after');
});

test('published ports: -p forms, docker port/ps/inspect, reachable from the host with HTTP, port clash message', { skip }, async () => {
  const web = uniq('web');
  const p1 = 20000 + Math.floor(Math.random() * 5000);
  const p2 = p1 + 1;
  await assertClean('clean before');
  try {
    await ok(['run', '-d', '--name', web, '-p', `${p1}:80`, '-p', `127.0.0.1:${p2}:80`, '-p', '80', '-p', `${p1}:81/udp`, '--expose', '99', IMAGE, ...HTTPD('published')]);
    for (const [host, port] of [['127.0.0.1', p1], ['127.0.0.1', p2]] as const) {
      assert.equal(await waitFor(`http ${host}:${port}`, () => httpGet(host, port).catch(() => undefined)), 'published\n');
    }
    const hostIp = /inet (\d+\.\d+\.\d+\.\d+)\//.exec((await sh('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global'])).stdout)?.[1];
    if (hostIp) assert.equal(await httpGet(hostIp, p1), 'published\n', 'the host address works too');
    const port = await ok(['port', web]);
    const lines = port.trim().split('\n').sort();
    assert.ok(lines.includes(`80/tcp -> 0.0.0.0:${p1}`), port);
    assert.ok(lines.includes(`80/tcp -> 127.0.0.1:${p2}`), port);
    assert.ok(lines.includes(`81/udp -> 0.0.0.0:${p1}`), port);
    assert.ok(lines.some((l) => /^80\/tcp -> 0\.0\.0\.0:\d{5}$/.test(l) && !l.endsWith(`:${p1}`)), 'a random host port for -p 80');
    const ps = await ok(['ps', '--filter', `name=${web}`, '--format', '{{.Ports}}']);
    assert.match(ps, new RegExp(`127\\.0\\.0\\.1:${p2}->80/tcp`));
    assert.match(ps, /99\/tcp/);
    const ins = JSON.parse(await ok(['inspect', web])) as [{ NetworkSettings: { Ports: Record<string, unknown> }; HostConfig: { PortBindings: Record<string, unknown> } }];
    assert.equal(ins[0].NetworkSettings.Ports['99/tcp'], null);
    assert.deepEqual(ins[0].HostConfig.PortBindings['81/udp'], [{ HostIp: '', HostPort: String(p1) }]);
    // Hairpin: another container through the host's address.
    if (hostIp) assert.match(await ok(['run', '--rm', IMAGE, ...FETCH(hostIp, p1)]), /published/);
    const clash = await engine.docker(['run', '--rm', '--name', `${web}x`, '-p', `${p1}:80`, IMAGE, 'true']);
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, new RegExp(`driver failed programming external connectivity on endpoint ${web}x \\([0-9a-f]{64}\\): Bind for 0\\.0\\.0\\.0:${p1} failed: port is already allocated`));
  } finally {
    await engine.docker(['rm', '-f', web, `${web}x`]);
  }
  await assert.rejects(httpGet('127.0.0.1', p1));
  await assertClean('clean after');
});

test('isolation between two user networks; --internal has no route out', { skip }, async () => {
  const [na, nb, ni] = [uniq('na'), uniq('nb'), uniq('ni')];
  const [a1, b1, i1] = [uniq('a1'), uniq('b1'), uniq('i1')];
  // An outside host: a namespace behind a veth on the host, serving HTTP.
  const nsFile = join(engine.dir, uniq('outside'));
  const hostSide = `bo${engine.tag}`;
  const out = `10.236.${16 + Math.floor(Math.random() * 200)}`;
  let outside: ChildProcess | undefined;
  try {
    writeFileSync(nsFile, '');
    assert.equal((await sh('unshare', [`--net=${nsFile}`, 'ip', 'link', 'set', 'lo', 'up'])).code, 0);
    assert.equal((await sh('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', nsFile])).code, 0);
    await sh('ip', ['addr', 'add', `${out}.1/30`, 'dev', hostSide]);
    await sh('ip', ['link', 'set', hostSide, 'up']);
    await sh('nsenter', [`--net=${nsFile}`, 'sh', '-c', `ip addr add ${out}.2/30 dev eth0 && ip link set eth0 up`]);
    const www = join(engine.dir, 'www-outside');
    mkdirSync(www, { recursive: true });
    writeFileSync(join(www, 'index.html'), 'outside-body');
    outside = spawn('nsenter', [`--net=${nsFile}`, 'busybox', 'httpd', '-f', '-p', '8081', '-h', www], { stdio: 'ignore' });

    await ok(['network', 'create', na]);
    await ok(['network', 'create', nb]);
    await ok(['network', 'create', '--internal', ni]);
    await ok(['run', '-d', '--name', a1, '--network', na, IMAGE, ...HTTPD('a1-body')]);
    await ok(['run', '-d', '--name', i1, '--network', ni, IMAGE, ...HTTPD('i1-body')]);
    const a1Ip = (await ok(['inspect', '--format', `{{(index .NetworkSettings.Networks "${na}").IPAddress}}`, a1])).trim();
    await waitFor('same network', async () => ((await engine.docker(['run', '--rm', '--network', na, IMAGE, ...FETCH(a1)])).stdout.includes('a1-body') ? true : undefined));
    assert.equal((await engine.docker(['run', '--rm', '--network', nb, IMAGE, ...FETCH(a1Ip)])).stdout, '', 'another network gets nothing');
    assert.match((await engine.docker(['run', '--rm', '--network', na, IMAGE, ...FETCH(`${out}.2`, 8081)])).stdout, /outside-body/, 'a normal network has a way out');
    assert.equal((await engine.docker(['run', '--rm', '--network', ni, IMAGE, ...FETCH(`${out}.2`, 8081)])).stdout, '', 'an internal network has none');
    assert.match((await engine.docker(['run', '--rm', '--network', ni, IMAGE, ...FETCH(i1)])).stdout, /i1-body/, 'members of an internal network reach each other');
    // connect / disconnect on a running container.
    await ok(['run', '-d', '--name', b1, '--network', nb, IMAGE, 'sleep', '300']);
    await ok(['network', 'connect', '--alias', 'bee', na, b1]);
    assert.match((await engine.docker(['exec', b1, ...FETCH(a1)])).stdout, /a1-body/);
    await ok(['network', 'disconnect', na, b1]);
    assert.equal((await engine.docker(['exec', b1, ...FETCH(a1Ip)])).stdout, '');
    const rmBusy = await engine.docker(['network', 'rm', na]);
    assert.match(rmBusy.stderr, new RegExp(`error while removing network: network ${na} id [0-9a-f]{64} has active endpoints`));
  } finally {
    outside?.kill('SIGKILL');
    await sh('ip', ['link', 'del', hostSide]);
    await sh('umount', [nsFile]);
    await engine.docker(['rm', '-f', a1, b1, i1]);
    for (const n of [na, nb, ni]) await engine.docker(['network', 'rm', n]);
  }
  await assertClean('clean after');
});

test('daemon restart: a running container keeps its published port and DNS name; nothing leaks after', { skip }, async () => {
  const net = uniq('nr');
  const web = uniq('web');
  const port = 25000 + Math.floor(Math.random() * 5000);
  const netnsBefore = runNetns();
  await ok(['network', 'create', net]);
  const bridge = await bridgeOf(net);
  try {
    await ok(['run', '-d', '--name', web, '--network', net, '-p', `${port}:80`, IMAGE, ...HTTPD('kept')]);
    await waitFor('http before restart', () => httpGet('127.0.0.1', port).catch(() => undefined));
    await engine.stopDaemon();
    assert.equal(await httpGet('127.0.0.1', port), 'kept\n', 'the DNAT rule outlives the daemon');
    await engine.startDaemon();
    assert.equal(await waitFor('http after restart', () => httpGet('127.0.0.1', port).catch(() => undefined)), 'kept\n');
    assert.match((await engine.docker(['run', '--rm', '--network', net, IMAGE, ...FETCH(web)])).stdout, /kept/, 'DNS after the restart');
  } finally {
    await engine.docker(['rm', '-f', web]);
    await engine.docker(['network', 'rm', net]);
  }
  assert.equal(await linkExists(bridge), false);
  assert.deepEqual(runNetns(), netnsBefore);
});

test('--link: /etc/hosts entry and the legacy environment exactly as dockerd 20.10 writes them', { skip }, async () => {
  const web = uniq('web');
  const port = 26000 + Math.floor(Math.random() * 3000);
  try {
    await ok(['run', '-d', '--name', web, '--hostname', 'hh', '-p', `${port}:80`, '-p', `127.0.0.1:${port}:81/udp`, IMAGE, 'httpd', '-f', '-p', '80']);
    const ip = (await ok(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', web])).trim();
    const out = await ok(['run', '--rm', '--link', `${web}:webalias`, IMAGE, 'sh', '-c', 'tail -2 /etc/hosts | head -1; env | grep ^WEBALIAS | sort']);
    assert.equal(out, [
      `${ip}\twebalias hh ${web}`,
      `WEBALIAS_NAME=/${out.match(/WEBALIAS_NAME=\/([^/]+)\//)?.[1]}/webalias`,
      `WEBALIAS_PORT=tcp://${ip}:80`,
      `WEBALIAS_PORT_80_TCP=tcp://${ip}:80`,
      `WEBALIAS_PORT_80_TCP_ADDR=${ip}`,
      'WEBALIAS_PORT_80_TCP_PORT=80',
      'WEBALIAS_PORT_80_TCP_PROTO=tcp',
      `WEBALIAS_PORT_81_UDP=udp://${ip}:81`,
      `WEBALIAS_PORT_81_UDP_ADDR=${ip}`,
      'WEBALIAS_PORT_81_UDP_PORT=81',
      'WEBALIAS_PORT_81_UDP_PROTO=udp',
      '',
    ].join('\n'));
    const stopped = await engine.docker(['run', '--rm', '--link', 'nope:x', IMAGE, 'true']);
    assert.match(stopped.stderr, /could not get container for nope: No such container: nope/);
  } finally {
    await engine.docker(['rm', '-f', web]);
  }
});

test('daemon crash: SIGKILL; a container that died meanwhile leaves nothing behind, one that runs keeps its port', { skip }, async () => {
  const [keep, die] = [uniq('keep'), uniq('die')];
  const port = 29000 + Math.floor(Math.random() * 1000);
  await assertClean('clean before');
  try {
    await ok(['run', '-d', '--name', keep, '-p', `${port}:80`, IMAGE, ...HTTPD('still-here')]);
    await ok(['run', '-d', '--name', die, '-p', `${port + 1}:80`, IMAGE, 'sleep', '300']);
    const diePid = Number((await ok(['inspect', '--format', '{{.State.Pid}}', die])).trim());
    await waitFor('http before crash', () => httpGet('127.0.0.1', port).catch(() => undefined));
    await engine.stopDaemon('SIGKILL');
    process.kill(diePid, 'SIGKILL');
    await engine.startDaemon();
    assert.equal(await waitFor('http after crash', () => httpGet('127.0.0.1', port).catch(() => undefined)), 'still-here\n');
    await assert.rejects(httpGet('127.0.0.1', port + 1), 'the dead container\'s port is gone');
    assert.match(await ok(['ps', '-a', '--filter', `name=${die}`, '--format', '{{.Status}}']), /^Exited/);
  } finally {
    await engine.docker(['rm', '-f', keep, die]);
  }
  await assertClean('clean after the crash');
});
