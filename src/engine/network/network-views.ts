import { BerthError, invalidArgument, labelsMatch, type Filters } from '../../core/index.js';
import type { NetworkContext } from './context.js';
import type { NetworkRecord } from './types.js';

/** Docker's Network object (GET /networks/{id}); `Containers` only where dockerd fills it. */
export function renderNetwork(ctx: NetworkContext, net: NetworkRecord, withContainers: boolean): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  if (withContainers) {
    for (const { sandbox, ep } of ctx.model.endpointsOn(net.Id)) {
      let name = '';
      try {
        name = ctx.containers().get(sandbox.containerId).Name;
      } catch {
        continue;
      }
      containers[sandbox.containerId] = { Name: name, EndpointID: ep.endpointId, MacAddress: ep.mac, IPv4Address: ep.ip ? `${ep.ip}/${ep.prefixLen}` : '', IPv6Address: '' };
    }
  }
  return {
    Name: net.Name,
    Id: net.Id,
    Created: net.Created,
    Scope: net.Scope,
    Driver: net.Driver,
    EnableIPv6: net.EnableIPv6,
    IPAM: net.IPAM,
    Internal: net.Internal,
    Attachable: net.Attachable,
    Ingress: net.Ingress,
    ConfigFrom: net.ConfigFrom,
    ConfigOnly: net.ConfigOnly,
    Containers: containers,
    Options: net.Options,
    Labels: net.Labels,
  };
}

const KEYS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type'];

function parseBool(values: readonly string[]): boolean {
  const v = values[0] ?? '';
  if (['true', '1'].includes(v)) return true;
  if (['false', '0'].includes(v)) return false;
  throw invalidArgument(`invalid value for filter 'dangling', must be "true" (or "1"), or "false" (or "0")`);
}

/** `name` and `id` filters match like dockerd's: as a regular expression, else as a substring. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return value.includes(pattern);
  }
}

/** GET /networks filters: name, id, label, driver, scope, type (custom|builtin), dangling. */
export function filterNetworks(ctx: NetworkContext, networks: readonly NetworkRecord[], filters: Filters): NetworkRecord[] {
  for (const key of filters.keys()) if (!KEYS.includes(key)) throw invalidArgument(`Invalid filter '${key}'`);
  for (const t of filters.get('type') ?? []) {
    if (t !== 'custom' && t !== 'builtin') throw new BerthError('Internal', `invalid filter: 'type'='${t}'`);
  }
  const any = (key: string, test: (v: string) => boolean) => {
    const values = filters.get(key);
    return !values || values.length === 0 || values.some(test);
  };
  const dangling = filters.has('dangling') ? parseBool(filters.get('dangling') ?? []) : undefined;
  return networks.filter((n) => {
    if (!any('name', (v) => matches(v, n.Name))) return false;
    if (!any('id', (v) => matches(v, n.Id))) return false;
    if (!any('driver', (v) => v === n.Driver)) return false;
    if (!any('scope', (v) => v === n.Scope)) return false;
    if (!any('type', (v) => (v === 'builtin') === n.builtin)) return false;
    if (!labelsMatch(filters, n.Labels)) return false;
    if (dangling !== undefined) {
      const isDangling = !n.builtin && ctx.model.endpointsOn(n.Id).length === 0;
      if (isDangling !== dangling) return false;
    }
    return true;
  });
}
