import { BerthError, conflict, invalidArgument } from '../../core/index.js';
import { broadcastOf, contains, formatIp, formatPrefix, overlaps, parseCidr, parseIp, prefixSize, type Prefix } from './ipv4.js';
import type { BridgeState } from './types.js';

/** An address pool Docker-style: `base` cut into subnets of `size` bits. */
export interface AddressPool {
  base: string;
  size: number;
}

/** Docker's default-address-pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s. */
export const DEFAULT_ADDRESS_POOLS: readonly AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/16', size: 16 },
  { base: '172.19.0.0/16', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/** The first subnet of the pools that overlaps none of `used`. */
export function pickSubnet(pools: readonly AddressPool[], used: readonly Prefix[]): Prefix | undefined {
  for (const pool of pools) {
    const base = parseCidr(pool.base);
    if (!base || pool.size < base.prefix.length || pool.size > 30) continue;
    const step = 2 ** (32 - pool.size);
    const end = base.prefix.network + prefixSize(base.prefix);
    for (let net = base.prefix.network; net < end; net += step) {
      const candidate = { network: net, length: pool.size };
      if (!used.some((u) => overlaps(u, candidate))) return candidate;
    }
  }
  return undefined;
}

/**
 * Address allocation inside one bridge network. Berth owns it (CNI gets a
 * `static` IPAM config), so the plugins never keep leases of their own:
 * `used` is always computed from the sandboxes that exist.
 */
export function allocateAddress(bridge: BridgeState, used: ReadonlySet<string>, requested: string | undefined, network: { name: string; id: string }): string {
  const subnet = parseCidr(bridge.subnet)!.prefix;
  if (requested !== undefined && requested !== '') {
    const ip = parseIp(requested);
    if (ip === undefined) throw invalidArgument(`invalid IPv4 address: ${requested}`);
    if (!contains(subnet, ip)) throw invalidArgument(`Invalid address ${requested}: It does not belong to any of this network's subnets`);
    if (ip === subnet.network || ip === broadcastOf(subnet) || requested === bridge.gateway || used.has(requested) || bridge.reserved?.includes(requested)) {
      throw new BerthError('Conflict', 'Address already in use', { details: { status: 403 } });
    }
    return requested;
  }
  const range: Prefix = bridge.ipRange ? parseCidr(bridge.ipRange)!.prefix : subnet;
  const last = broadcastOf(range);
  for (let ip = range.network; ip <= last; ip++) {
    if (!contains(subnet, ip) || ip === subnet.network || ip === broadcastOf(subnet)) continue;
    const text = formatIp(ip);
    if (text === bridge.gateway || used.has(text) || bridge.reserved?.includes(text)) continue;
    return text;
  }
  throw conflict(`no available IPv4 addresses on this network's address pools: ${network.name} (${network.id})`);
}

/** The gateway Docker picks when none is given: the first address of the subnet. */
export function defaultGateway(subnet: Prefix): string {
  return formatIp(subnet.network + 1);
}

export { formatPrefix };
