/**
 * The kernel edge of container networking, as one seam: network namespaces,
 * links and sysctls (iproute2, /proc/sys), CNI plugin execution and the host
 * firewall (iptables). engine/network owns the model and decides; these
 * interfaces only do. A recording fake (platform/fake/fake-network-host.ts)
 * implements the same interfaces so the model is unit-testable without root.
 */

/** What a CNI plugin prints on success (CNI spec 1.0 result). */
export interface CniResult {
  cniVersion: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { interface?: number; address: string; gateway?: string }[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface CniInvocation {
  containerId: string;
  netnsPath: string;
  ifName: string;
  /** The network configuration (with `type`, `name`, `cniVersion`), sent on stdin. */
  config: Record<string, unknown>;
}

export interface CniOps {
  add(inv: CniInvocation): Promise<CniResult>;
  /** prevResult is the ADD result: plugins need it to undo exactly what they did. */
  del(inv: CniInvocation & { prevResult?: CniResult }): Promise<void>;
}

export interface NetnsOps {
  /**
   * Creates a network namespace bind-mounted at path, with loopback up and,
   * when given, 127.0.0.11:53 already redirected to the embedded DNS.
   */
  create(path: string, options?: { dns?: DnsTarget }): Promise<void>;
  /** Unmounts and deletes the namespace file; missing is fine. */
  remove(path: string): Promise<void>;
  /** Namespace files under dir (for crash clean-up). */
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
}

/** Where a sandbox's 127.0.0.11:53 is redirected to (the embedded DNS listener). */
export interface DnsTarget {
  ip: string;
  port: number;
}

/** Configuration applied inside a container's namespace. */
export interface SandboxOps {
  /** Installs (replacing) or removes the 127.0.0.11:53 redirect to target. */
  setDnsRedirect(netnsPath: string, target: DnsTarget | undefined): Promise<void>;
  /** Replaces the default route (after the gateway endpoint left). */
  setDefaultRoute(netnsPath: string, route: { gateway: string; ifName: string } | undefined): Promise<void>;
}

export interface BridgeSpec {
  name: string;
  /** Gateway address with prefix, e.g. 172.18.0.1/16. */
  address: string;
  mac: string;
  mtu: number;
}

export interface LinkOps {
  /** Creates the bridge with its gateway address, or fixes an existing one; up, route_localnet on. */
  ensureBridge(spec: BridgeSpec): Promise<void>;
  deleteBridge(name: string): Promise<void>;
  linkExists(name: string): Promise<boolean>;
  /** IPv4 prefixes routed or assigned on the host, with their device (for overlap checks). */
  hostPrefixes(): Promise<{ prefix: string; dev: string }[]>;
  /** ip_forward and bridge-nf-call-iptables, as Docker sets them. */
  enableForwarding(): Promise<void>;
}

export interface FirewallNetwork {
  bridge: string;
  subnet: string;
  gateway: string;
  internal: boolean;
  /** Inter-container communication on the bridge. */
  icc: boolean;
  masquerade: boolean;
  /** The embedded DNS this network's containers query (user-defined networks). */
  dns?: DnsTarget;
}

export interface FirewallPort {
  proto: 'tcp' | 'udp' | 'sctp';
  /** Host address the port is published on; '' or 0.0.0.0 for all. */
  hostIp: string;
  hostPort: number;
  containerIp: string;
  containerPort: number;
  bridge: string;
}

/** Everything the host firewall must say for one daemon (level-triggered). */
export interface FirewallState {
  /** Prefix of every chain this daemon owns (unique per daemon). */
  prefix: string;
  networks: FirewallNetwork[];
  ports: FirewallPort[];
}

export interface FirewallOps {
  /** Makes the firewall say exactly `state` (replacing what this prefix said before). */
  apply(state: FirewallState): Promise<void>;
  /** Removes every chain and jump of prefix. */
  removeAll(prefix: string): Promise<void>;
  /** Rule lines mentioning prefix (tests and diagnostics). */
  list(prefix: string): Promise<string[]>;
}

export interface NetworkHost {
  netns: NetnsOps;
  sandbox: SandboxOps;
  links: LinkOps;
  cni: CniOps;
  firewall: FirewallOps;
}
