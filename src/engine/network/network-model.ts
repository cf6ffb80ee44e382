import { BerthError, notFound } from '../../core/index.js';
import type { DnsTarget, FirewallState } from '../../platform/linux/network-host.js';
import type { EndpointRecord, NetworkRecord, SandboxRecord } from './types.js';

/**
 * The network model in memory: networks, the sandboxes of running
 * containers, and addresses still held by sandboxes being torn down in the
 * background. Everything the kernel must say (firewall, DNS) is derived
 * from here.
 */
export class NetworkModel {
  readonly networks = new Map<string, NetworkRecord>();
  readonly sandboxes = new Map<string, SandboxRecord>();
  /** networkId → addresses whose endpoints are still being removed. */
  private readonly releasing = new Map<string, Map<string, number>>();

  list(): NetworkRecord[] {
    return [...this.networks.values()];
  }

  /** dockerd's FindNetwork: full id, then exact name, then unique id prefix. */
  find(term: string): NetworkRecord {
    const found = this.tryFind(term);
    if (!found) throw notFound(`network ${term} not found`);
    return found;
  }

  tryFind(term: string): NetworkRecord | undefined {
    const byId = this.networks.get(term);
    if (byId) return byId;
    const byName = this.list().filter((n) => n.Name === term);
    if (byName.length > 1) throw new BerthError('InvalidArgument', `network ${term} is ambiguous (${byName.length} matches found based on name)`);
    if (byName[0]) return byName[0];
    if (term === '') return undefined;
    const byPrefix = this.list().filter((n) => n.Id.startsWith(term));
    if (byPrefix.length > 1) throw new BerthError('InvalidArgument', `network ${term} is ambiguous (${byPrefix.length} matches found based on ID prefix)`);
    return byPrefix[0];
  }

  /** Endpoints of running containers on a network. */
  endpointsOn(networkId: string): { sandbox: SandboxRecord; ep: EndpointRecord }[] {
    const out: { sandbox: SandboxRecord; ep: EndpointRecord }[] = [];
    for (const sandbox of this.sandboxes.values()) {
      for (const ep of sandbox.endpoints) if (ep.networkId === networkId) out.push({ sandbox, ep });
    }
    return out;
  }

  /** Addresses in use on a network, including those still being released. */
  usedAddresses(networkId: string): Set<string> {
    const used = new Set(this.endpointsOn(networkId).flatMap((x) => (x.ep.ip ? [x.ep.ip] : [])));
    for (const ip of this.releasing.get(networkId)?.keys() ?? []) used.add(ip);
    return used;
  }

  holdReleasing(networkId: string, ip: string): void {
    const m = this.releasing.get(networkId) ?? new Map<string, number>();
    m.set(ip, (m.get(ip) ?? 0) + 1);
    this.releasing.set(networkId, m);
  }

  dropReleasing(networkId: string, ip: string): void {
    const m = this.releasing.get(networkId);
    if (!m) return;
    const n = (m.get(ip) ?? 1) - 1;
    if (n <= 0) m.delete(ip);
    else m.set(ip, n);
    if (m.size === 0) this.releasing.delete(networkId);
  }

  /** The host firewall this model needs; dns = the embedded DNS user-defined networks may reach. */
  firewallState(prefix: string, dns: DnsTarget | undefined): FirewallState {
    const networks = this.list().flatMap((n) =>
      n.bridge
        ? [{
            bridge: n.bridge.name,
            subnet: n.bridge.subnet,
            gateway: n.bridge.gateway,
            internal: n.Internal,
            icc: n.bridge.icc,
            masquerade: n.bridge.masquerade,
            ...(dns && !n.builtin ? { dns } : {}),
          }]
        : [],
    );
    const ports: FirewallState['ports'] = [];
    for (const s of this.sandboxes.values()) {
      for (const p of s.ports) {
        const net = this.networks.get(p.networkId);
        // [::] bindings are served by the userland proxy, not by DNAT.
        if (!net?.bridge || p.hostIp.includes(':') || !s.endpoints.some((e) => e.networkId === p.networkId)) continue;
        ports.push({ proto: p.proto, hostIp: p.hostIp, hostPort: p.hostPort, containerIp: p.containerIp, containerPort: p.containerPort, bridge: net.bridge.name });
      }
    }
    return { prefix, networks, ports };
  }
}
