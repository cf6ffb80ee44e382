import type { CniResult } from '../../platform/linux/network-host.js';

/** One IPAM pool as Docker shows it (`IPAM.Config[]`): what the user asked, or what was allocated. */
export interface IpamPoolConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

/** Berth's effective addressing of a bridge network (never shown to clients). */
export interface BridgeState {
  /** Linux bridge device. */
  name: string;
  subnet: string;
  gateway: string;
  ipRange?: string;
  /** `--aux-address` values: never handed to containers. */
  reserved?: string[];
  /** Allocated from the default pools (dockerd refuses --ip on such networks). */
  autoSubnet: boolean;
  mac: string;
  mtu: number;
  icc: boolean;
  masquerade: boolean;
  /** Default bridge only: the port the embedded DNS listens on at its gateway. */
  dnsPort?: number;
}

/** A network as persisted: Docker's inspect fields plus Berth's own state. */
export interface NetworkRecord {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: 'bridge' | 'host' | 'null';
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamPoolConfig[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** Predefined (bridge, host, none): cannot be removed. */
  builtin: boolean;
  bridge?: BridgeState;
}

/** Docker's `POST /networks/create` body. */
export interface NetworkCreateBody {
  Name?: string;
  CheckDuplicate?: boolean;
  Driver?: string;
  Scope?: string;
  Internal?: boolean;
  Attachable?: boolean;
  Ingress?: boolean;
  EnableIPv6?: boolean;
  ConfigOnly?: boolean;
  ConfigFrom?: { Network?: string } | null;
  IPAM?: { Driver?: string; Config?: IpamPoolConfig[] | null; Options?: Record<string, string> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  [extra: string]: unknown;
}

/** A published port as bound on the host (`NetworkSettings.Ports`). */
export interface PublishedPort {
  proto: 'tcp' | 'udp' | 'sctp';
  containerPort: number;
  hostIp: string;
  hostPort: number;
}

/** One container interface on one network while the container runs. */
export interface EndpointRecord {
  networkId: string;
  /** The key in `NetworkSettings.Networks`. */
  networkName: string;
  endpointId: string;
  ifName: string;
  ip: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  /** DNS names on this network besides the container's name: aliases and the short id. */
  aliases: string[];
  /** `name:alias` links resolvable only from this container (user-defined networks). */
  links: string[];
  /** Holds the sandbox's default route. */
  gatewayRoute: boolean;
  /** The CNI configuration used at ADD and its result: DEL needs both. */
  cniConfig: Record<string, unknown>;
  cniResult?: CniResult;
}

/** A running container's network state (persisted per container for restore and clean-up). */
export interface SandboxRecord {
  containerId: string;
  sandboxId: string;
  /** '' when the container uses the host's or another container's namespace. */
  netnsPath: string;
  endpoints: EndpointRecord[];
  ports: (PublishedPort & { networkId: string; containerIp: string })[];
  /** Where the namespace's 127.0.0.11 points (every namespace Berth makes has the redirect). */
  dns?: { ip: string; port: number };
}
