import { invalidArgument, isBerthError, type EndpointSettings } from '../../core/index.js';
import type { ContainerRecord } from '../containers/index.js';
import { isUserDefined, shortId, type NetworkContext } from './context.js';
import { configuredEndpoint } from './endpoint-settings.js';
import { parseExtraHosts } from './etc-files.js';
import { normalizeLink, parseLink } from './links.js';
import { portRequests } from './port-specs.js';

/** The container's network mode as dockerd reads it: '' and 'default' mean the default bridge. */
export type NetworkMode =
  | { kind: 'bridge' }
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'container'; target: string }
  | { kind: 'user'; network: string };

export function networkMode(rec: ContainerRecord): NetworkMode {
  const mode = rec.HostConfig.NetworkMode ?? '';
  if (mode === '' || mode === 'default' || mode === 'bridge') return { kind: 'bridge' };
  if (mode === 'host') return { kind: 'host' };
  if (mode === 'none') return { kind: 'none' };
  if (mode.startsWith('container:')) return { kind: 'container', target: mode.slice('container:'.length) };
  return { kind: 'user', network: mode };
}

function conflicting(what: string): Error {
  return invalidArgument(`conflicting options: ${what}`);
}

/**
 * `docker create`: dockerd's checks on network options and the initial
 * `NetworkSettings` (configured endpoints, no addresses until start).
 */
export function prepareContainer(ctx: NetworkContext, rec: ContainerRecord): void {
  const h = rec.HostConfig;
  const mode = networkMode(rec);
  const endpointsConfig = rec.NetworkingConfig.EndpointsConfig ?? {};
  const keys = Object.keys(endpointsConfig);
  if (keys.length > 1) throw invalidArgument(`Container cannot be connected to network endpoints: ${keys.join(', ')}`);
  // Syntax checks (dockerd refuses these at create).
  portRequests(h.PortBindings, h.PublishAllPorts, rec.Config.ExposedPorts);
  parseExtraHosts(h.ExtraHosts, '0.0.0.0');

  const userHostname = rec.Config.Hostname !== undefined && rec.Config.Hostname !== '' && rec.Config.Hostname !== shortId(rec.Id);
  let networks: Record<string, EndpointSettings> = {};
  switch (mode.kind) {
    case 'container': {
      const target = lookupContainer(ctx, mode.target, (m) => m);
      if (userHostname) throw conflicting('hostname and the network mode');
      if ((h.Dns ?? []).length > 0) throw conflicting('dns and the network mode');
      if ((h.ExtraHosts ?? []).length > 0) throw conflicting('custom host-to-IP mapping and the network mode');
      if (rec.Config.MacAddress) throw conflicting('mac-address and the network mode');
      if (Object.keys(h.PortBindings ?? {}).length > 0 || h.PublishAllPorts) throw conflicting('port publishing and the container type network mode');
      if ((h.Links ?? []).length > 0) throw conflicting("container type network can't be used with links. This would result in undefined behavior");
      h.NetworkMode = `container:${target.Id}`;
      break;
    }
    case 'host':
      if ((h.Links ?? []).length > 0) throw conflicting("host type networking can't be used with links. This would result in undefined behavior");
      networks = { host: configuredEndpoint(pick(endpointsConfig, ['host'])) };
      break;
    case 'none':
      networks = { none: configuredEndpoint(pick(endpointsConfig, ['none'])) };
      break;
    case 'bridge':
      networks = { bridge: configuredEndpoint(pick(endpointsConfig, ['bridge', 'default'])) };
      break;
    case 'user': {
      const net = ctx.model.find(mode.network);
      networks = { [net.Name]: configuredEndpoint(pick(endpointsConfig, [mode.network, net.Name, net.Id])) };
      break;
    }
  }
  if (h.Links && h.Links.length > 0) {
    h.Links = h.Links.map((spec) => {
      const link = parseLink(spec);
      const target = lookupContainer(ctx, link.target, (m) => `could not get container for ${link.target}: ${m}`);
      return normalizeLink({ target: target.Name, alias: link.alias }, rec.Name);
    });
  }
  rec.NetworkSettings.Networks = networks;
  rec.NetworkSettings.Ports = {};
  rec.NetworkSettings.SandboxID = '';
  rec.NetworkSettings.SandboxKey = '';
}

function pick(config: Record<string, EndpointSettings>, keys: readonly string[]): EndpointSettings {
  for (const k of keys) if (config[k]) return config[k];
  return {};
}

function lookupContainer(ctx: NetworkContext, idOrName: string, wrap: (msg: string) => string): ContainerRecord {
  try {
    return ctx.containers().get(idOrName);
  } catch (err) {
    if (isBerthError(err, 'NotFound')) {
      const msg = wrap(err.message);
      if (msg === err.message) throw err;
      throw invalidArgument(msg);
    }
    throw err;
  }
}

/** Checks an endpoint configuration against its network (at start and at connect). */
export function validateEndpointConfig(ctx: NetworkContext, netName: string, config: EndpointSettings): void {
  const net = ctx.model.find(config.NetworkID && ctx.model.networks.has(config.NetworkID) ? config.NetworkID : netName);
  const ip = config.IPAMConfig?.IPv4Address ?? '';
  if (!isUserDefined(net)) {
    if (ip !== '') throw invalidArgument('user specified IP address is supported on user defined networks only');
    if ((config.Aliases ?? []).length > 0) throw invalidArgument('network-scoped alias is supported only for containers in user defined networks');
    return;
  }
  if (ip !== '' && net.bridge?.autoSubnet !== false) {
    throw invalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
  }
}
