import { join } from 'node:path';
import { errorMessage, logger } from '../../core/index.js';
import type { DnsTarget, NetworkHost } from '../../platform/linux/network-host.js';
import type { ContainerLookup, ContainerRecord } from '../containers/index.js';
import type { EventBus } from '../events/index.js';
import type { AsyncLock } from './async-lock.js';
import type { EmbeddedDns } from './dns-server.js';
import type { FirewallSync } from './firewall-sync.js';
import type { AddressPool } from './ipam.js';
import type { NetnsPool } from './netns-pool.js';
import type { NetworkModel } from './network-model.js';
import type { NetworkStore } from './network-store.js';
import type { PortAllocator } from './port-allocator.js';
import type { NetworkRecord } from './types.js';

export const log = logger('engine.network');

/** Daemon settings for networking (flags of `berth daemon`). */
export interface NetworkServiceOptions {
  /** Persistent state: `<root>/network`. */
  root: string;
  /** Runtime state; namespaces live in `<execRoot>/netns`. */
  execRoot: string;
  /** The default bridge's device (dockerd: docker0). Unique per daemon on a host. */
  bridgeName?: string;
  /** `--bip`: the default bridge's gateway address and prefix. */
  bip?: string;
  defaultAddressPools?: AddressPool[];
  /** Prefix of this daemon's iptables chains; derived from bridgeName when omitted. */
  firewallPrefix?: string;
  mtu?: number;
  /** The host files containers' /etc files derive from (tests point them elsewhere). */
  resolvConfPath?: string;
  hostsPath?: string;
  /** Range for `-p 80` / `-P`; default: the kernel's ip_local_port_range. */
  ephemeralPorts?: [number, number];
  /** Port of the embedded DNS on the default bridge's gateway (53 unless taken). */
  dnsPort?: number;
  /** Empty namespaces kept ready for container starts (default 2; 0 = none). */
  netnsPool?: number;
}

export interface ResolvedOptions {
  root: string;
  netnsDir: string;
  bridgeName: string;
  bip: string | undefined;
  pools: readonly AddressPool[];
  prefix: string;
  mtu: number;
  resolvConfPath: string;
  hostsPath: string;
  dnsPort: number;
  netnsPool: number;
}

export function resolveOptions(o: NetworkServiceOptions, pools: readonly AddressPool[]): ResolvedOptions {
  const bridgeName = o.bridgeName ?? 'berth0';
  return {
    root: o.root,
    netnsDir: join(o.execRoot, 'netns'),
    bridgeName,
    bip: o.bip,
    pools: o.defaultAddressPools ?? pools,
    prefix: o.firewallPrefix ?? `BERTH-${bridgeName.toUpperCase()}`.slice(0, 22),
    mtu: o.mtu ?? 1500,
    resolvConfPath: o.resolvConfPath ?? '/etc/resolv.conf',
    hostsPath: o.hostsPath ?? '/etc/hosts',
    dnsPort: o.dnsPort ?? 53,
    netnsPool: o.netnsPool ?? 2,
  };
}

/** What the parts of the network service share. */
export interface NetworkContext {
  opts: ResolvedOptions;
  host: NetworkHost;
  events: EventBus;
  containers: () => ContainerLookup;
  model: NetworkModel;
  store: NetworkStore;
  ports: PortAllocator;
  dns: EmbeddedDns;
  firewall: FirewallSync;
  netnsPool: NetnsPool;
  /** Per container id; '' serializes changes to the set of networks and addresses. */
  locks: AsyncLock;
  /** Background teardowns still running. */
  pending: Set<Promise<void>>;
}

/** Network events with dockerd's Actor attributes: `{container, name, type}`. */
export function publishNetworkEvent(ctx: NetworkContext, action: string, net: NetworkRecord, containerId?: string): void {
  ctx.events.publish({
    type: 'network',
    action,
    id: net.Id,
    attributes: { ...(containerId ? { container: containerId } : {}), name: net.Name, type: net.Driver },
  });
}

const BACKGROUND_DELAY_MS = 20;

/** Runs work after the caller has its answer; settle() waits for it. */
export function inBackground(ctx: NetworkContext, what: string, work: () => Promise<void>): void {
  // Begun on a later turn: its first step spawns a process (CNI DEL), and the fork blocks this
  // process for milliseconds that the caller (a container exit on its way to `die`) should not pay.
  const p: Promise<void> = new Promise<void>((r) => setTimeout(r, BACKGROUND_DELAY_MS))
    .then(work)
    .catch((err: unknown) => log.warn(`${what} failed`, { err: errorMessage(err) }))
    .finally(() => ctx.pending.delete(p));
  ctx.pending.add(p);
}

/**
 * The one embedded DNS listener of the daemon: the default bridge's gateway.
 * It is a host address every container reaches through its own gateway
 * (local delivery, not forwarding: isolation and --internal do not apply),
 * so the redirect inside each namespace is the same for all containers and
 * can be installed before the namespace is handed out.
 */
export function daemonDnsTarget(ctx: NetworkContext): DnsTarget | undefined {
  const b = ctx.model.tryFind('bridge')?.bridge;
  return b && b.dnsPort !== undefined ? { ip: b.gateway, port: b.dnsPort } : undefined;
}

export function isUserDefined(net: NetworkRecord): boolean {
  return !net.builtin && net.Driver === 'bridge';
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

export function saveContainer(ctx: NetworkContext, rec: ContainerRecord): Promise<void> {
  const lookup = ctx.containers();
  return lookup.save ? lookup.save(rec) : Promise.resolve();
}
