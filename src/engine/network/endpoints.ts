import { randomBytes } from 'node:crypto';
import { errorMessage, internal, type EndpointSettings } from '../../core/index.js';
import type { ContainerRecord } from '../containers/index.js';
import { isUserDefined, log, shortId, type NetworkContext } from './context.js';
import { validateEndpointConfig } from './container-config.js';
import { allocateAddress } from './ipam.js';
import { isValidMac, macForIp, parseCidr, parseIp } from './ipv4.js';
import type { EndpointRecord, NetworkRecord, SandboxRecord } from './types.js';

/**
 * Plans one endpoint of a sandbox on a bridge network: address (Berth's
 * IPAM), MAC (dockerd's 02:42:<ip>), interface name, DNS aliases, and the
 * CNI configuration (bridge plugin with static IPAM) that will create it.
 * Call under the model lock: the address is taken once the endpoint is in
 * a sandbox of the model.
 */
export function planEndpoint(ctx: NetworkContext, sandbox: SandboxRecord, rec: ContainerRecord, netName: string, config: EndpointSettings): EndpointRecord {
  validateEndpointConfig(ctx, netName, config);
  const net = ctx.model.find(netName);
  if (net.Driver !== 'bridge') return nullEndpoint(net);
  const bridge = net.bridge;
  if (!bridge) throw internal(`network ${net.Name} has no bridge`);
  const used = ctx.model.usedAddresses(net.Id);
  for (const ep of sandbox.endpoints) if (ep.networkId === net.Id) used.add(ep.ip);
  const ip = allocateAddress(bridge, used, config.IPAMConfig?.IPv4Address, { name: net.Name, id: net.Id });
  const first = sandbox.endpoints.length === 0;
  const requestedMac = config.MacAddress || (first ? rec.Config.MacAddress : undefined);
  if (requestedMac && !isValidMac(requestedMac)) throw internal(`invalid MAC address ${requestedMac}`);
  const mac = requestedMac || macForIp(parseIp(ip)!);
  const prefixLen = parseCidr(bridge.subnet)!.prefix.length;
  const gatewayRoute = !sandbox.endpoints.some((e) => e.gatewayRoute);
  const aliases = [...(config.Aliases ?? [])];
  if (isUserDefined(net) && !aliases.includes(shortId(rec.Id))) aliases.push(shortId(rec.Id));
  const links = isUserDefined(net) ? [...(config.Links ?? []), ...(first && isUserDefined(net) ? (rec.HostConfig.Links ?? []) : [])] : [];
  return {
    networkId: net.Id,
    networkName: net.Name,
    endpointId: randomBytes(32).toString('hex'),
    ifName: nextIfName(sandbox),
    ip,
    prefixLen,
    gateway: bridge.gateway,
    mac,
    aliases: isUserDefined(net) ? aliases : [],
    links,
    gatewayRoute,
    cniConfig: cniConfig(net, { ip, prefixLen, mac, gatewayRoute }),
  };
}

/**
 * dockerd also gives `host` and `none` containers an endpoint: no interface,
 * no address, but an id, and a place in the network's `Containers`.
 */
export function nullEndpoint(net: NetworkRecord): EndpointRecord {
  return {
    networkId: net.Id,
    networkName: net.Name,
    endpointId: randomBytes(32).toString('hex'),
    ifName: '',
    ip: '',
    prefixLen: 0,
    gateway: '',
    mac: '',
    aliases: [],
    links: [],
    gatewayRoute: false,
    cniConfig: {},
  };
}

function nextIfName(sandbox: SandboxRecord): string {
  for (let i = 0; ; i++) if (!sandbox.endpoints.some((e) => e.ifName === `eth${i}`)) return `eth${i}`;
}

/** The CNI network configuration of one endpoint: `bridge` with `static` IPAM (Berth allocates). */
function cniConfig(net: NetworkRecord, ep: { ip: string; prefixLen: number; mac: string; gatewayRoute: boolean }): Record<string, unknown> {
  const bridge = net.bridge!;
  return {
    cniVersion: '1.0.0',
    name: `berth-${shortId(net.Id)}`,
    type: 'bridge',
    bridge: bridge.name,
    // Berth creates the bridge with its address, and NAT is per network in Berth's own chains.
    isGateway: false,
    ipMasq: false,
    hairpinMode: true,
    mtu: bridge.mtu,
    capabilities: { mac: true },
    runtimeConfig: { mac: ep.mac },
    ipam: {
      type: 'static',
      addresses: [{ address: `${ep.ip}/${ep.prefixLen}`, gateway: bridge.gateway }],
      routes: ep.gatewayRoute ? [{ dst: '0.0.0.0/0', gw: bridge.gateway }] : [],
    },
  };
}

/** CNI ADD; keeps the result on the endpoint for the DEL that will undo it. */
export async function attachEndpoint(ctx: NetworkContext, sandbox: SandboxRecord, ep: EndpointRecord): Promise<void> {
  if (!ep.ifName) return;
  ep.cniResult = await ctx.host.cni.add({ containerId: sandbox.containerId, netnsPath: sandbox.netnsPath, ifName: ep.ifName, config: ep.cniConfig });
}

/** CNI DEL with the ADD result as prevResult; failures are logged (the namespace goes anyway). */
export async function detachEndpoint(ctx: NetworkContext, sandbox: SandboxRecord, ep: EndpointRecord): Promise<void> {
  if (!ep.ifName) return;
  try {
    await ctx.host.cni.del({
      containerId: sandbox.containerId,
      netnsPath: sandbox.netnsPath,
      ifName: ep.ifName,
      config: ep.cniConfig,
      ...(ep.cniResult ? { prevResult: ep.cniResult } : {}),
    });
  } catch (err) {
    log.warn('CNI DEL failed', { container: sandbox.containerId, ifName: ep.ifName, err: errorMessage(err) });
  }
}
