import { BerthError, invalidArgument, type EndpointSettings } from '../../core/index.js';
import type { ContainerRecord } from '../containers/index.js';
import { networkMode, validateEndpointConfig } from './container-config.js';
import { isUserDefined, publishNetworkEvent, saveContainer, shortId, type NetworkContext } from './context.js';
import { activeEndpoint, configuredEndpoint } from './endpoint-settings.js';
import { attachEndpoint, detachEndpoint, planEndpoint } from './endpoints.js';
import type { NetworkRecord, SandboxRecord } from './types.js';

export interface ConnectBody {
  Container?: string;
  EndpointConfig?: EndpointSettings | null;
}

export interface DisconnectBody {
  Container?: string;
  Force?: boolean;
}

const HOST_MSG = 'container cannot be disconnected from host network or connected to host network';

function checkModes(rec: ContainerRecord, net: NetworkRecord): void {
  if (net.Driver === 'host') throw invalidArgument(HOST_MSG);
  const mode = networkMode(rec).kind;
  if (mode === 'host' || mode === 'container') {
    throw invalidArgument('container sharing network namespace with another container or host cannot be connected to any other network');
  }
  const inNone = Object.keys(rec.NetworkSettings.Networks).some((n) => n === 'none');
  if (net.Driver === 'null' || inNone) throw invalidArgument('container cannot be connected to multiple networks with one of the networks in private (none) mode');
}

/** POST /networks/{id}/connect, on running containers and on created ones (config only). */
export async function connectContainer(ctx: NetworkContext, term: string, body: ConnectBody): Promise<void> {
  const net = ctx.model.find(term);
  const rec = ctx.containers().get(body.Container ?? '');
  checkModes(rec, net);
  const config: EndpointSettings = { ...(body.EndpointConfig ?? {}) };
  validateEndpointConfig(ctx, net.Name, config);
  await ctx.locks.run(rec.Id, async () => {
    const sandbox = ctx.model.sandboxes.get(rec.Id);
    if (!rec.State.Running || !sandbox) {
      // dockerd ignores a second connect of a stopped container to the same network.
      if (rec.NetworkSettings.Networks[net.Name]) return;
      if (isUserDefined(net) && !(config.Aliases ?? []).includes(shortId(rec.Id))) config.Aliases = [...(config.Aliases ?? []), shortId(rec.Id)];
      rec.NetworkSettings.Networks[net.Name] = configuredEndpoint(config);
      await saveContainer(ctx, rec);
      return;
    }
    if (sandbox.endpoints.some((e) => e.networkId === net.Id)) {
      throw new BerthError('PermissionDenied', `endpoint with name ${rec.Name} already exists in network ${net.Name}`);
    }
    const ep = await ctx.locks.run('', async () => {
      const planned = planEndpoint(ctx, sandbox, rec, net.Name, config);
      sandbox.endpoints.push(planned);
      return planned;
    });
    try {
      await attachEndpoint(ctx, sandbox, ep);
      await ctx.store.saveSandbox(sandbox);
    } catch (err) {
      sandbox.endpoints = sandbox.endpoints.filter((e) => e !== ep);
      await detachEndpoint(ctx, sandbox, ep);
      throw err;
    }
    rec.NetworkSettings.Networks[net.Name] = activeEndpoint(config, ep);
    await saveContainer(ctx, rec);
    publishNetworkEvent(ctx, 'connect', net, rec.Id);
  });
}

/** POST /networks/{id}/disconnect. */
export async function disconnectContainer(ctx: NetworkContext, term: string, body: DisconnectBody): Promise<void> {
  const net = ctx.model.find(term);
  const rec = ctx.containers().get(body.Container ?? '');
  if (net.Driver === 'host' || networkMode(rec).kind === 'host') throw invalidArgument(HOST_MSG);
  await ctx.locks.run(rec.Id, async () => {
    const sandbox = ctx.model.sandboxes.get(rec.Id);
    const ep = sandbox?.endpoints.find((e) => e.networkId === net.Id);
    if (!rec.State.Running || !sandbox || (!ep && net.Driver === 'null')) {
      if (!rec.NetworkSettings.Networks[net.Name]) {
        throw new BerthError('Internal', `container ${rec.Id} is not connected to the network ${net.Name}`);
      }
      delete rec.NetworkSettings.Networks[net.Name];
      await saveContainer(ctx, rec);
      return;
    }
    if (!ep) throw new BerthError('Internal', `container ${rec.Id} is not connected to network ${net.Name}`);
    await removeEndpoint(ctx, sandbox, ep.networkId);
    delete rec.NetworkSettings.Networks[ep.networkName];
    await saveContainer(ctx, rec);
    publishNetworkEvent(ctx, 'disconnect', net, rec.Id);
  });
}

/** Takes one endpoint out of a running sandbox; moves the default route if it used it. */
async function removeEndpoint(ctx: NetworkContext, sandbox: SandboxRecord, networkId: string): Promise<void> {
  const ep = sandbox.endpoints.find((e) => e.networkId === networkId)!;
  ctx.model.holdReleasing(ep.networkId, ep.ip);
  sandbox.endpoints = sandbox.endpoints.filter((e) => e !== ep);
  try {
    await detachEndpoint(ctx, sandbox, ep);
    const next = sandbox.endpoints[0];
    if (ep.gatewayRoute && next) {
      next.gatewayRoute = true;
      await ctx.host.sandbox.setDefaultRoute(sandbox.netnsPath, { gateway: next.gateway, ifName: next.ifName });
    }
    // Published ports live on one endpoint: they go with it.
    if (sandbox.ports.some((p) => p.networkId === networkId)) {
      sandbox.ports = [];
      ctx.ports.release(sandbox.containerId);
      await ctx.firewall.sync();
    }
    await ctx.store.saveSandbox(sandbox);
  } finally {
    ctx.model.dropReleasing(ep.networkId, ep.ip);
  }
}
