import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { Answer, StringAnswer } from 'dns-packet';
import { decide, type DnsClientView } from '../../../../src/engine/network/dns-records.js';
import { EmbeddedDns } from '../../../../src/engine/network/dns-server.js';

const view = (over: Partial<DnsClientView> = {}): DnsClientView => ({
  networks: [
    {
      name: 'n1',
      endpoints: [
        { ip: '10.210.0.2', containerName: 's1', names: ['s1', 'web', 'www', 'fe57eb07a93d'] },
        { ip: '10.210.0.3', containerName: 's2', names: ['s2', 'ac08309aca21'] },
      ],
    },
    { name: 'other', endpoints: [{ ip: '10.211.0.2', containerName: 'x', names: ['x', 'web'] }] },
  ],
  links: new Map(),
  upstream: ['10.255.255.53'],
  canForward: true,
  ...over,
});

const a = (name: string) => ({ type: 'A' as const, name });
const data = (answers: Answer[] | undefined) => (answers ?? []).map((x) => (x as StringAnswer).data);

test('names, network aliases and short ids resolve on the first network that has them', () => {
  for (const name of ['s1', 'WEB', 'www', 'fe57eb07a93d', 's1.']) {
    const d = decide(view(), a(name));
    assert.equal(d.kind, 'answer');
    assert.deepEqual(d.kind === 'answer' && data(d.answers), ['10.210.0.2'], name);
  }
  // `name.network` picks the network.
  const qualified = decide(view(), a('web.other'));
  assert.deepEqual(qualified.kind === 'answer' && data(qualified.answers), ['10.211.0.2']);
  assert.equal(decide(view(), a('example.com')).kind, 'forward');
});

test('AAAA of a known name is empty (no forwarding), PTR gives name.network, TTL 600', () => {
  assert.deepEqual(decide(view(), { type: 'AAAA', name: 's1' }), { kind: 'answer', answers: [] });
  const ptr = decide(view(), { type: 'PTR', name: '2.0.210.10.in-addr.arpa' });
  assert.deepEqual(ptr, { kind: 'answer', answers: [{ type: 'PTR', name: '2.0.210.10.in-addr.arpa', ttl: 600, class: 'IN', data: 's1.n1' }] });
});

test('links are per container and win; --internal-only containers get SERVFAIL instead of forwarding', () => {
  const linked = decide(view({ links: new Map([['db', ['10.210.0.3']]]) }), a('db'));
  assert.deepEqual(linked.kind === 'answer' && data(linked.answers), ['10.210.0.3']);
  assert.equal(decide(view({ canForward: false }), a('example.com')).kind, 'servfail');
  assert.equal(decide(view({ canForward: false }), a('s2')).kind, 'answer');
});

test('wire format: answers from the model, forwards the rest verbatim, refuses strangers', async () => {
  const forwarded: string[] = [];
  const dns = new EmbeddedDns(
    (src) => (src === '10.210.0.3' ? view() : undefined),
    async (query, servers) => {
      forwarded.push(servers.join(','));
      const q = dnsPacket.decode(query);
      return dnsPacket.encode({ type: 'response', id: q.id ?? 0, questions: q.questions ?? [], answers: [{ type: 'A', name: 'example.com', data: '93.184.216.34' }] });
    },
  );
  const query = (name: string, type: 'A' | 'AAAA' = 'A') => dnsPacket.encode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] });
  const r1 = dnsPacket.decode((await dns.answer('10.210.0.3', query('web'), 'udp'))!);
  assert.equal(r1.id, 4242);
  assert.equal(r1.type, 'response');
  assert.equal(r1.flag_rd, true);
  assert.deepEqual(r1.answers?.map((x) => [x.type, (x as StringAnswer).data, (x as StringAnswer).ttl]), [['A', '10.210.0.2', 600]]);
  const r2 = dnsPacket.decode((await dns.answer('10.210.0.3', query('example.com'), 'udp'))!);
  assert.deepEqual(data(r2.answers), ['93.184.216.34']);
  assert.deepEqual(forwarded, ['10.255.255.53']);
  const r3 = dnsPacket.decode((await dns.answer('10.9.9.9', query('web'), 'udp'))!) as dnsPacket.DecodedPacket & { rcode?: string };
  assert.equal(r3.rcode, 'REFUSED');
  assert.equal(await dns.answer('10.210.0.3', Buffer.from('garbage'), 'udp'), undefined);
});
