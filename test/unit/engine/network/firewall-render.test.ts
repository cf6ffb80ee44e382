import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jumpRules, renderRules } from '../../../../src/platform/linux/firewall.js';
import { dnsRedirectTable } from '../../../../src/platform/linux/netns.js';

test('iptables rules follow dockerd: isolation stages, internal drops, masquerade, DNAT with hairpin', () => {
  const r = renderRules({
    prefix: 'BERTH-T',
    networks: [
      { bridge: 'berth0', subnet: '172.17.0.0/16', gateway: '172.17.0.1', internal: false, icc: true, masquerade: true },
      { bridge: 'nbr9', subnet: '10.99.0.0/24', gateway: '10.99.0.254', internal: true, icc: true, masquerade: true, dns: { ip: '172.17.0.1', port: 53 } },
    ],
    ports: [{ proto: 'tcp', hostIp: '', hostPort: 8080, containerIp: '172.17.0.2', containerPort: 80, bridge: 'berth0' }, { proto: 'udp', hostIp: '127.0.0.1', hostPort: 18081, containerIp: '172.17.0.2', containerPort: 81, bridge: 'berth0' }],
  });
  assert.deepEqual(r.filter.chains, ['BERTH-T-FWD', 'BERTH-T-ISO1', 'BERTH-T-ISO2', 'BERTH-T-IN']);
  const f = r.filter.rules;
  assert.ok(f.includes('-A BERTH-T-FWD -i berth0 ! -o berth0 -j ACCEPT'));
  assert.ok(!f.includes('-A BERTH-T-FWD -i nbr9 ! -o nbr9 -j ACCEPT'), 'an internal network has no way out');
  assert.ok(f.includes('-A BERTH-T-ISO1 -i berth0 ! -o berth0 -j BERTH-T-ISO2'));
  assert.ok(f.includes('-A BERTH-T-ISO2 -o berth0 -j DROP'));
  assert.ok(f.includes('-A BERTH-T-ISO1 ! -s 10.99.0.0/24 -o nbr9 -j DROP'));
  assert.ok(f.includes('-A BERTH-T-ISO1 ! -d 10.99.0.0/24 -i nbr9 -j DROP'));
  assert.ok(f.includes('-A BERTH-T-IN -i nbr9 -d 172.17.0.1/32 -p udp -m udp --dport 53 -j ACCEPT'));
  assert.ok(f.indexOf('-A BERTH-T-FWD -j BERTH-T-ISO1') === 0, 'isolation comes first');
  const n = r.nat.rules;
  assert.ok(n.includes('-A BERTH-T-DNAT -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80'));
  assert.ok(n.includes('-A BERTH-T-DNAT -d 127.0.0.1/32 -p udp -m udp --dport 18081 -j DNAT --to-destination 172.17.0.2:81'));
  assert.ok(n.includes('-A BERTH-T-POST -s 172.17.0.0/16 ! -o berth0 -j MASQUERADE'));
  assert.ok(!n.some((l) => l.includes('-s 10.99.0.0/24 ! -o nbr9')), 'no masquerade for an internal network');
  // Hairpin (a container reaching a published port through the host's address) is masqueraded per network.
  assert.ok(n.includes('-A BERTH-T-POST -s 172.17.0.0/16 -o berth0 -m conntrack --ctstate DNAT -j MASQUERADE'));
  assert.ok(n.includes('-A BERTH-T-POST -s 127.0.0.0/8 -o berth0 -m addrtype --src-type LOCAL -j MASQUERADE'));
  assert.deepEqual(jumpRules('BERTH-T').filter, ['-I FORWARD 1 -j BERTH-T-FWD', '-I INPUT 1 -j BERTH-T-IN']);
});

test('the namespace side of the embedded DNS: 127.0.0.11:53 to the gateway listener', () => {
  const t = dnsRedirectTable({ ip: '172.18.0.1', port: 53 }).join('\n');
  assert.match(t, /ip daddr 127\.0\.0\.11 udp dport 53 dnat to 172\.18\.0\.1:53/);
  assert.match(t, /ip daddr 127\.0\.0\.11 tcp dport 53 dnat to 172\.18\.0\.1:53/);
  assert.match(t, /ip saddr 127\.0\.0\.0\/8 ip daddr 172\.18\.0\.1 meta l4proto \{ tcp, udp \} th dport 53 masquerade/);
});
