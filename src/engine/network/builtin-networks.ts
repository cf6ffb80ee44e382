import { BerthError } from '../../core/index.js';
import { defaultGateway, pickSubnet, type AddressPool } from './ipam.js';
import { formatIp, formatPrefix, macForIp, requireCidr, type Prefix } from './ipv4.js';
import { newNetworkId, OPT_BRIDGE_NAME, OPT_ICC, OPT_MASQ, OPT_MTU } from './network-create.js';
import type { NetworkRecord } from './types.js';

export interface DefaultBridgeConfig {
  bridgeName: string;
  /** `--bip`: the gateway address with its prefix, e.g. 172.17.0.1/16. */
  bip?: string;
  mtu: number;
  pools: readonly AddressPool[];
  /** Prefixes in use on the host, not counting this daemon's bridges. */
  hostPrefixes: readonly Prefix[];
  /** Subnets of the user-defined networks that already exist. */
  taken: readonly Prefix[];
}

function base(name: string, driver: NetworkRecord['Driver']): NetworkRecord {
  return {
    Name: name,
    Id: newNetworkId(),
    Created: new Date().toISOString(),
    Scope: 'local',
    Driver: driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [] },
    Internal: false,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Options: {},
    Labels: {},
    builtin: true,
  };
}

export function hostNetwork(): NetworkRecord {
  return base('host', 'host');
}

export function noneNetwork(): NetworkRecord {
  return base('none', 'null');
}

/**
 * The default `bridge` network. It keeps its id and subnet across restarts
 * (so restored containers stay valid) unless the daemon's --bip changed.
 */
export function defaultBridge(previous: NetworkRecord | undefined, cfg: DefaultBridgeConfig): NetworkRecord {
  let gateway: string;
  let subnet: Prefix;
  if (cfg.bip) {
    const parsed = requireCidr(cfg.bip, 'bip');
    subnet = parsed.prefix;
    gateway = formatIp(parsed.ip === subnet.network ? subnet.network + 1 : parsed.ip);
  } else if (previous?.bridge && previous.bridge.name === cfg.bridgeName) {
    subnet = requireCidr(previous.bridge.subnet).prefix;
    gateway = previous.bridge.gateway;
  } else {
    const picked = pickSubnet(cfg.pools, [...cfg.hostPrefixes, ...cfg.taken]);
    if (!picked) throw new BerthError('Unavailable', 'could not find a free subnet for the default bridge network; set --bip');
    subnet = picked;
    gateway = defaultGateway(picked);
  }
  const rec = previous ?? base('bridge', 'bridge');
  return {
    ...rec,
    IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: formatPrefix(subnet), Gateway: gateway }] },
    Options: {
      'com.docker.network.bridge.default_bridge': 'true',
      [OPT_ICC]: 'true',
      [OPT_MASQ]: 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      [OPT_BRIDGE_NAME]: cfg.bridgeName,
      [OPT_MTU]: String(cfg.mtu),
    },
    bridge: {
      name: cfg.bridgeName,
      subnet: formatPrefix(subnet),
      gateway,
      autoSubnet: cfg.bip === undefined,
      mac: macForIp(requireCidr(`${gateway}/32`).ip),
      mtu: cfg.mtu,
      icc: true,
      masquerade: true,
    },
  };
}
