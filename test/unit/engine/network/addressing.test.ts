import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { allocateAddress, DEFAULT_ADDRESS_POOLS, pickSubnet } from '../../../../src/engine/network/ipam.js';
import { formatPrefix, macForIp, parseCidr, parseIp } from '../../../../src/engine/network/ipv4.js';
import { buildNetwork } from '../../../../src/engine/network/network-create.js';
import type { BridgeState, NetworkRecord } from '../../../../src/engine/network/types.js';

const p = (cidr: string) => parseCidr(cidr)!.prefix;

test('default pools: 172.17/16 first, then the next free /16, skipping what the host routes', () => {
  assert.equal(formatPrefix(pickSubnet(DEFAULT_ADDRESS_POOLS, [])!), '172.17.0.0/16');
  assert.equal(formatPrefix(pickSubnet(DEFAULT_ADDRESS_POOLS, [p('172.17.0.0/16')])!), '172.18.0.0/16');
  // A host route inside 172.18 (e.g. another daemon's bridge) makes the whole /16 unusable.
  assert.equal(formatPrefix(pickSubnet(DEFAULT_ADDRESS_POOLS, [p('172.17.0.0/16'), p('172.18.5.0/24')])!), '172.19.0.0/16');
  const all172 = Array.from({ length: 15 }, (_, i) => p(`172.${17 + i}.0.0/16`));
  assert.equal(formatPrefix(pickSubnet(DEFAULT_ADDRESS_POOLS, all172)!), '192.168.0.0/20');
});

test('dockerd MAC addresses: 02:42 and the IPv4 bytes', () => {
  assert.equal(macForIp(parseIp('10.201.0.2')!), '02:42:0a:c9:00:02');
  assert.equal(macForIp(parseIp('172.17.0.255')!), '02:42:ac:11:00:ff');
});

const bridge = (over: Partial<BridgeState> = {}): BridgeState => ({ name: 'b', subnet: '10.99.0.0/24', gateway: '10.99.0.254', autoSubnet: false, mac: '', mtu: 1500, icc: true, masquerade: true, ...over });
const who = { name: 'n3', id: 'abc' };

test('allocation: lowest free address, skipping network, gateway and broadcast; --ip-range; --ip', () => {
  assert.equal(allocateAddress(bridge({ gateway: '10.99.0.1' }), new Set(), undefined, who), '10.99.0.2');
  assert.equal(allocateAddress(bridge({ gateway: '10.99.0.1' }), new Set(['10.99.0.2', '10.99.0.3']), undefined, who), '10.99.0.4');
  // dockerd gave 10.99.0.128 as the first address of --ip-range 10.99.0.128/25.
  assert.equal(allocateAddress(bridge({ ipRange: '10.99.0.128/25' }), new Set(), undefined, who), '10.99.0.128');
  // --ip may be outside the range but must be inside the subnet (dockerd accepted 10.99.0.5).
  assert.equal(allocateAddress(bridge({ ipRange: '10.99.0.128/25' }), new Set(), '10.99.0.5', who), '10.99.0.5');
  assert.throws(() => allocateAddress(bridge(), new Set(), '10.98.0.5', who), { message: "Invalid address 10.98.0.5: It does not belong to any of this network's subnets" });
  assert.throws(() => allocateAddress(bridge(), new Set(['10.99.0.7']), '10.99.0.7', who), /Address already in use/);
  assert.throws(() => allocateAddress(bridge(), new Set(), '10.99.0.254', who), /Address already in use/);
  assert.equal(allocateAddress(bridge({ gateway: '10.99.0.1', reserved: ['10.99.0.2'] }), new Set(), undefined, who), '10.99.0.3', '--aux-address is skipped');
  const full = new Set(Array.from({ length: 253 }, (_, i) => `10.99.0.${i + 1}`));
  assert.throws(() => allocateAddress(bridge(), full, undefined, who), /no available IPv4 addresses on this network's address pools: n3 \(abc\)/);
});

function existing(): NetworkRecord[] {
  return [buildNetwork({ Name: 'n1', IPAM: { Config: [{ Subnet: '10.210.0.0/24' }] } }, { existing: [], hostPrefixes: [], pools: DEFAULT_ADDRESS_POOLS, defaultMtu: 1500 })];
}

function create(body: Parameters<typeof buildNetwork>[0], hostPrefixes = [p('172.17.0.0/16')]): NetworkRecord {
  return buildNetwork(body, { existing: existing(), hostPrefixes, pools: DEFAULT_ADDRESS_POOLS, defaultMtu: 1500 });
}

function rejects(body: Parameters<typeof buildNetwork>[0], message: string, status?: number): void {
  assert.throws(() => create(body), (err: unknown) => {
    assert.ok(isBerthError(err));
    assert.equal(err.message, message);
    return true;
  });
  void status;
}

test('network create: dockerd 20.10 error messages', () => {
  rejects({ Name: 'n1' }, 'network with name n1 already exists');
  rejects({ Name: 'n5', IPAM: { Config: [{ Subnet: '10.210.0.0/24' }] } }, 'Pool overlaps with other one on this address space');
  rejects({ Name: 'n5', IPAM: { Config: [{ Subnet: '10.97.0.0/24', Gateway: '10.98.0.1' }] } }, 'failed to allocate gateway (10.98.0.1): Requested address is out of range');
  rejects({ Name: 'n5', IPAM: { Config: [{ Subnet: '10.97.0.0/33' }] } }, 'Invalid subnet 10.97.0.0/33 : invalid CIDR address: 10.97.0.0/33');
  rejects({ Name: 'n5', Driver: 'foo' }, 'plugin "foo" not found');
  rejects({ Name: 'host' }, 'operation is not permitted on predefined host network ');
  rejects({ Name: '' }, 'invalid name: ');
});

test('network create: auto subnet skips host routes, inspect shows Subnet+Gateway; user IPAM is echoed', () => {
  const auto = create({ Name: 'a' });
  assert.deepEqual(auto.IPAM.Config, [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }]);
  assert.equal(auto.bridge?.name, `br-${auto.Id.slice(0, 12)}`);
  assert.equal(auto.bridge?.autoSubnet, true);
  const user = create({ Name: 'b', IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: '10.99.0.0/24', IPRange: '10.99.0.128/25', Gateway: '10.99.0.254' }] }, Internal: true, Attachable: true, Options: { 'com.docker.network.bridge.name': 'nbr9' }, Labels: { a: 'b' } });
  assert.deepEqual(user.IPAM, { Driver: 'default', Options: {}, Config: [{ Subnet: '10.99.0.0/24', IPRange: '10.99.0.128/25', Gateway: '10.99.0.254' }] });
  assert.equal(user.bridge?.name, 'nbr9');
  assert.equal(user.bridge?.gateway, '10.99.0.254');
  assert.equal(user.bridge?.mac, '02:42:0a:63:00:fe');
  assert.deepEqual([user.Internal, user.Attachable, user.Labels], [true, true, { a: 'b' }]);
  // Host bits in --subnet are kept as given (dockerd shows 10.96.0.5/24).
  assert.deepEqual(create({ Name: 'c', IPAM: { Config: [{ Subnet: '10.96.0.5/24' }] } }).IPAM.Config, [{ Subnet: '10.96.0.5/24' }]);
});

test('network create: two networks cannot share a bridge name', () => {
  const nets = existing();
  const first = buildNetwork({ Name: 'x', Options: { 'com.docker.network.bridge.name': 'nbr9' } }, { existing: nets, hostPrefixes: [], pools: DEFAULT_ADDRESS_POOLS, defaultMtu: 1500 });
  assert.throws(
    () => buildNetwork({ Name: 'y', Options: { 'com.docker.network.bridge.name': 'nbr9' } }, { existing: [...nets, first], hostPrefixes: [], pools: DEFAULT_ADDRESS_POOLS, defaultMtu: 1500 }),
    new RegExp(`conflicts with network ${first.Id} \\(nbr9\\): networks have same bridge name`),
  );
});
