/**
 * Network flags of `run`: --network (plain or `name=…,alias=…,ip=…`),
 * --network-alias, --ip/--ip6, --link, --dns, --add-host; the endpoint
 * settings the docker CLI 28 sends with the create request.
 */
import { isIP } from 'node:net';

export function checkDns(v: string): void {
  if (isIP(v.trim()) === 0) throw new Error(`IP address is not correctly formatted: ${v}`);
}

/** opts.ValidateExtraHost: "host:ip" or "host=ip" (host-gateway allowed), sent as "host:ip". */
export function normalizeExtraHost(v: string): string {
  const sep = v.indexOf('=') >= 0 ? v.indexOf('=') : v.indexOf(':');
  if (sep <= 0) throw new Error(`bad format for add-host: "${v}"`);
  const host = v.slice(0, sep);
  let ip = v.slice(sep + 1);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip !== 'host-gateway' && isIP(ip) === 0) throw new Error(`invalid IP address in add-host: "${ip}"`);
  return `${host}:${ip}`;
}

export function checkExtraHost(v: string): void {
  normalizeExtraHost(v);
}

export interface NetworkAttachment {
  target: string;
  aliases: string[];
  ipv4: string;
  ipv6: string;
  links: string[];
  driverOpts: Record<string, string>;
  macAddress: string;
}

/** One --network value: a name, or `name=…,alias=…,ip=…,ip6=…,driver-opt=k=v,mac-address=…`. */
export function parseNetworkOpt(v: string): NetworkAttachment {
  const n: NetworkAttachment = { target: v, aliases: [], ipv4: '', ipv6: '', links: [], driverOpts: {}, macAddress: '' };
  if (!v.includes('=')) return n;
  n.target = '';
  for (const field of v.split(',')) {
    const eq = field.indexOf('=');
    if (eq < 0) throw new Error(`invalid field '${field}' must be a key=value pair`);
    const key = field.slice(0, eq).toLowerCase();
    const val = field.slice(eq + 1);
    if (key === 'name') n.target = val;
    else if (key === 'alias') n.aliases.push(val);
    else if (key === 'ip') n.ipv4 = val;
    else if (key === 'ip6') n.ipv6 = val;
    else if (key === 'link') n.links.push(val);
    else if (key === 'mac-address') n.macAddress = val;
    else if (key === 'driver-opt') {
      const i = val.indexOf('=');
      n.driverOpts[i < 0 ? val : val.slice(0, i)] = i < 0 ? '' : val.slice(i + 1);
    } else throw new Error(`invalid field key ${key}`);
  }
  if (n.target === '') throw new Error('network name/id is not specified');
  return n;
}

export function isUserDefined(mode: string): boolean {
  return !['default', 'bridge', 'host', 'none'].includes(mode) && !mode.startsWith('container:');
}

/** EndpointSettings as CLI 28 serialises it (every field, zero values included). */
export function endpointSettings(n: NetworkAttachment): Record<string, unknown> {
  const ipam: Record<string, unknown> = {};
  if (n.ipv4) ipam['IPv4Address'] = n.ipv4;
  if (n.ipv6) ipam['IPv6Address'] = n.ipv6;
  return {
    IPAMConfig: Object.keys(ipam).length > 0 ? ipam : null,
    Links: n.links.length > 0 ? n.links : null,
    Aliases: n.aliases.length > 0 ? n.aliases : null,
    MacAddress: n.macAddress,
    DriverOpts: Object.keys(n.driverOpts).length > 0 ? n.driverOpts : null,
    GwPriority: 0,
    NetworkID: '',
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: null,
  };
}

export interface NetworkFlags {
  networks: string[];
  aliases: string[];
  ip: string;
  ip6: string;
  links: string[];
}

/** NetworkMode and NetworkingConfig.EndpointsConfig for the create body. */
export function networkConfig(f: NetworkFlags): { mode: string; endpoints: Record<string, unknown> } {
  const attachments = f.networks.map(parseNetworkOpt);
  const implicit = attachments.length === 0;
  if (implicit) attachments.push(parseNetworkOpt('default'));
  const first = attachments[0]!;
  if (f.aliases.length > 0 && first.aliases.length > 0) throw new Error('conflicting options: cannot specify both --network-alias and per-network alias');
  if (f.links.length > 0 && first.links.length > 0) throw new Error('conflicting options: cannot specify both --link and per-network links');
  if (f.ip && first.ipv4) throw new Error('conflicting options: cannot specify both --ip and per-network IPv4 address');
  if (f.ip6 && first.ipv6) throw new Error('conflicting options: cannot specify both --ip6 and per-network IPv6 address');
  if (f.aliases.length > 0) first.aliases = [...f.aliases];
  if (f.links.length > 0) first.links = [...f.links];
  if (f.ip) first.ipv4 = f.ip;
  if (f.ip6) first.ipv6 = f.ip6;
  const endpoints: Record<string, unknown> = {};
  let userDefined = false;
  let builtin = false;
  attachments.forEach((n, i) => {
    if (isUserDefined(n.target)) userDefined = true;
    else builtin = true;
    if (n.aliases.length > 0 && !isUserDefined(n.target)) throw new Error('network-scoped aliases are only supported for user-defined networks');
    if (n.target in endpoints) throw new Error(`network "${n.target}" is specified multiple times`);
    const empty = n.aliases.length === 0 && n.links.length === 0 && !n.ipv4 && !n.ipv6 && !n.macAddress && Object.keys(n.driverOpts).length === 0;
    if (i === 0 && attachments.length === 1 && empty && !implicit) return;
    endpoints[n.target] = endpointSettings(n);
  });
  if (userDefined && builtin) throw new Error('conflicting options: cannot attach both user-defined and non-user-defined network-modes');
  return { mode: first.target, endpoints };
}
