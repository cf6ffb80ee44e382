import { readFileSync } from 'node:fs';
import { errorMessage, isBerthError, type Filters } from '../../core/index.js';
import type { NetworkHost } from '../../platform/linux/network-host.js';
import type { ContainerLookup, ContainerNetworking, ContainerRecord, NetworkSetup } from '../containers/index.js';
import type { EventBus } from '../events/index.js';
import { AsyncLock } from './async-lock.js';
import { defaultBridge, hostNetwork, noneNetwork } from './builtin-networks.js';
import { prepareContainer } from './container-config.js';
import { daemonDnsTarget, log, resolveOptions, type NetworkContext, type NetworkServiceOptions } from './context.js';
import { EmbeddedDns, type Forwarder } from './dns-server.js';
import { dnsView, HostResolvers } from './dns-views.js';
import { FirewallSync } from './firewall-sync.js';
import { DEFAULT_ADDRESS_POOLS } from './ipam.js';
import { parseCidr } from './ipv4.js';
import { bringUp, createNetwork, foreignHostPrefixes, pruneNetworks, removeNetwork, tearDownBridge } from './network-admin.js';
import { connectContainer, disconnectContainer, type ConnectBody, type DisconnectBody } from './network-connect.js';
import { NetnsPool, sameTarget } from './netns-pool.js';
import { NetworkModel } from './network-model.js';
import { NetworkStore } from './network-store.js';
import { filterNetworks, renderNetwork } from './network-views.js';
import { PortAllocator } from './port-allocator.js';
import { SocketPortReserver, type PortReserver } from './port-reserver.js';
import { setUpContainer } from './sandbox-setup.js';
import { destroySandbox, detachSandbox, tearDownContainer } from './sandbox-teardown.js';
import type { NetworkCreateBody, NetworkRecord } from './types.js';

export interface NetworkServiceDeps {
  host: NetworkHost;
  events: EventBus;
  /** Late-bound: the container service is built with this service as its networking. */
  containers: () => ContainerLookup;
  options: NetworkServiceOptions;
  /** Seams for tests. */
  portReserver?: PortReserver;
  dnsForwarder?: Forwarder;
}

/**
 * Docker networks for the engine: the API operations (create, ls, inspect,
 * rm, prune, connect, disconnect) and the ContainerNetworking hooks the
 * container service calls around each container's life.
 */
export class NetworkService implements ContainerNetworking {
  private readonly ctx: NetworkContext;
  private readonly restored = new Set<string>();

  constructor(deps: NetworkServiceDeps) {
    const opts = resolveOptions(deps.options, DEFAULT_ADDRESS_POOLS);
    const model = new NetworkModel();
    const resolvers = new HostResolvers(opts.resolvConfPath);
    const ctx: NetworkContext = {
      opts,
      host: deps.host,
      events: deps.events,
      containers: deps.containers,
      model,
      store: new NetworkStore(opts.root),
      ports: new PortAllocator(deps.portReserver ?? new SocketPortReserver(), ephemeralRange(deps.options.ephemeralPorts)),
      dns: new EmbeddedDns((srcIp) => dnsView(ctx, resolvers, srcIp), deps.dnsForwarder),
      firewall: new FirewallSync((s) => deps.host.firewall.apply(s), () => model.firewallState(opts.prefix, daemonDnsTarget(ctx))),
      netnsPool: new NetnsPool(deps.host.netns, opts.netnsDir, opts.netnsPool, () => daemonDnsTarget(ctx)),
      locks: new AsyncLock(),
      pending: new Set(),
    };
    this.ctx = ctx;
  }

  /** Loads the model, (re)creates the builtin networks, bridges, DNS listeners and the firewall. */
  async start(): Promise<void> {
    const ctx = this.ctx;
    const { networks, sandboxes } = await ctx.store.load();
    for (const n of networks) ctx.model.networks.set(n.Id, n);
    for (const s of sandboxes) ctx.model.sandboxes.set(s.containerId, s);
    await ctx.host.links.enableForwarding();
    const previous = networks.find((n) => n.builtin && n.Name === 'bridge');
    const bridge = defaultBridge(previous, {
      bridgeName: ctx.opts.bridgeName,
      ...(ctx.opts.bip ? { bip: ctx.opts.bip } : {}),
      mtu: ctx.opts.mtu,
      pools: ctx.opts.pools,
      hostPrefixes: await foreignHostPrefixes(ctx),
      taken: networks.filter((n) => !n.builtin && n.bridge).map((n) => parseCidr(n.bridge!.subnet)!.prefix),
    });
    if (previous?.bridge && previous.bridge.name !== bridge.bridge?.name) await ctx.host.links.deleteBridge(previous.bridge.name);
    const builtins = [bridge, networks.find((n) => n.builtin && n.Name === 'host') ?? hostNetwork(), networks.find((n) => n.builtin && n.Name === 'none') ?? noneNetwork()];
    for (const n of builtins) {
      ctx.model.networks.set(n.Id, n);
      await ctx.store.saveNetwork(n);
    }
    for (const n of ctx.model.list()) await bringUp(ctx, n);
    // The embedded DNS on the default gateway: the same port as last time if free, so that
    // running containers' redirects stay right (restore() re-points them otherwise).
    const b = bridge.bridge!;
    const port = await ctx.dns.listen('daemon', b.gateway, b.dnsPort ?? ctx.opts.dnsPort);
    if (port !== b.dnsPort) {
      b.dnsPort = port;
      await ctx.store.saveNetwork(bridge);
    }
    await ctx.firewall.sync();
  }

  /**
   * After the container service restored its containers: sandboxes nobody
   * claimed (their container is gone) and namespaces no sandbox owns are
   * crash leftovers, removed now.
   */
  async finishRestore(): Promise<void> {
    const ctx = this.ctx;
    // Teardowns the container service started during its restore own their namespaces.
    await this.settle();
    for (const sandbox of [...ctx.model.sandboxes.values()]) {
      if (this.restored.has(sandbox.containerId) || this.containerRunning(sandbox.containerId)) continue;
      const taken = detachSandbox(ctx, sandbox.containerId);
      if (taken) await destroySandbox(ctx, taken).catch((err: unknown) => log.warn('stale sandbox clean-up failed', { err: errorMessage(err) }));
    }
    const owned = new Set([...ctx.model.sandboxes.values()].map((s) => s.netnsPath));
    for (const path of await ctx.host.netns.list(ctx.opts.netnsDir)) {
      if (!owned.has(path) && !ctx.netnsPool.owns(path)) await ctx.host.netns.remove(path).catch(() => {});
    }
    await ctx.firewall.sync();
  }

  /**
   * Stops listening and waits for background clean-up. Without running
   * containers the host is left as before the daemon started: no bridge,
   * no chain; otherwise their networking stays for the next start.
   */
  async close(): Promise<void> {
    const ctx = this.ctx;
    await this.settle();
    await ctx.netnsPool.drain();
    ctx.dns.closeAll();
    ctx.ports.releaseAll();
    if (ctx.model.sandboxes.size === 0) {
      await ctx.host.firewall.removeAll(ctx.opts.prefix);
      for (const n of ctx.model.list()) await tearDownBridge(ctx, n);
    }
  }

  /** Waits for background teardowns (tests, shutdown, network removal). */
  async settle(): Promise<void> {
    while (this.ctx.pending.size > 0) await Promise.all([...this.ctx.pending]);
  }

  // --- API ---------------------------------------------------------------

  list(filters: Filters): Record<string, unknown>[] {
    return filterNetworks(this.ctx, this.ctx.model.list(), filters).map((n) => renderNetwork(this.ctx, n, false));
  }

  inspect(term: string): Record<string, unknown> {
    return renderNetwork(this.ctx, this.ctx.model.find(term), true);
  }

  find(term: string): NetworkRecord {
    return this.ctx.model.find(term);
  }

  create(body: NetworkCreateBody): Promise<{ Id: string; Warning: string }> {
    return createNetwork(this.ctx, body);
  }

  remove(term: string): Promise<void> {
    return removeNetwork(this.ctx, term);
  }

  prune(filters: Filters): Promise<{ NetworksDeleted: string[] | null }> {
    return pruneNetworks(this.ctx, filters);
  }

  connect(term: string, body: ConnectBody): Promise<void> {
    return connectContainer(this.ctx, term, body);
  }

  disconnect(term: string, body: DisconnectBody): Promise<void> {
    return disconnectContainer(this.ctx, term, body);
  }

  // --- ContainerNetworking -----------------------------------------------

  async onCreate(container: ContainerRecord): Promise<void> {
    prepareContainer(this.ctx, container);
  }

  /**
   * Answers as soon as the namespace path and mounts are known; the
   * container's lock is held until `ready` settles, so a tearDown (a failed
   * start) waits for the CNI work in flight instead of racing it.
   */
  setUp(container: ContainerRecord): Promise<NetworkSetup> {
    return new Promise((resolve, reject) => {
      void this.ctx.locks.run(container.Id, async () => {
        let setup: NetworkSetup;
        try {
          setup = await setUpContainer(this.ctx, container);
        } catch (err) {
          reject(err);
          return;
        }
        resolve(setup);
        await setup.ready?.catch(() => {});
      });
    });
  }

  tearDown(container: ContainerRecord): Promise<void> {
    return this.ctx.locks.run(container.Id, async () => tearDownContainer(this.ctx, container));
  }

  onRemove(container: ContainerRecord): Promise<void> {
    return this.tearDown(container);
  }

  async restore(container: ContainerRecord): Promise<void> {
    const ctx = this.ctx;
    const sandbox = ctx.model.sandboxes.get(container.Id);
    this.restored.add(container.Id);
    if (!sandbox) return;
    const lost = await ctx.ports.adopt(container.Id, sandbox.ports);
    if (lost.length > 0) log.warn('published ports taken while the daemon was down', { id: container.Id, ports: lost });
    const target = daemonDnsTarget(ctx);
    if (sandbox.netnsPath && !sameTarget(sandbox.dns, target)) {
      await ctx.host.sandbox.setDnsRedirect(sandbox.netnsPath, target);
      if (target) sandbox.dns = target;
      else delete sandbox.dns;
      await ctx.store.saveSandbox(sandbox);
    }
  }

  private containerRunning(id: string): boolean {
    try {
      return this.ctx.containers().get(id).State.Running;
    } catch (err) {
      if (isBerthError(err, 'NotFound')) return false;
      throw err;
    }
  }
}

/** The kernel's ephemeral range, as dockerd's port allocator uses it. */
function ephemeralRange(configured: [number, number] | undefined): [number, number] {
  if (configured) return configured;
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (lo && hi && lo <= hi) return [lo, hi];
  } catch {
    // not Linux: Docker's own defaults
  }
  return [49153, 65535];
}
