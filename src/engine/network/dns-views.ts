import { readFileSync, statSync } from 'node:fs';
import type { ContainerRecord } from '../containers/index.js';
import { isUserDefined, type NetworkContext } from './context.js';
import type { DnsClientView, DnsNetwork } from './dns-records.js';
import { parseLink } from './links.js';
import { parseResolvConf, upstreamServers } from './resolv-conf.js';

/** The host's resolvers, re-read when /etc/resolv.conf changes. */
export class HostResolvers {
  private cache: { mtimeMs: number; servers: string[] } | undefined;

  constructor(private readonly path: string) {}

  servers(): string[] {
    try {
      const mtimeMs = statSync(this.path).mtimeMs;
      if (this.cache?.mtimeMs !== mtimeMs) this.cache = { mtimeMs, servers: parseResolvConf(readFileSync(this.path, 'utf8')).nameservers };
      return this.cache.servers;
    } catch {
      return [];
    }
  }
}

function containerOf(ctx: NetworkContext, id: string): ContainerRecord | undefined {
  try {
    return ctx.containers().get(id);
  } catch {
    return undefined;
  }
}

/**
 * What the container at srcIp may resolve: the names of every user-defined
 * network it is on (in its endpoint order), its own links, and its upstream
 * servers. Subnets never overlap, so the source address names one endpoint.
 * undefined (refused) when srcIp is not a container on a user-defined
 * network: dockerd has no embedded DNS for the default bridge either.
 */
export function dnsView(ctx: NetworkContext, resolvers: HostResolvers, srcIp: string): DnsClientView | undefined {
  const sandbox = [...ctx.model.sandboxes.values()].find((s) => s.endpoints.some((ep) => ep.ip === srcIp));
  if (!sandbox) return undefined;
  const onUserNetwork = sandbox.endpoints.some((ep) => {
    const net = ctx.model.networks.get(ep.networkId);
    return net !== undefined && isUserDefined(net);
  });
  if (!onUserNetwork) return undefined;
  const rec = containerOf(ctx, sandbox.containerId);
  const networks: DnsNetwork[] = [];
  const links = new Map<string, string[]>();
  let canForward = false;
  for (const own of sandbox.endpoints) {
    const net = ctx.model.networks.get(own.networkId);
    if (!net) continue;
    if (!net.Internal) canForward = true;
    if (!isUserDefined(net)) continue;
    const peers = ctx.model.endpointsOn(net.Id);
    networks.push({
      name: net.Name,
      endpoints: peers.flatMap(({ sandbox: peer, ep }) => {
        const name = containerOf(ctx, peer.containerId)?.Name;
        if (!name) return [];
        return [{ ip: ep.ip, containerName: name, names: [name, ...ep.aliases].map((n) => n.toLowerCase()) }];
      }),
    });
    for (const spec of own.links) {
      const link = parseLink(spec);
      const target = containerOf(ctx, link.target);
      const ip = peers.find((p) => p.sandbox.containerId === target?.Id)?.ep.ip;
      if (ip) links.set(link.alias.toLowerCase(), [ip]);
    }
  }
  const settings = { dns: rec?.HostConfig.Dns ?? [], search: [], options: [] };
  return { networks, links, upstream: upstreamServers({ nameservers: resolvers.servers(), search: [], options: [] }, settings), canForward };
}
