import { BerthError, labelsMatch, type Filters } from '../../core/index.js';
import { publishNetworkEvent, type NetworkContext } from './context.js';
import { parseCidr, type Prefix } from './ipv4.js';
import { buildNetwork } from './network-create.js';
import type { NetworkCreateBody, NetworkRecord } from './types.js';

/** Host prefixes that are not this daemon's bridges (dockerd skips them when it picks subnets). */
export async function foreignHostPrefixes(ctx: NetworkContext): Promise<Prefix[]> {
  const ours = new Set(ctx.model.list().flatMap((n) => (n.bridge ? [n.bridge.name] : [])));
  return (await ctx.host.links.hostPrefixes())
    .filter((r) => !ours.has(r.dev))
    .flatMap((r) => {
      const p = parseCidr(r.prefix);
      return p ? [p.prefix] : [];
    });
}

/** The bridge device with its gateway address. */
export async function bringUp(ctx: NetworkContext, net: NetworkRecord): Promise<void> {
  const b = net.bridge;
  if (!b) return;
  const len = parseCidr(b.subnet)!.prefix.length;
  await ctx.host.links.ensureBridge({ name: b.name, address: `${b.gateway}/${len}`, mac: b.mac, mtu: b.mtu });
}

export async function tearDownBridge(ctx: NetworkContext, net: NetworkRecord): Promise<void> {
  if (net.bridge) await ctx.host.links.deleteBridge(net.bridge.name);
}

/** POST /networks/create. */
export function createNetwork(ctx: NetworkContext, body: NetworkCreateBody): Promise<{ Id: string; Warning: string }> {
  return ctx.locks.run('', async () => {
    const net = buildNetwork(body, {
      existing: ctx.model.list(),
      hostPrefixes: await foreignHostPrefixes(ctx),
      pools: ctx.opts.pools,
      defaultMtu: ctx.opts.mtu,
    });
    try {
      await bringUp(ctx, net);
      ctx.model.networks.set(net.Id, net);
      await ctx.store.saveNetwork(net);
      await ctx.firewall.sync();
    } catch (err) {
      ctx.model.networks.delete(net.Id);
      await ctx.store.deleteNetwork(net.Id).catch(() => {});
      await tearDownBridge(ctx, net).catch(() => {});
      throw err;
    }
    publishNetworkEvent(ctx, 'create', net);
    return { Id: net.Id, Warning: '' };
  });
}

/** DELETE /networks/{id}: refused for predefined networks and while containers are attached. */
export function removeNetwork(ctx: NetworkContext, term: string): Promise<void> {
  return ctx.locks.run('', async () => {
    const net = ctx.model.find(term);
    await removeLocked(ctx, net);
  });
}

async function removeLocked(ctx: NetworkContext, net: NetworkRecord): Promise<void> {
  if (net.builtin) throw new BerthError('PermissionDenied', `${net.Name} is a pre-defined network and cannot be removed`);
  if (ctx.model.endpointsOn(net.Id).length > 0) {
    throw new BerthError('PermissionDenied', `error while removing network: network ${net.Name} id ${net.Id} has active endpoints`);
  }
  // Endpoints of stopped containers may still be leaving the bridge.
  await Promise.all([...ctx.pending]);
  await tearDownBridge(ctx, net);
  ctx.model.networks.delete(net.Id);
  await ctx.store.deleteNetwork(net.Id);
  await ctx.firewall.sync();
  publishNetworkEvent(ctx, 'destroy', net);
}

/** POST /networks/prune: custom networks without containers (filters: label, label!, until). */
export function pruneNetworks(ctx: NetworkContext, filters: Filters): Promise<{ NetworksDeleted: string[] | null }> {
  return ctx.locks.run('', async () => {
    for (const key of filters.keys()) {
      if (!['label', 'label!', 'until'].includes(key)) throw new BerthError('InvalidArgument', `Invalid filter '${key}'`);
    }
    const until = filters.get('until')?.[0];
    const cutoff = until === undefined ? Infinity : untilCutoff(until);
    const deleted: string[] = [];
    for (const net of ctx.model.list()) {
      if (net.builtin || ctx.model.endpointsOn(net.Id).length > 0) continue;
      if (!labelsMatch(filters, net.Labels)) continue;
      if (filters.has('label!') && (filters.get('label!') ?? []).some((l) => labelsMatch(new Map([['label', [l]]]), net.Labels))) continue;
      if (Date.parse(net.Created) >= cutoff) continue;
      await removeLocked(ctx, net);
      deleted.push(net.Name);
    }
    return { NetworksDeleted: deleted.length > 0 ? deleted : null };
  });
}

/** `until`: a unix timestamp, an RFC 3339 time, or a Go duration back from now (10m, 24h). */
function untilCutoff(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const d = /^(\d+)(s|m|h)$/.exec(value);
  if (d) return Date.now() - Number(d[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[d[2] as 's' | 'm' | 'h'];
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new BerthError('InvalidArgument', `invalid filter 'until=${value}'`);
  return t;
}
