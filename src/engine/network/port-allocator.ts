import { BerthError, errorMessage } from '../../core/index.js';
import type { PortHold, PortReserver } from './port-reserver.js';
import type { PortRequest, Proto } from './port-specs.js';
import type { PublishedPort } from './types.js';

interface Allocation extends PublishedPort {
  owner: string;
  hold: PortHold;
}

/** Who asks, for Docker's error wording, and where [::] traffic is proxied to. */
export interface PortOwner {
  containerId: string;
  /** Container name: dockerd calls the endpoint by it in errors. */
  endpointName: string;
  endpointId: string;
  containerIp: string;
}

/**
 * Host ports of published container ports: chooses ephemeral ports like
 * dockerd's allocator (sequentially through ip_local_port_range), refuses
 * ports another container holds with dockerd's message, and holds each port
 * with a real socket so that other programs are refused too.
 */
export class PortAllocator {
  private readonly allocations: Allocation[] = [];
  private cursor: Record<Proto, number>;

  constructor(
    private readonly reserver: PortReserver,
    private readonly ephemeral: [number, number],
  ) {
    this.cursor = { tcp: ephemeral[0], udp: ephemeral[0], sctp: ephemeral[0] };
  }

  /** Binds every request or none (all-or-nothing, releasing what was taken on failure). */
  async bind(owner: PortOwner, requests: readonly PortRequest[]): Promise<PublishedPort[]> {
    const taken: Allocation[] = [];
    try {
      for (const req of requests) taken.push(...(await this.bindOne(owner, req)));
      return taken.map(({ proto, containerPort, hostIp, hostPort }) => ({ proto, containerPort, hostIp, hostPort }));
    } catch (err) {
      for (const a of taken) this.drop(a);
      throw err;
    }
  }

  /** After a daemon restart: takes the ports a running container already had; returns those it could not. */
  async adopt(containerId: string, ports: readonly (PublishedPort & { containerIp: string })[]): Promise<PublishedPort[]> {
    const lost: PublishedPort[] = [];
    for (const p of ports) {
      try {
        const hold = await this.reserver.hold(p.proto, p.hostIp, p.hostPort, { ip: p.containerIp, port: p.containerPort });
        this.allocations.push({ ...p, owner: containerId, hold });
      } catch {
        lost.push(p);
      }
    }
    return lost;
  }

  release(containerId: string): void {
    for (const a of this.allocations.filter((x) => x.owner === containerId)) this.drop(a);
  }

  releaseAll(): void {
    for (const a of [...this.allocations]) this.drop(a);
  }

  ownedBy(containerId: string): PublishedPort[] {
    return this.allocations.filter((a) => a.owner === containerId);
  }

  private drop(a: Allocation): void {
    const i = this.allocations.indexOf(a);
    if (i >= 0) this.allocations.splice(i, 1);
    a.hold.release();
  }

  private clash(proto: Proto, hostIp: string, port: number): boolean {
    const v6 = hostIp.includes(':');
    return this.allocations.some(
      (a) => a.proto === proto && a.hostPort === port && a.hostIp.includes(':') === v6 && (a.hostIp === hostIp || a.hostIp === '0.0.0.0' || hostIp === '0.0.0.0' || v6),
    );
  }

  private async bindOne(owner: PortOwner, req: PortRequest): Promise<Allocation[]> {
    const fail = (inner: string) =>
      new BerthError('Internal', `driver failed programming external connectivity on endpoint ${owner.endpointName} (${owner.endpointId}): ${inner}`);
    const ephemeral = req.hostPorts[0] === 0;
    const candidates = ephemeral ? this.ephemeralCandidates(req.proto) : range(req.hostPorts[0], req.hostPorts[1]);
    let lastError = '';
    for (const port of candidates) {
      if (this.clash(req.proto, req.hostIp, port) || (req.dualStack && this.clash(req.proto, '::', port))) {
        lastError = `Bind for ${req.hostIp}:${port} failed: port is already allocated`;
        continue;
      }
      const taken: Allocation[] = [];
      try {
        taken.push(await this.take(owner, req, req.hostIp, port));
        if (req.dualStack) {
          const v6 = await this.take(owner, req, '::', port).catch((err: unknown) => {
            // A host without IPv6 just gets the IPv4 binding.
            if (['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EINVAL'].includes(String((err as { code?: string }).code))) return undefined;
            throw Object.assign(err as object, { v6: true });
          });
          if (v6) taken.push(v6);
        }
        if (ephemeral) this.cursor[req.proto] = port + 1 > this.ephemeral[1] ? this.ephemeral[0] : port + 1;
        return taken;
      } catch (err) {
        for (const a of taken) this.drop(a);
        const family = (err as { v6?: boolean }).v6 ? `${req.proto}6 [::]` : `${req.proto}4 ${req.hostIp}`;
        lastError = `Error starting userland proxy: listen ${family}:${port}: bind: ${bindMessage(err)}`;
      }
    }
    if (ephemeral) throw fail('all ports are allocated');
    throw fail(lastError);
  }

  private async take(owner: PortOwner, req: PortRequest, hostIp: string, port: number): Promise<Allocation> {
    const hold = await this.reserver.hold(req.proto, hostIp, port, { ip: owner.containerIp, port: req.containerPort });
    const a: Allocation = { proto: req.proto, containerPort: req.containerPort, hostIp, hostPort: port, owner: owner.containerId, hold };
    this.allocations.push(a);
    return a;
  }

  private *ephemeralCandidates(proto: Proto): Generator<number> {
    const [lo, hi] = this.ephemeral;
    const start = Math.min(Math.max(this.cursor[proto], lo), hi);
    for (let p = start; p <= hi; p++) yield p;
    for (let p = lo; p < start; p++) yield p;
  }
}

function* range(lo: number, hi: number): Generator<number> {
  for (let p = lo; p <= hi; p++) yield p;
}

/** Go's syscall wording for the common bind errors. */
function bindMessage(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return 'address already in use';
  if (code === 'EADDRNOTAVAIL') return 'cannot assign requested address';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(err);
}
