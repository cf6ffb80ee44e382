import type { ContainerRecord } from '../containers/index.js';
import { inBackground, publishNetworkEvent, type NetworkContext } from './context.js';
import { stoppedEndpoint } from './endpoint-settings.js';
import { detachEndpoint } from './endpoints.js';
import type { SandboxRecord } from './types.js';

/**
 * Takes a sandbox out of the model at once: DNS stops answering for it,
 * its host ports are free, its addresses are held as "releasing" until the
 * kernel side is gone (so they cannot be handed out while a veth still has
 * them). Returns the sandbox for destroySandbox().
 */
export function detachSandbox(ctx: NetworkContext, containerId: string): SandboxRecord | undefined {
  const sandbox = ctx.model.sandboxes.get(containerId);
  if (!sandbox) return undefined;
  ctx.model.sandboxes.delete(containerId);
  ctx.ports.release(containerId);
  for (const ep of sandbox.endpoints) ctx.model.holdReleasing(ep.networkId, ep.ip);
  return sandbox;
}

/**
 * The kernel side: CNI DEL per endpoint (with prevResult), namespace,
 * firewall, state file. Every step runs even if one before it failed; the
 * state file goes only when the namespace did, so a later start retries.
 */
export async function destroySandbox(ctx: NetworkContext, sandbox: SandboxRecord): Promise<void> {
  let failure: unknown;
  try {
    if (sandbox.netnsPath) {
      for (const ep of [...sandbox.endpoints].reverse()) await detachEndpoint(ctx, sandbox, ep);
      await ctx.host.netns.remove(sandbox.netnsPath).catch((err: unknown) => (failure = err));
    }
    if (sandbox.ports.length > 0) await ctx.firewall.sync().catch((err: unknown) => (failure ??= err));
    if (failure === undefined) await ctx.store.deleteSandbox(sandbox.containerId);
  } finally {
    for (const ep of sandbox.endpoints) ctx.model.dropReleasing(ep.networkId, ep.ip);
  }
  if (failure !== undefined) throw failure;
}

/**
 * ContainerNetworking.tearDown: the container's networking stops now (as
 * seen through the API and DNS); the kernel clean-up finishes in the
 * background so that `docker run --rm` does not wait for CNI DEL.
 */
export function tearDownContainer(ctx: NetworkContext, rec: ContainerRecord): void {
  const sandbox = detachSandbox(ctx, rec.Id);
  clearRuntimeSettings(rec);
  if (!sandbox) return;
  for (const ep of sandbox.endpoints) {
    const net = ctx.model.networks.get(ep.networkId);
    if (net) publishNetworkEvent(ctx, 'disconnect', net, rec.Id);
  }
  inBackground(ctx, 'network teardown', () => destroySandbox(ctx, sandbox));
}

/** What inspect shows of a stopped container: configuration kept, addresses gone. */
export function clearRuntimeSettings(rec: ContainerRecord): void {
  const ns = rec.NetworkSettings;
  for (const [name, ep] of Object.entries(ns.Networks)) ns.Networks[name] = stoppedEndpoint(ep);
  ns.Ports = {};
}
