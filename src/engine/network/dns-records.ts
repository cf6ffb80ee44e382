import type { Answer, Question } from 'dns-packet';

/** Docker's embedded DNS answers with this TTL. */
export const DNS_TTL = 600;

export interface DnsEndpoint {
  ip: string;
  /** Lowercased names: container name, aliases, short id. */
  names: string[];
  containerName: string;
}

export interface DnsNetwork {
  name: string;
  endpoints: DnsEndpoint[];
}

/** What one querying container can see: its networks in sandbox order, its own links. */
export interface DnsClientView {
  networks: DnsNetwork[];
  /** Link aliases (user-defined networks) → addresses, for this container only. */
  links: Map<string, string[]>;
  /** External resolvers to forward to (--dns, else the host's). */
  upstream: string[];
  /** False when the container has no way out (only --internal networks). */
  canForward: boolean;
}

export type DnsDecision =
  | { kind: 'answer'; answers: Answer[] }
  | { kind: 'forward' }
  | { kind: 'nxdomain' }
  | { kind: 'servfail' };

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Addresses for name: links first, then the first network (in sandbox order) that knows it. */
function lookup(view: DnsClientView, name: string): string[] | undefined {
  const linked = view.links.get(name);
  if (linked && linked.length > 0) return linked;
  for (const net of view.networks) {
    const ips = net.endpoints.filter((e) => e.names.includes(name)).map((e) => e.ip);
    if (ips.length > 0) return ips;
  }
  // `name.network` resolves name on that network only.
  for (const net of view.networks) {
    const suffix = `.${net.name.toLowerCase()}`;
    if (!name.endsWith(suffix)) continue;
    const bare = name.slice(0, -suffix.length);
    const ips = net.endpoints.filter((e) => e.names.includes(bare)).map((e) => e.ip);
    if (ips.length > 0) return ips;
  }
  return undefined;
}

function ptrTarget(view: DnsClientView, qname: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(qname);
  if (!m) return undefined;
  const ip = [m[4], m[3], m[2], m[1]].join('.');
  for (const net of view.networks) {
    const ep = net.endpoints.find((e) => e.ip === ip);
    if (ep) return `${ep.containerName}.${net.name}`;
  }
  return undefined;
}

/**
 * How the embedded DNS answers one question, as dockerd's resolver does:
 * container names, aliases and short ids of the networks the querying
 * container is on; AAAA for a known name is an empty answer (IPv4 only);
 * PTR for a container address is `<name>.<network>`; the rest is forwarded.
 */
export function decide(view: DnsClientView, q: Question): DnsDecision {
  const qname = q.name.toLowerCase().replace(/\.$/, '');
  if (q.type === 'A' || q.type === 'AAAA') {
    const ips = lookup(view, qname);
    if (ips) {
      if (q.type === 'AAAA') return { kind: 'answer', answers: [] };
      return { kind: 'answer', answers: shuffle([...ips]).map((ip) => ({ type: 'A', name: q.name, ttl: DNS_TTL, class: 'IN', data: ip })) };
    }
  }
  if (q.type === 'PTR') {
    const target = ptrTarget(view, qname);
    if (target) return { kind: 'answer', answers: [{ type: 'PTR', name: q.name, ttl: DNS_TTL, class: 'IN', data: target }] };
  }
  if (!view.canForward || view.upstream.length === 0) return { kind: 'servfail' };
  return { kind: 'forward' };
}
