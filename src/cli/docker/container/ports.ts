/**
 * Port flags: `-p [ip:][hostPort:]containerPort[/proto]` with ranges and
 * bracketed IPv6 addresses, the long `target=…,published=…` form, and
 * `--expose`; go-connections/nat's ParsePortSpecs with its messages.
 */
import { isIP } from 'node:net';

export interface PortBindingSpec {
  HostIp: string;
  HostPort: string;
}

export interface ParsedPorts {
  exposed: Map<string, true>;
  bindings: Map<string, PortBindingSpec[]>;
}

function parseRange(s: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new Error('invalid range');
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535) throw new Error('invalid range');
  if (end < start) throw new Error(`invalid range specified for container and host Ports: ${s}`);
  return [start, end];
}

function splitProtoPort(raw: string): [proto: string, port: string] {
  const parts = raw.split('/');
  if (parts.length === 0 || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0]!];
  return [parts[1]!, parts[0]!];
}

/** Splits "ip:host:container" where ip may be a bracketed IPv6 address. */
function splitSpec(raw: string): { ip: string; host: string; container: string } {
  let rest = raw;
  let ip = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new Error(`invalid IP address: ${raw}`);
    ip = rest.slice(1, close);
    rest = rest.slice(close + 2);
    const i = rest.indexOf(':');
    return { ip, host: i < 0 ? '' : rest.slice(0, i), container: i < 0 ? rest : rest.slice(i + 1) };
  }
  const parts = rest.split(':');
  if (parts.length === 1) return { ip: '', host: '', container: parts[0]! };
  if (parts.length === 2) return { ip: '', host: parts[0]!, container: parts[1]! };
  if (parts.length === 3) return { ip: parts[0]!, host: parts[1]!, container: parts[2]! };
  // An unbracketed IPv6 address: everything before the last two fields.
  return { ip: parts.slice(0, -2).join(':'), host: parts[parts.length - 2]!, container: parts[parts.length - 1]! };
}

/** The long syntax: target=80,published=8080,protocol=udp,mode=host. */
export function toStandardNotation(v: string): string {
  if (!v.includes('=')) return v;
  let target = '';
  let published = '';
  let proto = 'tcp';
  for (const field of v.split(',')) {
    const eq = field.indexOf('=');
    if (eq < 0) throw new Error(`invalid publish opts format (should be name=value but got '${field}')`);
    const key = field.slice(0, eq).toLowerCase();
    const val = field.slice(eq + 1);
    if (key === 'target') target = val;
    else if (key === 'published') published = val;
    else if (key === 'protocol') proto = val;
    else if (key !== 'mode') throw new Error(`invalid publish opts format (unknown key '${key}')`);
  }
  if (target === '') throw new Error('missing required field: target');
  return `${published}:${target}/${proto}`;
}

export function parsePortSpecs(specs: readonly string[]): ParsedPorts {
  const out: ParsedPorts = { exposed: new Map(), bindings: new Map() };
  for (const spec of specs) {
    const { ip, host, container } = splitSpec(toStandardNotation(spec));
    if (ip !== '' && isIP(ip) === 0) throw new Error(`invalid IP address: ${ip}`);
    if (container === '') throw new Error(`no port specified: ${spec}<empty>`);
    const [proto, port] = splitProtoPort(container);
    if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) throw new Error(`invalid proto: ${proto}`);
    let cStart: number;
    let cEnd: number;
    try {
      [cStart, cEnd] = parseRange(port);
    } catch {
      throw new Error(`invalid containerPort: ${port}`);
    }
    let hStart = 0;
    let hEnd = 0;
    if (host !== '') {
      try {
        [hStart, hEnd] = parseRange(host);
      } catch {
        throw new Error(`invalid hostPort: ${host}`);
      }
    }
    if (host !== '' && cEnd - cStart !== hEnd - hStart && hEnd !== hStart && cEnd !== cStart) {
      throw new Error(`invalid ranges specified for container and host Ports: ${port} and ${host}`);
    }
    for (let i = 0; i <= cEnd - cStart; i++) {
      const key = `${cStart + i}/${proto.toLowerCase()}`;
      let hostPort = '';
      if (host !== '') hostPort = cEnd - cStart === hEnd - hStart ? String(hStart + i) : hStart === hEnd ? String(hStart) : `${hStart}-${hEnd}`;
      out.exposed.set(key, true);
      const list = out.bindings.get(key) ?? [];
      list.push({ HostIp: ip, HostPort: hostPort });
      out.bindings.set(key, list);
    }
  }
  return out;
}

/** --expose: port or range with optional protocol, never a host part. */
export function addExposed(ports: ParsedPorts, values: readonly string[]): void {
  for (const e of values) {
    if (e.includes(':')) throw new Error(`invalid port format for --expose: ${e}`);
    const [proto, port] = splitProtoPort(e);
    let start: number;
    let end: number;
    try {
      [start, end] = parseRange(port);
    } catch (err) {
      throw new Error(`invalid range format for --expose: ${e}, error: ${(err as Error).message}`);
    }
    for (let p = start; p <= end; p++) ports.exposed.set(`${p}/${proto}`, true);
  }
}
