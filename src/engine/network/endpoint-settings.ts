import type { EndpointSettings } from '../../core/index.js';
import type { EndpointRecord } from './types.js';

/**
 * `NetworkSettings.Networks[name]` in dockerd's field order. The same
 * object carries the configuration (IPAMConfig, Links, Aliases, DriverOpts)
 * and, while the container runs, the endpoint's addresses.
 */
function shape(config: EndpointSettings, runtime: Partial<EndpointSettings>): EndpointSettings {
  return {
    IPAMConfig: config.IPAMConfig ?? null,
    Links: config.Links ?? null,
    Aliases: config.Aliases ?? null,
    NetworkID: runtime.NetworkID ?? '',
    EndpointID: runtime.EndpointID ?? '',
    Gateway: runtime.Gateway ?? '',
    IPAddress: runtime.IPAddress ?? '',
    IPPrefixLen: runtime.IPPrefixLen ?? 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    MacAddress: runtime.MacAddress ?? '',
    DriverOpts: config.DriverOpts ?? null,
  };
}

/** A created container's entry: configuration only. */
export function configuredEndpoint(config: EndpointSettings = {}): EndpointSettings {
  return shape(config, {});
}

/** A running container's entry. */
export function activeEndpoint(config: EndpointSettings, ep: EndpointRecord): EndpointSettings {
  return shape(
    { ...config, Aliases: ep.aliases.length > 0 ? ep.aliases : (config.Aliases ?? null) },
    { NetworkID: ep.networkId, EndpointID: ep.endpointId, Gateway: ep.gateway, IPAddress: ep.ip, IPPrefixLen: ep.prefixLen, MacAddress: ep.mac },
  );
}

/** After the container stopped: dockerd keeps the configuration and the network id. */
export function stoppedEndpoint(current: EndpointSettings): EndpointSettings {
  return shape(current, { NetworkID: current.NetworkID ?? '' });
}
