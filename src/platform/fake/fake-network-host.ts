import type {
  BridgeSpec,
  CniInvocation,
  CniResult,
  DnsTarget,
  FirewallState,
  NetworkHost,
} from '../linux/network-host.js';

/** One recorded call: the operation and its main argument. */
export interface FakeCall {
  op: string;
  arg: string;
}

/**
 * A recording, in-memory NetworkHost: namespaces, bridges, CNI attachments
 * and the firewall state live in maps, so that engine/network's model can be
 * tested without root, including leak checks ("nothing left behind").
 */
export class FakeNetworkHost implements NetworkHost {
  readonly calls: FakeCall[] = [];
  readonly namespaces = new Set<string>();
  readonly bridges = new Map<string, BridgeSpec>();
  /** `netnsPath#ifName` → the ADD invocation and its result. */
  readonly attachments = new Map<string, { inv: CniInvocation; result: CniResult }>();
  readonly dnsRedirects = new Map<string, DnsTarget>();
  readonly defaultRoutes = new Map<string, { gateway: string; ifName: string }>();
  /** Prefixes routed on the "host" besides the bridges (for overlap checks). */
  readonly extraHostPrefixes: { prefix: string; dev: string }[] = [];
  firewallState: FirewallState | undefined;
  /** CNI ADD takes this long (to observe work in flight). */
  cniAddDelayMs = 0;
  /** Makes the next call of op fail once. */
  readonly failNext = new Set<string>();
  /** Successful ADDs deleted without prevResult: a real firewall plugin would leak here. */
  readonly delsWithoutPrevResult: string[] = [];

  private record(op: string, arg: string): void {
    this.calls.push({ op, arg });
    if (this.failNext.delete(op)) throw new Error(`fake ${op} failure`);
  }

  readonly netns = {
    create: async (path: string, options: { dns?: DnsTarget } = {}) => {
      this.record('netns.create', path);
      this.namespaces.add(path);
      if (options.dns) this.dnsRedirects.set(path, options.dns);
    },
    remove: async (path: string) => {
      this.record('netns.remove', path);
      this.namespaces.delete(path);
      for (const key of [...this.attachments.keys()]) if (key.startsWith(`${path}#`)) this.attachments.delete(key);
      this.dnsRedirects.delete(path);
      this.defaultRoutes.delete(path);
    },
    list: async (dir: string) => [...this.namespaces].filter((p) => p.startsWith(`${dir}/`)),
    exists: async (path: string) => this.namespaces.has(path),
  };

  readonly sandbox = {
    setDnsRedirect: async (netnsPath: string, target: DnsTarget | undefined) => {
      this.record('sandbox.dns', `${netnsPath} ${target ? `${target.ip}:${target.port}` : '-'}`);
      if (!this.namespaces.has(netnsPath)) throw new Error(`no namespace ${netnsPath}`);
      if (target) this.dnsRedirects.set(netnsPath, target);
      else this.dnsRedirects.delete(netnsPath);
    },
    setDefaultRoute: async (netnsPath: string, route: { gateway: string; ifName: string } | undefined) => {
      this.record('sandbox.route', `${netnsPath} ${route ? `${route.gateway} ${route.ifName}` : '-'}`);
      if (route) this.defaultRoutes.set(netnsPath, route);
      else this.defaultRoutes.delete(netnsPath);
    },
  };

  readonly links = {
    ensureBridge: async (spec: BridgeSpec) => {
      this.record('links.ensureBridge', spec.name);
      this.bridges.set(spec.name, spec);
    },
    deleteBridge: async (name: string) => {
      this.record('links.deleteBridge', name);
      this.bridges.delete(name);
    },
    linkExists: async (name: string) => this.bridges.has(name),
    hostPrefixes: async () => [
      ...this.extraHostPrefixes,
      ...[...this.bridges.values()].map((b) => ({ prefix: networkOf(b.address), dev: b.name })),
    ],
    enableForwarding: async () => {
      this.record('links.enableForwarding', '');
    },
  };

  readonly cni = {
    add: async (inv: CniInvocation): Promise<CniResult> => {
      if (this.cniAddDelayMs > 0) await new Promise((r) => setTimeout(r, this.cniAddDelayMs));
      this.record('cni.add', `${inv.netnsPath}#${inv.ifName}`);
      if (!this.namespaces.has(inv.netnsPath)) throw new Error(`no namespace ${inv.netnsPath}`);
      const key = `${inv.netnsPath}#${inv.ifName}`;
      if (this.attachments.has(key)) throw new Error(`container veth name provided (${inv.ifName}) already exists`);
      const ipam = inv.config['ipam'] as { addresses?: { address: string; gateway?: string }[] } | undefined;
      const runtime = inv.config['runtimeConfig'] as { mac?: string } | undefined;
      const result: CniResult = {
        cniVersion: '1.0.0',
        interfaces: [
          { name: String(inv.config['bridge'] ?? '') },
          { name: `veth${this.attachments.size}` },
          { name: inv.ifName, mac: runtime?.mac ?? '02:00:00:00:00:01', sandbox: inv.netnsPath },
        ],
        ips: (ipam?.addresses ?? []).map((a) => ({ interface: 2, address: a.address, ...(a.gateway ? { gateway: a.gateway } : {}) })),
      };
      this.attachments.set(key, { inv, result });
      return result;
    },
    del: async (inv: CniInvocation & { prevResult?: CniResult }) => {
      this.record('cni.del', `${inv.netnsPath}#${inv.ifName}`);
      // DEL after a failed ADD has no result to give; after a successful one it must.
      if (!inv.prevResult && this.attachments.has(`${inv.netnsPath}#${inv.ifName}`)) this.delsWithoutPrevResult.push(`${inv.netnsPath}#${inv.ifName}`);
      this.attachments.delete(`${inv.netnsPath}#${inv.ifName}`);
    },
  };

  readonly firewall = {
    apply: async (state: FirewallState) => {
      this.record('firewall.apply', state.prefix);
      this.firewallState = structuredClone(state);
    },
    removeAll: async (prefix: string) => {
      this.record('firewall.removeAll', prefix);
      if (this.firewallState?.prefix === prefix) this.firewallState = undefined;
    },
    list: async (prefix: string) =>
      this.firewallState?.prefix === prefix
        ? [...this.firewallState.networks.map((n) => `net ${n.bridge}`), ...this.firewallState.ports.map((p) => `port ${p.hostPort}`)]
        : [],
  };

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }
}

function networkOf(cidr: string): string {
  const [ip = '0.0.0.0', lenText = '32'] = cidr.split('/');
  const len = Number(lenText);
  const n = ip.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${len}`;
}
