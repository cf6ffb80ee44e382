import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { harness, type Harness } from './helpers.js';

async function withHarness(fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness();
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

/** Nothing of the container left on the (fake) kernel. */
function assertNoSandboxes(h: Harness): void {
  assert.deepEqual([...h.host.namespaces], []);
  assert.deepEqual([...h.host.attachments.keys()], []);
  assert.deepEqual(h.host.delsWithoutPrevResult, []);
  assert.deepEqual(h.host.firewallState?.ports ?? [], []);
}

test('start: builtin networks, the default bridge device, the firewall', () =>
  withHarness(async (h) => {
    const names = h.service.list(new Map()).map((n) => n['Name']).sort();
    assert.deepEqual(names, ['bridge', 'host', 'none']);
    const bridge = h.service.inspect('bridge');
    assert.deepEqual(bridge['IPAM'], { Driver: 'default', Options: null, Config: [{ Subnet: '127.99.0.0/24', Gateway: '127.99.0.1' }] });
    assert.equal((bridge['Options'] as Record<string, string>)['com.docker.network.bridge.name'], 'btest0');
    assert.equal(h.host.bridges.get('btest0')?.address, '127.99.0.1/24');
    assert.equal(h.host.firewallState?.prefix, 'BERTH-BTEST0');
  }));

test('default bridge container: namespace, CNI ADD with Berth\'s address, inspect fields, files, teardown leaves nothing', () =>
  withHarness(async (h) => {
    const web = await h.create('web', { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '18080' }] }, ExtraHosts: ['foo:1.2.3.4'] }, { ExposedPorts: { '80/tcp': {} }, Hostname: 'hh' });
    assert.deepEqual(Object.keys(web.NetworkSettings.Networks), ['bridge']);
    assert.equal(web.NetworkSettings.Networks['bridge']?.NetworkID, '');
    const setup = await h.start(web);
    assert.equal(setup.netnsPath, web.NetworkSettings.SandboxKey);
    assert.ok(h.host.namespaces.has(setup.netnsPath!));
    const att = h.host.attachments.get(`${setup.netnsPath}#eth0`);
    const ipam = att?.inv.config['ipam'] as { type: string; addresses: { address: string }[] };
    assert.equal(ipam.type, 'static');
    assert.equal(ipam.addresses[0]?.address, '127.99.0.2/24');
    const ep = web.NetworkSettings.Networks['bridge']!;
    assert.deepEqual([ep.IPAddress, ep.Gateway, ep.IPPrefixLen, ep.MacAddress], ['127.99.0.2', '127.99.0.1', 24, '02:42:7f:63:00:02']);
    assert.equal(ep.NetworkID, h.service.find('bridge').Id);
    assert.deepEqual(web.NetworkSettings.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '18080' }, { HostIp: '::', HostPort: '18080' }] });
    assert.deepEqual(h.host.firewallState?.ports, [{ proto: 'tcp', hostIp: '0.0.0.0', hostPort: 18080, containerIp: '127.99.0.2', containerPort: 80, bridge: 'btest0' }]);
    assert.ok(h.ports.held.has('tcp/0.0.0.0:18080') && h.ports.held.has('tcp/:::18080'), 'IPv4 port held, [::] port proxied');
    assert.ok((await readFile(web.HostsPath, 'utf8')).endsWith('1.2.3.4\tfoo\n127.99.0.2\thh\n'));
    assert.equal(await readFile(web.ResolvConfPath, 'utf8'), 'nameserver 10.255.255.53\n');
    assert.equal(await readFile(web.HostnamePath, 'utf8'), 'hh\n');
    assert.deepEqual(setup.mounts.map((m) => m.destination), ['/etc/resolv.conf', '/etc/hostname', '/etc/hosts']);
    const inspected = h.service.inspect('bridge')['Containers'] as Record<string, { Name: string; IPv4Address: string }>;
    assert.deepEqual(Object.values(inspected).map((c) => [c.Name, c.IPv4Address]), [['web', '127.99.0.2/24']]);

    await h.stop(web);
    assert.equal(web.NetworkSettings.Networks['bridge']?.IPAddress, '');
    assert.equal(web.NetworkSettings.Networks['bridge']?.NetworkID, h.service.find('bridge').Id);
    assert.deepEqual(web.NetworkSettings.Ports, {});
    assert.equal(h.ports.held.size, 0, 'host ports freed at once');
    await h.service.settle();
    assertNoSandboxes(h);
    const actions = h.events.filter((e) => e.Type === 'network').map((e) => `${e.Action}:${e.Actor.Attributes['container']?.slice(0, 4)}:${e.Actor.Attributes['name']}`);
    assert.deepEqual(actions, [`connect:${web.Id.slice(0, 4)}:bridge`, `disconnect:${web.Id.slice(0, 4)}:bridge`]);
  }));

test('user network: DNS redirect, aliases with the short id, embedded resolv.conf, names per network', () =>
  withHarness(async (h) => {
    const { Id } = await h.service.create({ Name: 'n1', Labels: { a: 'b' } });
    const s1 = await h.create('s1', { NetworkMode: 'n1' }, {}, { EndpointsConfig: { n1: { Aliases: ['web'] } } });
    const s2 = await h.create('s2', { NetworkMode: 'n1', DnsSearch: ['foo.bar'] });
    await h.start(s1);
    const setup = await h.start(s2);
    assert.deepEqual(s1.NetworkSettings.Networks['n1']?.Aliases, ['web', s1.Id.slice(0, 12)]);
    // One embedded DNS for the daemon, on the default bridge's gateway (a host address).
    assert.deepEqual(h.host.dnsRedirects.get(setup.netnsPath!)?.ip, h.service.find('bridge').bridge!.gateway);
    assert.equal(await readFile(s2.ResolvConfPath, 'utf8'), 'search foo.bar\nnameserver 127.0.0.11\noptions ndots:0\n');
    // Top-level legacy fields only speak for the default bridge.
    assert.equal(s2.NetworkSettings.Networks['bridge'], undefined);
    const dangling = h.service.list(new Map([['dangling', ['true']]]));
    assert.deepEqual(dangling, []);
    await assert.rejects(h.service.remove('n1'), { message: `error while removing network: network n1 id ${Id} has active endpoints` });
    await h.stop(s1);
    await h.stop(s2);
    await h.service.remove(Id.slice(0, 6));
    assert.equal(h.host.bridges.has(`br-${Id.slice(0, 12)}`), false);
    assertNoSandboxes(h);
    assert.deepEqual(h.events.filter((e) => e.Type === 'network' && !e.Actor.Attributes['container']).map((e) => e.Action), ['create', 'destroy']);
  }));

test('connect and disconnect: on created containers they edit the config; on running ones the kernel', () =>
  withHarness(async (h) => {
    await h.service.create({ Name: 'n1' });
    await h.service.create({ Name: 'n2', IPAM: { Config: [{ Subnet: '127.101.0.0/24' }] } });
    const c = await h.create('c', { NetworkMode: 'n1' });
    // docker-compose: disconnect + connect a created container.
    await h.service.disconnect('n1', { Container: c.Id });
    await h.service.connect('n1', { Container: c.Id, EndpointConfig: { Aliases: [c.Id.slice(0, 12), 'web'] } });
    assert.deepEqual(c.NetworkSettings.Networks['n1']?.Aliases, [c.Id.slice(0, 12), 'web']);
    await h.service.connect('n1', { Container: c.Id, EndpointConfig: { Aliases: ['ignored'] } });
    assert.deepEqual(c.NetworkSettings.Networks['n1']?.Aliases, [c.Id.slice(0, 12), 'web'], 'a second connect of a created container is ignored');
    await assert.rejects(h.service.disconnect('n2', { Container: c.Id }), { message: `container ${c.Id} is not connected to the network n2` });
    const setup = await h.start(c);
    await h.service.connect('n2', { Container: 'c', EndpointConfig: { IPAMConfig: { IPv4Address: '127.101.0.77' }, Aliases: ['cra'] } });
    assert.equal(c.NetworkSettings.Networks['n2']?.IPAddress, '127.101.0.77');
    assert.ok(h.host.attachments.has(`${setup.netnsPath}#eth1`));
    await assert.rejects(h.service.connect('n2', { Container: 'c' }), { message: 'endpoint with name c already exists in network n2' });
    await assert.rejects(h.service.connect('host', { Container: 'c' }), { message: 'container cannot be disconnected from host network or connected to host network' });
    await assert.rejects(h.service.connect('bridge', { Container: 'c', EndpointConfig: { Aliases: ['x'] } }), { message: 'network-scoped alias is supported only for containers in user defined networks' });
    await assert.rejects(h.service.connect('n1', { Container: 'nope' }), { message: 'No such container: nope' });
    await assert.rejects(h.service.connect('nonet', { Container: 'c' }), { message: 'network nonet not found' });
    // Disconnecting the network with the default route moves it to the next endpoint.
    await h.service.disconnect('n1', { Container: 'c' });
    assert.deepEqual(h.host.defaultRoutes.get(setup.netnsPath!), { gateway: '127.101.0.1', ifName: 'eth1' });
    assert.deepEqual(Object.keys(c.NetworkSettings.Networks), ['n2']);
    await assert.rejects(h.service.disconnect('n1', { Container: 'c' }), { message: `container ${c.Id} is not connected to network n1` });
    await h.stop(c);
    await h.service.settle();
    assertNoSandboxes(h);
  }));

test('create-time checks: container mode conflicts, links, --ip only with user subnets', () =>
  withHarness(async (h) => {
    const a = await h.create('a');
    const msg = (m: string) => ({ message: `conflicting options: ${m}` });
    await assert.rejects(h.create('b', { NetworkMode: 'container:a', Dns: ['1.1.1.1'] }), msg('dns and the network mode'));
    await assert.rejects(h.create('b', { NetworkMode: 'container:a', PortBindings: { '80/tcp': [{}] } }), msg('port publishing and the container type network mode'));
    await assert.rejects(h.create('b', { NetworkMode: 'container:a', ExtraHosts: ['x:1.1.1.1'] }), msg('custom host-to-IP mapping and the network mode'));
    await assert.rejects(h.create('b', { NetworkMode: 'container:a' }, { Hostname: 'x' }), msg('hostname and the network mode'));
    await assert.rejects(h.create('b', { NetworkMode: 'host', Links: ['a:x'] }), msg("host type networking can't be used with links. This would result in undefined behavior"));
    await assert.rejects(h.create('b', { Links: ['nope:x'] }), { message: 'could not get container for nope: No such container: nope' });
    await assert.rejects(h.create('b', { NetworkMode: 'nonet' }), { message: 'network nonet not found' });
    await assert.rejects(h.create('b', {}, {}, { EndpointsConfig: { n1: {}, n3: {} } }), { message: 'Container cannot be connected to network endpoints: n1, n3' });
    const joined = await h.create('b', { NetworkMode: 'container:a' });
    assert.equal(joined.HostConfig.NetworkMode, `container:${a.Id}`);
    assert.deepEqual(joined.NetworkSettings.Networks, {});
    const linked = await h.create('l', { Links: ['a'] });
    assert.deepEqual(linked.HostConfig.Links, ['/a:/l/a']);
    // --ip: refused on the default bridge and on auto-allocated subnets, at start.
    const ipOnBridge = await h.create('ip1', {}, {}, { EndpointsConfig: { bridge: { IPAMConfig: { IPv4Address: '127.99.0.50' } } } });
    await assert.rejects(h.start(ipOnBridge), { message: 'user specified IP address is supported on user defined networks only' });
    await h.service.create({ Name: 'auto' });
    const ipOnAuto = await h.create('ip2', { NetworkMode: 'auto' }, {}, { EndpointsConfig: { auto: { IPAMConfig: { IPv4Address: '127.100.0.50' } } } });
    await assert.rejects(h.start(ipOnAuto), { message: 'user specified IP address is supported only when connecting to networks with user configured subnets' });
    await assert.rejects(h.start(joined), { message: `cannot join network of a non running container: ${a.Id}` });
    assertNoSandboxes(h);
  }));

test('legacy links: hosts entries and environment from the running target; target must run', () =>
  withHarness(async (h) => {
    const web = await h.create('web', {}, { Hostname: 'hh', ExposedPorts: { '80/tcp': {} } });
    const cli = await h.create('cli', { Links: ['web:webalias'] });
    await assert.rejects(h.start(cli), { message: 'Cannot link to a non running container: /web AS /cli/webalias' });
    await h.start(web);
    const setup = await h.start(cli);
    assert.ok((await readFile(cli.HostsPath, 'utf8')).includes('127.99.0.2\twebalias hh web\n'));
    assert.ok(setup.env?.includes('WEBALIAS_PORT_80_TCP_ADDR=127.99.0.2'));
    assert.ok(setup.env?.includes('WEBALIAS_ENV_FOO=bar'));
    await h.stop(cli);
    await h.stop(web);
    await h.service.settle();
    assertNoSandboxes(h);
  }));

test('a failed start leaves nothing: CNI failure after the namespace was made', () =>
  withHarness(async (h) => {
    const c = await h.create('c', { PortBindings: { '80/tcp': [{ HostPort: '18080' }] } }, { ExposedPorts: { '80/tcp': {} } });
    h.host.failNext.add('cni.add');
    await assert.rejects(h.start(c), /fake cni.add failure/);
    assertNoSandboxes(h);
    assert.equal(h.ports.held.size, 0);
    // The address is free again.
    await h.start(c);
    assert.equal(c.NetworkSettings.Networks['bridge']?.IPAddress, '127.99.0.2');
  }));

test('daemon restart: running containers keep their sandbox, ports and DNS; leftovers are cleaned', () =>
  withHarness(async (h) => {
    await h.service.create({ Name: 'n1' });
    const keep = await h.create('keep', { NetworkMode: 'n1', PortBindings: { '80/tcp': [{ HostPort: '18080' }] } }, { ExposedPorts: { '80/tcp': {} } });
    const gone = await h.create('gone');
    const died = await h.create('died');
    const keepSetup = await h.start(keep);
    const goneSetup = await h.start(gone);
    const diedSetup = await h.start(died);
    h.ports.held.clear(); // the old daemon's sockets die with it
    await h.service.close();
    assert.ok(h.host.namespaces.has(keepSetup.netnsPath!), 'running containers keep their namespace over a daemon stop');
    // While the daemon was down: `gone` was removed for good, `died` exited, and a stray namespace appeared.
    h.lookup.records.splice(h.lookup.records.indexOf(gone), 1);
    Object.assign(died.State, { Running: false, Status: 'exited' });
    h.host.namespaces.add(`${h.dir}/exec/netns/deadbeef0000`);
    const service = await h.restart();
    await service.restore(keep);
    await service.tearDown(died); // what the container service does for a container that ended
    await service.finishRestore();
    await service.settle();
    assert.deepEqual([...h.host.namespaces], [keepSetup.netnsPath]);
    assert.ok(!h.host.namespaces.has(goneSetup.netnsPath!) && !h.host.namespaces.has(diedSetup.netnsPath!));
    assert.ok(h.ports.held.has('tcp/0.0.0.0:18080'), 'published port held again');
    assert.equal(h.host.firewallState?.ports.length, 1);
    // A new container cannot take the restored container's address.
    const next = await h.create('next', { NetworkMode: 'n1' });
    await h.start(next);
    assert.notEqual(next.NetworkSettings.Networks['n1']?.IPAddress, keep.NetworkSettings.Networks['n1']?.IPAddress);
    await h.stop(next);
    await h.stop(keep);
    await service.settle();
    assertNoSandboxes(h);
    await service.close();
    assert.equal(h.host.bridges.size, 0, 'no bridge left once nothing runs');
    assert.equal(h.host.firewallState, undefined, 'no chain left once nothing runs');
  }));

test('network ls filters and prune', () =>
  withHarness(async (h) => {
    await h.service.create({ Name: 'nx', Labels: { a: 'b' } });
    await h.service.create({ Name: 'nxy' });
    const names = (f: [string, string[]][]) => h.service.list(new Map(f)).map((n) => n['Name']).sort();
    assert.deepEqual(names([['name', ['nx']]]), ['nx', 'nxy']);
    assert.deepEqual(names([['type', ['builtin']]]), ['bridge', 'host', 'none']);
    assert.deepEqual(names([['type', ['custom']]]), ['nx', 'nxy']);
    assert.deepEqual(names([['label', ['a=b']]]), ['nx']);
    assert.deepEqual(names([['driver', ['null']]]), ['none']);
    assert.deepEqual(names([['dangling', ['true']]]), ['nx', 'nxy']);
    assert.throws(() => names([['foo', ['x']]]), { message: "Invalid filter 'foo'" });
    assert.throws(() => names([['dangling', ['x']]]), { message: 'invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")' });
    assert.deepEqual(h.service.list(new Map())[0]?.['Containers'], {});
    const c = await h.create('c', { NetworkMode: 'nxy' });
    await h.start(c);
    assert.deepEqual(await h.service.prune(new Map()), { NetworksDeleted: ['nx'] });
    assert.deepEqual(await h.service.prune(new Map()), { NetworksDeleted: null });
    await assert.rejects(h.service.remove('bridge'), { message: 'bridge is a pre-defined network and cannot be removed' });
    await h.stop(c);
  }));

test('host and none containers get an endpoint (no address) and appear in those networks, as in dockerd', () =>
  withHarness(async (h) => {
    const hm = await h.create('hm', { NetworkMode: 'host' });
    const nm = await h.create('nm', { NetworkMode: 'none' });
    const hostSetup = await h.start(hm);
    const noneSetup = await h.start(nm);
    assert.equal(hostSetup.netnsPath, undefined);
    assert.ok(hm.NetworkSettings.SandboxKey.endsWith('/netns/default'));
    assert.equal(await readFile(hm.HostsPath, 'utf8'), '127.0.0.1 localhost\n127.0.0.1 testhost\n', 'a copy of the host file');
    assert.ok(h.host.namespaces.has(noneSetup.netnsPath!));
    assert.deepEqual([...h.host.attachments.keys()], [], 'no interface for either');
    for (const [net, rec] of [['host', hm], ['none', nm]] as const) {
      const containers = h.service.inspect(net)['Containers'] as Record<string, { Name: string; EndpointID: string; IPv4Address: string }>;
      assert.deepEqual(Object.values(containers).map((c) => [c.Name, c.IPv4Address]), [[rec.Name, '']]);
      const ep = rec.NetworkSettings.Networks[net]!;
      assert.equal(ep.NetworkID, h.service.find(net).Id);
      assert.match(ep.EndpointID ?? '', /^[0-9a-f]{64}$/);
    }
    assert.equal(await readFile(nm.ResolvConfPath, 'utf8'), 'nameserver 10.255.255.53\n');
    await h.stop(hm);
    await h.stop(nm);
    await h.service.settle();
    assertNoSandboxes(h);
    assert.deepEqual(h.service.inspect('host')['Containers'], {});
  }));
