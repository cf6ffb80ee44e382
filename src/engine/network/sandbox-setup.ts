import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { conflict } from '../../core/index.js';
import type { ContainerRecord, NetworkSetup } from '../containers/index.js';
import { networkMode } from './container-config.js';
import { publishNetworkEvent, type NetworkContext } from './context.js';
import { activeEndpoint } from './endpoint-settings.js';
import { attachEndpoint, nullEndpoint, planEndpoint } from './endpoints.js';
import { portRequests, portsView } from './port-specs.js';
import { etcMounts, legacyLinks, writeEtcFiles, writeHostModeFiles } from './sandbox-files.js';
import { destroySandbox, detachSandbox } from './sandbox-teardown.js';
import type { SandboxRecord } from './types.js';

/** ContainerNetworking.setUp for every network mode. */
export async function setUpContainer(ctx: NetworkContext, rec: ContainerRecord): Promise<NetworkSetup> {
  const mode = networkMode(rec);
  if (mode.kind === 'host') return joinHost(ctx, rec);
  if (mode.kind === 'container') return joinContainer(ctx, rec, mode.target);
  // A sandbox left by a start that never got its teardown: undo it first.
  const stale = detachSandbox(ctx, rec.Id);
  if (stale) await destroySandbox(ctx, stale);
  try {
    return await createSandbox(ctx, rec, mode.kind === 'bridge');
  } finally {
    // Later, not now: its fork would land in the middle of this container's start.
    ctx.netnsPool.refillSoon();
  }
}

/** `--network host`: the host's namespace and copies of its files; an endpoint on `host` as in dockerd. */
async function joinHost(ctx: NetworkContext, rec: ContainerRecord): Promise<NetworkSetup> {
  await writeHostModeFiles(ctx, rec);
  const stale = detachSandbox(ctx, rec.Id);
  if (stale) await destroySandbox(ctx, stale);
  const net = ctx.model.find('host');
  const sandbox: SandboxRecord = { containerId: rec.Id, sandboxId: randomBytes(32).toString('hex'), netnsPath: '', endpoints: [nullEndpoint(net)], ports: [] };
  ctx.model.sandboxes.set(rec.Id, sandbox);
  await ctx.store.saveSandbox(sandbox);
  applyRuntimeSettings(ctx, rec, sandbox);
  publishNetworkEvent(ctx, 'connect', net, rec.Id);
  return { netnsPath: undefined, mounts: etcMounts(rec) };
}

/** `--network container:<x>`: x's namespace and x's /etc files. */
function joinContainer(ctx: NetworkContext, rec: ContainerRecord, target: string): NetworkSetup {
  const other = ctx.containers().get(target);
  if (!other.State.Running) throw conflict(`cannot join network of a non running container: ${other.Id}`);
  if (networkMode(other).kind === 'host') {
    Object.assign(rec, { HostsPath: other.HostsPath, ResolvConfPath: other.ResolvConfPath, HostnamePath: other.HostnamePath });
    return { netnsPath: undefined, mounts: etcMounts(rec) };
  }
  const sandbox = ctx.model.sandboxes.get(other.Id);
  if (!sandbox?.netnsPath) throw conflict(`cannot join network of a non running container: ${other.Id}`);
  Object.assign(rec, { HostsPath: other.HostsPath, ResolvConfPath: other.ResolvConfPath, HostnamePath: other.HostnamePath });
  return { netnsPath: sandbox.netnsPath, mounts: etcMounts(rec) };
}

async function createSandbox(ctx: NetworkContext, rec: ContainerRecord, defaultBridge: boolean): Promise<NetworkSetup> {
  // Legacy links belong to the default bridge; on user-defined networks they are DNS aliases.
  const links = defaultBridge ? legacyLinks(ctx, rec) : { records: [], env: [] };
  const sandbox: SandboxRecord = { containerId: rec.Id, sandboxId: '', netnsPath: '', endpoints: [], ports: [] };
  // A namespace (from the pool, or made now) while addresses and host ports are taken
  // under the model lock; the kernel work runs outside it.
  const taking = ctx.netnsPool.take();
  const planning = ctx.locks.run('', async () => {
    for (const [name, config] of Object.entries(rec.NetworkSettings.Networks)) {
      sandbox.endpoints.push(planEndpoint(ctx, sandbox, rec, name, config));
    }
    const primary = sandbox.endpoints.find((ep) => ep.ifName !== '' && !ctx.model.networks.get(ep.networkId)?.Internal);
    const requests = portRequests(rec.HostConfig.PortBindings, rec.HostConfig.PublishAllPorts, rec.Config.ExposedPorts);
    if (primary && requests.length > 0) {
      const bound = await ctx.ports.bind({ containerId: rec.Id, endpointName: rec.Name, endpointId: primary.endpointId, containerIp: primary.ip }, requests);
      sandbox.ports = bound.map((p) => ({ ...p, networkId: primary.networkId, containerIp: primary.ip }));
    }
    ctx.model.sandboxes.set(rec.Id, sandbox);
  });
  const [netns, planned] = await Promise.allSettled([taking, planning]);
  if (netns.status === 'rejected' || planned.status === 'rejected') {
    if (netns.status === 'fulfilled') await ctx.host.netns.remove(netns.value.path).catch(() => {});
    const taken = planned.status === 'fulfilled' ? detachSandbox(ctx, rec.Id) : undefined;
    if (taken) await destroySandbox(ctx, taken);
    throw netns.status === 'rejected' ? netns.reason : (planned as PromiseRejectedResult).reason;
  }
  Object.assign(sandbox, { sandboxId: netns.value.sandboxId, netnsPath: netns.value.path, ...(netns.value.dns ? { dns: netns.value.dns } : {}) });
  // The namespace exists (with its 127.0.0.11 redirect), the addresses and ports are taken:
  // the caller gets the path and mounts now, and `ready` while CNI and the rest finish, so
  // the runtime prepares the container meanwhile and waits only before starting the process.
  const ready = (async () => {
    try {
      // Persisted before the kernel work: a crash from here on is cleaned up at the next start.
      await ctx.store.saveSandbox(sandbox);
      await Promise.all([
        (async () => {
          for (const ep of sandbox.endpoints) await attachEndpoint(ctx, sandbox, ep);
        })(),
        sandbox.ports.length > 0 ? ctx.firewall.sync() : undefined,
        writeEtcFiles(ctx, rec, sandbox, links.records),
      ]);
      await ctx.store.saveSandbox(sandbox);
    } catch (err) {
      const taken = detachSandbox(ctx, rec.Id);
      if (taken) await destroySandbox(ctx, taken);
      throw err;
    }
    applyRuntimeSettings(ctx, rec, sandbox);
    for (const ep of sandbox.endpoints) publishNetworkEvent(ctx, 'connect', ctx.model.networks.get(ep.networkId)!, rec.Id);
  })();
  ready.catch(() => {}); // whoever awaits it sees the error; nobody else should
  return { netnsPath: sandbox.netnsPath, mounts: etcMounts(rec), ...(links.env.length > 0 ? { env: links.env } : {}), ready };
}

/** NetworkSettings of a running container: sandbox, endpoints, bound ports. */
export function applyRuntimeSettings(ctx: NetworkContext, rec: ContainerRecord, sandbox: SandboxRecord): void {
  const ns = rec.NetworkSettings;
  ns.SandboxID = sandbox.sandboxId;
  // dockerd's key for the host's own namespace.
  ns.SandboxKey = sandbox.netnsPath || join(ctx.opts.netnsDir, 'default');
  for (const ep of sandbox.endpoints) ns.Networks[ep.networkName] = activeEndpoint(ns.Networks[ep.networkName] ?? {}, ep);
  ns.Ports = portsView(rec.Config.ExposedPorts, sandbox.ports);
}
