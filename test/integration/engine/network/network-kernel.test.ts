/**
 * engine/network on the real kernel (root): namespaces, CNI bridge, iptables,
 * the embedded DNS, published ports. The "containers" are busybox processes
 * started in the sandboxes; the docker CLI tests are in network-cli.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRunKernelTests, KernelHarness, linkExists, mountsUnder, rulesOf, runNetns, sh } from './kernel-harness.js';

const skip = canRunKernelTests();

async function withHarness(fn: (h: KernelHarness) => Promise<void>): Promise<void> {
  const h = new KernelHarness();
  const netnsBefore = runNetns();
  try {
    await h.service.start();
    await fn(h);
  } finally {
    await h.close();
  }
  // Leak check: nothing of the harness is left on the host.
  assert.deepEqual(mountsUnder(h.dir), [], 'no namespace bind mount left');
  assert.deepEqual(await rulesOf(h.prefix), [], 'no iptables rule or chain left');
  for (const b of h.bridges) assert.equal(await linkExists(b), false, `bridge ${b} removed`);
  for (const v of h.veths) assert.equal(await linkExists(v), false, `veth ${v} removed`);
  assert.deepEqual(runNetns(), netnsBefore, '/run/netns untouched');
}

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${host}:${port}`)));
    req.on('error', reject);
  });
}

async function hostAddress(): Promise<string> {
  const out = (await sh('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global'])).stdout;
  const m = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(out);
  assert.ok(m, 'the host has a global IPv4 address');
  return m[1]!;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('user network: a client reaches busybox httpd by container name and by alias (embedded DNS)', { skip }, () =>
  withHarness(async (h) => {
    await h.createNetwork({ Name: `n1${h.tag}` });
    const server = await h.create('srv', { NetworkMode: `n1${h.tag}` }, {}, { EndpointsConfig: { [`n1${h.tag}`]: { Aliases: ['webalias'] } } });
    const client = await h.create('cli', { NetworkMode: `n1${h.tag}` });
    await h.start(server);
    await h.start(client);
    h.serveHttp(server, 'hello-from-srv');
    assert.equal(await h.exec(client, 'cat /etc/resolv.conf').then((r) => r.stdout), 'nameserver 127.0.0.11\noptions ndots:0\n');
    const lookup = await h.exec(client, 'busybox nslookup webalias');
    assert.match(lookup.stdout, new RegExp(`Address: ${server.NetworkSettings.Networks[`n1${h.tag}`]!.IPAddress!.replace(/\./g, '\\.')}`));
    for (const name of ['srv', 'webalias', server.Id.slice(0, 12)]) {
      const body = await waitFor(`GET from ${name}`, async () => ((await h.fetch(client, name)).includes('hello-from-srv') ? 'ok' : undefined));
      assert.equal(body, 'ok');
    }
    // Names outside the network are forwarded to the host's resolvers: an unknown one is not answered from the model.
    const unknown = await h.exec(client, 'busybox nslookup no-such-container-xyz');
    assert.doesNotMatch(unknown.stdout, /Address: 10\.234\./);
  }));

test('published ports: reachable from the host on 127.0.0.1 and its own address, and from another container (hairpin)', { skip }, () =>
  withHarness(async (h) => {
    const port = 18000 + Math.floor(Math.random() * 1000);
    const web = await h.create('web', { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: String(port) }] } }, { ExposedPorts: { '80/tcp': {} } });
    const other = await h.create('other');
    await h.start(web);
    await h.start(other);
    h.serveHttp(web, 'published-body');
    assert.deepEqual(web.NetworkSettings.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(port) }, { HostIp: '::', HostPort: String(port) }] });
    const hostIp = await hostAddress();
    // [::1] goes through the userland proxy (dockerd's docker-proxy), the rest through DNAT.
    for (const addr of ['127.0.0.1', hostIp, '::1']) {
      const body = await waitFor(`http ${addr}:${port}`, () => httpGet(addr, port).catch(() => undefined));
      assert.equal(body, 'published-body', addr);
    }
    assert.match(await h.fetch(other, hostIp, port), /published-body/, 'hairpin through the host address');
    assert.match(await h.fetch(web, hostIp, port), /published-body/, 'hairpin to itself');
    // The port is held: a second container cannot publish it.
    const clash = await h.create('clash', { PortBindings: { '80/tcp': [{ HostPort: String(port) }] } }, { ExposedPorts: { '80/tcp': {} } });
    await assert.rejects(h.start(clash), new RegExp(`driver failed programming external connectivity on endpoint clash \\([0-9a-f]{64}\\): Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated`));
    await h.stop(web);
    await h.service.settle();
    await assert.rejects(httpGet('127.0.0.1', port), 'nothing answers once the container stopped');
    assert.deepEqual((await rulesOf(h.prefix)).filter((l) => l.includes('DNAT --to')), [], 'DNAT rule gone');
  }));

test('isolation: two user networks cannot reach each other; containers of one network can', { skip }, () =>
  withHarness(async (h) => {
    await h.createNetwork({ Name: `na${h.tag}` });
    await h.createNetwork({ Name: `nb${h.tag}` });
    const a1 = await h.create('a1', { NetworkMode: `na${h.tag}` });
    const a2 = await h.create('a2', { NetworkMode: `na${h.tag}` });
    const b1 = await h.create('b1', { NetworkMode: `nb${h.tag}` });
    for (const c of [a1, a2, b1]) await h.start(c);
    h.serveHttp(a1, 'a1-body');
    const a1Ip = a1.NetworkSettings.Networks[`na${h.tag}`]!.IPAddress!;
    await waitFor('a2 → a1', async () => ((await h.fetch(a2, a1Ip)).includes('a1-body') ? true : undefined));
    assert.equal(await h.fetch(b1, a1Ip), '', 'b1 (other network) gets nothing from a1');
    assert.match((await h.exec(b1, 'busybox nslookup a1')).stdout + (await h.exec(b1, 'busybox nslookup a1')).stderr, /can't find|NXDOMAIN|SERVFAIL|timed out/i, 'a1 is not a name on network nb');
    // Connecting b1 to network na makes a1 reachable (and resolvable) from it.
    await h.service.connect(`na${h.tag}`, { Container: 'b1' });
    assert.match(await h.fetch(b1, 'a1'), /a1-body/);
    await h.service.disconnect(`na${h.tag}`, { Container: 'b1' });
    assert.equal(await h.fetch(b1, a1Ip), '');
  }));

test('--internal: no way out, but the members still reach each other', { skip }, () =>
  withHarness(async (h) => {
    // An "outside" host: a namespace behind a veth on the host, serving HTTP.
    const nsFile = join(h.dir, 'outside');
    const hostSide = `bo${h.tag}`;
    const out = `10.235.${h.octet}`;
    let server: ChildProcess | undefined;
    try {
      writeFileSync(nsFile, '');
      assert.equal((await sh('unshare', [`--net=${nsFile}`, 'ip', 'link', 'set', 'lo', 'up'])).code, 0);
      assert.equal((await sh('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', nsFile])).code, 0);
      await sh('ip', ['addr', 'add', `${out}.1/30`, 'dev', hostSide]);
      await sh('ip', ['link', 'set', hostSide, 'up']);
      await sh('nsenter', [`--net=${nsFile}`, 'sh', '-c', `ip addr add ${out}.2/30 dev eth0 && ip link set eth0 up`]);
      const www = join(h.dir, 'www-outside');
      mkdirSync(www, { recursive: true });
      writeFileSync(join(www, 'index.html'), 'outside-body');
      server = spawn('nsenter', [`--net=${nsFile}`, 'busybox', 'httpd', '-f', '-p', '8081', '-h', www], { stdio: 'ignore' });

      await h.createNetwork({ Name: `int${h.tag}`, Internal: true });
      await h.createNetwork({ Name: `ext${h.tag}` });
      const i1 = await h.create('i1', { NetworkMode: `int${h.tag}` });
      const i2 = await h.create('i2', { NetworkMode: `int${h.tag}` });
      const e1 = await h.create('e1', { NetworkMode: `ext${h.tag}` });
      for (const c of [i1, i2, e1]) await h.start(c);
      await waitFor('e1 → outside', async () => ((await h.fetch(e1, `${out}.2`, 8081)).includes('outside-body') ? true : undefined));
      assert.equal(await h.fetch(i1, `${out}.2`, 8081), '', 'an internal network has no route out');
      h.serveHttp(i2, 'i2-body');
      const body = await waitFor('i1 → i2', async () => {
        const b = await h.fetch(i1, 'i2');
        return b.includes('i2-body') ? b : undefined;
      });
      assert.match(body, /i2-body/);
    } finally {
      server?.kill('SIGKILL');
      await sh('ip', ['link', 'del', hostSide]);
      await sh('umount', [nsFile]);
    }
  }));

test('daemon restart: a running sandbox keeps DNS and published ports; the host is clean after the last stop', { skip }, () =>
  withHarness(async (h) => {
    const port = 19000 + Math.floor(Math.random() * 1000);
    await h.createNetwork({ Name: `nr${h.tag}` });
    const web = await h.create('web', { NetworkMode: `nr${h.tag}`, PortBindings: { '80/tcp': [{ HostPort: String(port) }] } }, { ExposedPorts: { '80/tcp': {} } });
    const cli = await h.create('cli', { NetworkMode: `nr${h.tag}` });
    await h.start(web);
    await h.start(cli);
    h.serveHttp(web, 'survives-restart');
    await h.service.close(); // the daemon stops; containers keep running
    assert.ok(await linkExists(h.bridgeName), 'bridges stay while containers run');
    h.service = h.makeService();
    await h.service.start();
    await h.service.restore(web);
    await h.service.restore(cli);
    await h.service.finishRestore();
    assert.match(await waitFor('http after restart', () => httpGet('127.0.0.1', port).catch(() => undefined)), /survives-restart/);
    assert.match(await h.fetch(cli, 'web'), /survives-restart/, 'DNS answers again after the restart');
  }));
