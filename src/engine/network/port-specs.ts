import { invalidArgument, notImplemented, type PortMap } from '../../core/index.js';
import { parseIp } from './ipv4.js';
import type { PublishedPort } from './types.js';

export type Proto = PublishedPort['proto'];

/** One requested binding before host ports are chosen. */
export interface PortRequest {
  proto: Proto;
  containerPort: number;
  hostIp: string;
  /** Inclusive host port range; [0, 0] = any ephemeral port. */
  hostPorts: [number, number];
  /** HostIp was empty: dockerd publishes on 0.0.0.0 and on [::] (proxied). */
  dualStack?: boolean;
}

export function parsePortKey(key: string): { port: number; proto: Proto } {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/.exec(key);
  const port = Number(m?.[1]);
  // dockerd quotes the port without its protocol.
  if (!m || port < 1 || port > 65535) throw invalidArgument(`invalid port specification: "${key.split('/')[0]}"`);
  return { port, proto: (m[2] ?? 'tcp') as Proto };
}

function parseHostPorts(text: string | undefined): [number, number] {
  if (text === undefined || text === '') return [0, 0];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const lo = Number(m?.[1]);
  const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
  if (!m || lo < 1 || hi > 65535 || hi < lo) throw invalidArgument(`invalid port specification: "${text}"`);
  return [lo, hi];
}

/**
 * The bindings a container asks for: `HostConfig.PortBindings`, plus every
 * exposed port without a binding when `PublishAllPorts` (-P) is set.
 */
export function portRequests(bindings: PortMap | null | undefined, publishAll: boolean | undefined, exposed: Record<string, object> | null | undefined): PortRequest[] {
  const out: PortRequest[] = [];
  const keys = new Set(Object.keys(bindings ?? {}));
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const { port, proto } = parsePortKey(key);
    for (const b of list ?? []) {
      const hostIp = b.HostIp ?? '';
      if (hostIp.includes(':')) throw notImplemented(`IPv6 host address ${hostIp} for port ${key}: Berth publishes ports on IPv4 only`);
      if (hostIp !== '' && parseIp(hostIp) === undefined) throw invalidArgument(`invalid IP address: ${hostIp}`);
      out.push({ proto, containerPort: port, hostIp: hostIp === '' ? '0.0.0.0' : hostIp, hostPorts: parseHostPorts(b.HostPort), ...(hostIp === '' ? { dualStack: true } : {}) });
    }
  }
  if (publishAll) {
    for (const key of Object.keys(exposed ?? {})) {
      if (keys.has(key) || keys.has(key.replace(/\/tcp$/, ''))) continue;
      const { port, proto } = parsePortKey(key);
      out.push({ proto, containerPort: port, hostIp: '0.0.0.0', hostPorts: [0, 0], dualStack: true });
    }
  }
  return out;
}

/** `NetworkSettings.Ports`: every exposed or published port, with its bindings or null. */
export function portsView(exposed: Record<string, object> | null | undefined, bound: readonly PublishedPort[]): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const view: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const key of Object.keys(exposed ?? {})) {
    const { port, proto } = parsePortKey(key);
    view[`${port}/${proto}`] = null;
  }
  for (const b of bound) {
    const key = `${b.containerPort}/${b.proto}`;
    const list = view[key] ?? [];
    list.push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
    view[key] = list;
  }
  // Go marshals maps with sorted keys: keep dockerd's byte order.
  return Object.fromEntries(Object.entries(view).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
