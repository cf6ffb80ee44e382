import { randomBytes } from 'node:crypto';
import { BerthError, conflict, invalidArgument, notFound, notImplemented } from '../../core/index.js';
import { defaultGateway, pickSubnet, type AddressPool } from './ipam.js';
import { contains, formatPrefix, macForIp, overlaps, parseCidr, parseIp, requireCidr, type Prefix } from './ipv4.js';
import type { IpamPoolConfig, NetworkCreateBody, NetworkRecord } from './types.js';

export const PREDEFINED = ['bridge', 'host', 'none'] as const;

export const OPT_BRIDGE_NAME = 'com.docker.network.bridge.name';
export const OPT_ICC = 'com.docker.network.bridge.enable_icc';
export const OPT_MASQ = 'com.docker.network.bridge.enable_ip_masquerade';
export const OPT_MTU = 'com.docker.network.driver.mtu';

export interface CreateContext {
  existing: readonly NetworkRecord[];
  /** IPv4 prefixes in use on the host that are not this daemon's bridges. */
  hostPrefixes: readonly Prefix[];
  pools: readonly AddressPool[];
  defaultMtu: number;
}

export function newNetworkId(): string {
  return randomBytes(32).toString('hex');
}

/** Validates a create request the way dockerd does and builds the record (bridge driver only). */
export function buildNetwork(body: NetworkCreateBody, ctx: CreateContext): NetworkRecord {
  const name = body.Name ?? '';
  if (name === '') throw new BerthError('InvalidArgument', 'invalid name: ', { details: { status: 500 } });
  if ((PREDEFINED as readonly string[]).includes(name)) {
    throw new BerthError('PermissionDenied', `operation is not permitted on predefined ${name} network `);
  }
  if (ctx.existing.some((n) => n.Name === name)) throw conflict(`network with name ${name} already exists`);
  const driver = body.Driver || 'bridge';
  if (driver === 'host' || driver === 'null') {
    throw new BerthError('PermissionDenied', `only one instance of "${driver}" network is allowed`);
  }
  if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
  const ipamDriver = body.IPAM?.Driver || 'default';
  if (ipamDriver !== 'default') throw notFound(`plugin "${ipamDriver}" not found`);
  if (body.EnableIPv6) throw notImplemented('IPv6 networks are not supported by Berth');
  if (body.ConfigOnly || (body.ConfigFrom?.Network ?? '') !== '') throw notImplemented('config-only networks are not supported by Berth');

  const options = { ...(body.Options ?? {}) };
  const id = newNetworkId();
  const bridgeName = options[OPT_BRIDGE_NAME] || `br-${id.slice(0, 12)}`;
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}$/.test(bridgeName)) throw invalidArgument(`invalid bridge name ${bridgeName}`);
  const clash = ctx.existing.find((n) => n.bridge?.name === bridgeName);
  if (clash) {
    throw new BerthError('PermissionDenied', `cannot create network ${id} (${bridgeName}): conflicts with network ${clash.Id} (${bridgeName}): networks have same bridge name`);
  }
  const mtu = options[OPT_MTU] ? Number(options[OPT_MTU]) : ctx.defaultMtu;
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw invalidArgument(`invalid MTU ${options[OPT_MTU] ?? ''}`);

  const configs = (body.IPAM?.Config ?? []).filter((c) => !(c.Subnet ?? '').includes(':'));
  if (configs.length > 1) throw notImplemented('Berth supports one IPv4 pool per network');
  const taken = ctx.existing.flatMap((n) => (n.bridge ? [parseCidr(n.bridge.subnet)!.prefix] : []));
  const pool = resolvePool(configs[0], taken, ctx);

  return {
    Name: name,
    Id: id,
    Created: new Date().toISOString(),
    Scope: 'local',
    Driver: 'bridge',
    EnableIPv6: false,
    IPAM: { Driver: ipamDriver, Options: body.IPAM?.Options ?? null, Config: [pool.shown] },
    Internal: body.Internal ?? false,
    Attachable: body.Attachable ?? false,
    Ingress: body.Ingress ?? false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Options: options,
    Labels: { ...(body.Labels ?? {}) },
    builtin: false,
    bridge: {
      name: bridgeName,
      subnet: formatPrefix(pool.subnet),
      gateway: pool.gateway,
      ...(pool.ipRange ? { ipRange: pool.ipRange } : {}),
      ...(pool.reserved.length > 0 ? { reserved: pool.reserved } : {}),
      autoSubnet: pool.auto,
      mac: macForIp(parseIp(pool.gateway)!),
      mtu,
      icc: options[OPT_ICC] !== 'false',
      masquerade: options[OPT_MASQ] !== 'false',
    },
  };
}

interface ResolvedPool {
  subnet: Prefix;
  gateway: string;
  ipRange?: string;
  reserved: string[];
  auto: boolean;
  /** What inspect shows in IPAM.Config: the request as given, or the allocation. */
  shown: IpamPoolConfig;
}

function resolvePool(config: IpamPoolConfig | undefined, taken: readonly Prefix[], ctx: CreateContext): ResolvedPool {
  if (!config?.Subnet) {
    if (config?.Gateway || config?.IPRange || config?.AuxiliaryAddresses) throw invalidArgument('an IP range, a gateway or auxiliary addresses need a subnet');
    const subnet = pickSubnet(ctx.pools, [...taken, ...ctx.hostPrefixes]);
    if (!subnet) throw new BerthError('PermissionDenied', 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
    const gateway = defaultGateway(subnet);
    return { subnet, gateway, reserved: [], auto: true, shown: { Subnet: formatPrefix(subnet), Gateway: gateway } };
  }
  const subnet = requireCidr(config.Subnet).prefix;
  if (subnet.length > 30) throw invalidArgument(`subnet ${config.Subnet} is too small for a network`);
  if (taken.some((t) => overlaps(t, subnet))) throw new BerthError('PermissionDenied', 'Pool overlaps with other one on this address space');
  let gateway = defaultGateway(subnet);
  if (config.Gateway) {
    const gw = parseIp(config.Gateway);
    if (gw === undefined || !contains(subnet, gw)) {
      throw new BerthError('Internal', `failed to allocate gateway (${config.Gateway}): Requested address is out of range`);
    }
    gateway = config.Gateway;
  }
  let ipRange: string | undefined;
  if (config.IPRange) {
    const range = requireCidr(config.IPRange, 'ip-range').prefix;
    if (!(range.length >= subnet.length && contains(subnet, range.network))) {
      throw invalidArgument(`Invalid ip-range ${config.IPRange}: it is not within subnet ${config.Subnet}`);
    }
    ipRange = formatPrefix(range);
  }
  const reserved = Object.values(config.AuxiliaryAddresses ?? {});
  for (const aux of reserved) {
    const ip = parseIp(aux);
    if (ip === undefined || !contains(subnet, ip)) throw invalidArgument(`invalid auxiliary address ${aux}: not within subnet ${config.Subnet}`);
  }
  return { subnet, gateway, ...(ipRange ? { ipRange } : {}), reserved, auto: false, shown: { ...config } };
}
