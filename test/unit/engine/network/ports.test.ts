import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortAllocator } from '../../../../src/engine/network/port-allocator.js';
import { portRequests, portsView } from '../../../../src/engine/network/port-specs.js';
import { FakePorts } from './helpers.js';

test('port requests: -p forms as the docker CLI sends them, and -P for the exposed rest', () => {
  // `-p 80 -p 8000-8001:90-91 -p 18200-18210:70 -p 127.0.0.1:18081:81/udp -P --expose 99`
  const reqs = portRequests(
    {
      '80/tcp': [{ HostIp: '', HostPort: '' }],
      '90/tcp': [{ HostIp: '', HostPort: '8000' }],
      '91/tcp': [{ HostIp: '', HostPort: '8001' }],
      '70/tcp': [{ HostIp: '', HostPort: '18200-18210' }],
      '81/udp': [{ HostIp: '127.0.0.1', HostPort: '18081' }],
    },
    true,
    { '80/tcp': {}, '90/tcp': {}, '91/tcp': {}, '70/tcp': {}, '81/udp': {}, '99/tcp': {} },
  );
  assert.deepEqual(reqs, [
    { proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [0, 0], dualStack: true },
    { proto: 'tcp', containerPort: 90, hostIp: '0.0.0.0', hostPorts: [8000, 8000], dualStack: true },
    { proto: 'tcp', containerPort: 91, hostIp: '0.0.0.0', hostPorts: [8001, 8001], dualStack: true },
    { proto: 'tcp', containerPort: 70, hostIp: '0.0.0.0', hostPorts: [18200, 18210], dualStack: true },
    { proto: 'udp', containerPort: 81, hostIp: '127.0.0.1', hostPorts: [18081, 18081] },
    { proto: 'tcp', containerPort: 99, hostIp: '0.0.0.0', hostPorts: [0, 0], dualStack: true },
  ]);
  assert.throws(() => portRequests({ 'x/tcp': [] }, false, {}), /invalid port specification/);
  assert.throws(() => portRequests({ '80/tcp': [{ HostPort: '9-1' }] }, false, {}), /invalid port specification: "9-1"/);
});

test('NetworkSettings.Ports: exposed-only ports are null, keys in Go map order', () => {
  const view = portsView({ '99/tcp': {}, '80/tcp': {} }, [
    { proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPort: 32768 },
    { proto: 'tcp', containerPort: 100, hostIp: '0.0.0.0', hostPort: 8100 },
  ]);
  assert.deepEqual(Object.keys(view), ['100/tcp', '80/tcp', '99/tcp']);
  assert.deepEqual(view['80/tcp'], [{ HostIp: '0.0.0.0', HostPort: '32768' }]);
  assert.equal(view['99/tcp'], null);
});

const owner = (n: string) => ({ containerId: n, endpointName: n, endpointId: `ep-${n}`, containerIp: '10.0.0.2' });

test('allocator: ephemeral ports in sequence per protocol, like dockerd (32768, 32769 …)', async () => {
  const alloc = new PortAllocator(new FakePorts(), [32768, 32770]);
  const a = await alloc.bind(owner('a'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [0, 0] }, { proto: 'udp', containerPort: 81, hostIp: '0.0.0.0', hostPorts: [0, 0] }]);
  const b = await alloc.bind(owner('b'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [0, 0] }]);
  assert.deepEqual([a[0]?.hostPort, a[1]?.hostPort, b[0]?.hostPort], [32768, 32768, 32769]);
  alloc.release('a');
  const c = await alloc.bind(owner('c'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [0, 0] }]);
  assert.equal(c[0]?.hostPort, 32770);
});

test('allocator: dockerd messages for a port another container has and for one another program has', async () => {
  const ports = new FakePorts();
  const alloc = new PortAllocator(ports, [40000, 40001]);
  await alloc.bind(owner('web'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [18080, 18080] }]);
  await assert.rejects(
    alloc.bind(owner('busy_perlman'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [18080, 18080] }]),
    { message: 'driver failed programming external connectivity on endpoint busy_perlman (ep-busy_perlman): Bind for 0.0.0.0:18080 failed: port is already allocated' },
  );
  // 127.0.0.1:18080 overlaps 0.0.0.0:18080 too.
  await assert.rejects(alloc.bind(owner('x'), [{ proto: 'tcp', containerPort: 80, hostIp: '127.0.0.1', hostPorts: [18080, 18080] }]), /port is already allocated/);
  ports.busy.add('tcp/18090');
  await assert.rejects(
    alloc.bind(owner('busy_raman'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [18090, 18090] }]),
    { message: 'driver failed programming external connectivity on endpoint busy_raman (ep-busy_raman): Error starting userland proxy: listen tcp4 0.0.0.0:18090: bind: address already in use' },
  );
  // All or nothing: the first port of a failed request is given back.
  await assert.rejects(alloc.bind(owner('y'), [{ proto: 'udp', containerPort: 53, hostIp: '0.0.0.0', hostPorts: [5353, 5353] }, { proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [18090, 18090] }]));
  assert.deepEqual(alloc.ownedBy('y'), []);
  assert.ok(!ports.held.has('udp/0.0.0.0:5353'));
  // A host range takes the first free port in it.
  const r = await alloc.bind(owner('z'), [{ proto: 'tcp', containerPort: 70, hostIp: '0.0.0.0', hostPorts: [18080, 18082] }]);
  assert.equal(r[0]?.hostPort, 18081);
});

test('allocator: an empty HostIp also publishes [::] on the same port, as dockerd 20.10 does', async () => {
  const ports = new FakePorts();
  const alloc = new PortAllocator(ports, [32768, 32770]);
  const bound = await alloc.bind(owner('a'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [0, 0], dualStack: true }]);
  assert.deepEqual(bound.map((b) => `${b.hostIp}:${b.hostPort}`), ['0.0.0.0:32768', ':::32768']);
  assert.deepEqual(portsView({}, bound), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32768' }, { HostIp: '::', HostPort: '32768' }] });
  // [::]:P taken by another program: the ephemeral allocator moves on; a fixed port fails with tcp6 wording.
  ports.busyV6.add('tcp/32769');
  const next = await alloc.bind(owner('b'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [0, 0], dualStack: true }]);
  assert.equal(next[0]?.hostPort, 32770);
  ports.busyV6.add('tcp/18300');
  await assert.rejects(alloc.bind(owner('c'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [18300, 18300], dualStack: true }]), {
    message: 'driver failed programming external connectivity on endpoint c (ep-c): Error starting userland proxy: listen tcp6 [::]:18300: bind: address already in use',
  });
  assert.ok(!ports.held.has('tcp/0.0.0.0:18300'), 'the IPv4 half is given back');
  // Explicit 0.0.0.0 stays IPv4 only.
  const v4 = await alloc.bind(owner('d'), [{ proto: 'tcp', containerPort: 80, hostIp: '0.0.0.0', hostPorts: [18400, 18400] }]);
  assert.equal(v4.length, 1);
});
