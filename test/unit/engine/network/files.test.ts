import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExtraHosts, renderHosts } from '../../../../src/engine/network/etc-files.js';
import { linkEnv, normalizeLink, parseLink } from '../../../../src/engine/network/links.js';
import { renderEmbeddedResolvConf, renderPlainResolvConf } from '../../../../src/engine/network/resolv-conf.js';

const HOST = 'nameserver 10.255.255.53\n';
const none = { dns: [], search: [], options: [] };

// Every expected text below was printed by `docker exec … cat` against dockerd 20.10.
test('resolv.conf on the default bridge: the host file, or rebuilt from --dns/--dns-search/--dns-option', () => {
  assert.equal(renderPlainResolvConf(HOST, none), 'nameserver 10.255.255.53\n');
  assert.equal(renderPlainResolvConf(HOST, { dns: ['9.9.9.9'], search: ['example.com'], options: ['ndots:2'] }), 'search example.com\nnameserver 9.9.9.9\noptions ndots:2\n');
  assert.equal(renderPlainResolvConf(HOST, { dns: ['9.9.9.9'], search: ['a.b'], options: [] }), 'search a.b\nnameserver 9.9.9.9\n');
  assert.equal(renderPlainResolvConf(HOST, { dns: [], search: [], options: ['ndots:3'] }), 'nameserver 10.255.255.53\noptions ndots:3\n');
  // Loopback resolvers make no sense inside a namespace: dockerd drops them and falls back to Google's.
  assert.equal(renderPlainResolvConf('nameserver 127.0.0.53\noptions edns0\n', none), 'options edns0\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n');
});

test('resolv.conf on user-defined networks: 127.0.0.11 with ndots:0 unless ndots is given', () => {
  assert.equal(renderEmbeddedResolvConf(HOST, none), 'nameserver 127.0.0.11\noptions ndots:0\n');
  assert.equal(renderEmbeddedResolvConf(HOST, { dns: ['9.9.9.9'], search: [], options: ['timeout:1'] }), 'nameserver 127.0.0.11\noptions timeout:1 ndots:0\n');
  assert.equal(renderEmbeddedResolvConf(HOST, { dns: [], search: ['x.y'], options: ['ndots:3'] }), 'search x.y\nnameserver 127.0.0.11\noptions ndots:3\n');
  assert.equal(renderEmbeddedResolvConf(HOST, { dns: [], search: ['foo.bar'], options: [] }), 'search foo.bar\nnameserver 127.0.0.11\noptions ndots:0\n');
});

const DEFAULTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

test('/etc/hosts: defaults, --add-host, links, then the container itself (fqdn and short name)', () => {
  assert.equal(renderHosts({ records: parseExtraHosts(['foo:1.2.3.4'], ''), ownIp: '10.201.0.2', hostname: 'hh', domainname: '' }), `${DEFAULTS}1.2.3.4\tfoo\n10.201.0.2\thh\n`);
  assert.equal(
    renderHosts({ records: parseExtraHosts(['h1:1.1.1.1', 'h2:2.2.2.2'], ''), ownIp: '10.210.0.5', hostname: 'my.host.dom', domainname: 'dd' }),
    `${DEFAULTS}1.1.1.1\th1\n2.2.2.2\th2\n10.210.0.5\tmy.host.dom.dd my\n`,
  );
  assert.equal(renderHosts({ records: [{ ip: '10.201.0.2', names: 'webalias hh web' }], ownIp: '10.201.0.3', hostname: '0306cae64375', domainname: '' }), `${DEFAULTS}10.201.0.2\twebalias hh web\n10.201.0.3\t0306cae64375\n`);
  // --network none: no own entry.
  assert.equal(renderHosts({ records: [], hostname: 'x', domainname: '' }), DEFAULTS);
  assert.deepEqual(parseExtraHosts(['host.docker.internal:host-gateway'], '172.17.0.1'), [{ ip: '172.17.0.1', names: 'host.docker.internal' }]);
  assert.throws(() => parseExtraHosts(['nocolon'], ''), /invalid IP address in add-host/);
});

test('links: stored as /target:/container/alias, environment exactly as dockerd 20.10 set it', () => {
  assert.equal(normalizeLink(parseLink('web:webalias'), 'cli'), '/web:/cli/webalias');
  assert.equal(normalizeLink(parseLink('cc'), 'lk3'), '/cc:/lk3/cc');
  assert.deepEqual(parseLink('/web:/cli/webalias'), { target: 'web', alias: 'webalias' });
  assert.deepEqual(linkEnv('/cli/webalias', '10.201.0.2', ['81/udp', '80/tcp'], ['PATH=/usr/bin', 'HOME=/root']), [
    'WEBALIAS_PORT=tcp://10.201.0.2:80',
    'WEBALIAS_PORT_80_TCP=tcp://10.201.0.2:80',
    'WEBALIAS_PORT_80_TCP_ADDR=10.201.0.2',
    'WEBALIAS_PORT_80_TCP_PORT=80',
    'WEBALIAS_PORT_80_TCP_PROTO=tcp',
    'WEBALIAS_PORT_81_UDP=udp://10.201.0.2:81',
    'WEBALIAS_PORT_81_UDP_ADDR=10.201.0.2',
    'WEBALIAS_PORT_81_UDP_PORT=81',
    'WEBALIAS_PORT_81_UDP_PROTO=udp',
    'WEBALIAS_NAME=/cli/webalias',
  ]);
  const ranged = linkEnv('/a/my-db', '10.0.0.2', ['5000/tcp', '5001/tcp'], ['X=1']);
  assert.ok(ranged.includes('MY_DB_PORT_5000_TCP_START=tcp://10.0.0.2:5000'));
  assert.ok(ranged.includes('MY_DB_PORT_5000_TCP_PORT_END=5001'));
  assert.equal(ranged.at(-1), 'MY_DB_ENV_X=1');
});
