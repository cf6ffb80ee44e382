import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { errorMessage, logger } from '../../core/index.js';
import { decide, type DnsClientView } from './dns-records.js';
import { forwardQuery } from './dns-forwarder.js';

const log = logger('engine.network.dns');

const RCODE = { SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** Finds what the container at srcIp on networkId may resolve; undefined = not one of ours. */
export type DnsViewSource = (networkId: string, srcIp: string) => DnsClientView | undefined;

export type Forwarder = (query: Buffer, servers: readonly string[], transport: 'udp' | 'tcp') => Promise<Buffer>;

interface Listener {
  udp: UdpSocket;
  tcp: Server;
  port: number;
}

/**
 * The embedded DNS server. Containers query 127.0.0.11:53, which their
 * namespace redirects (nft DNAT) to a listener on their network's gateway;
 * one UDP socket and one TCP server per network. The network comes from
 * the listener, the container from the source address: so each container
 * sees exactly its own networks' names, as with dockerd's per-sandbox resolver.
 */
export class EmbeddedDns {
  private readonly listeners = new Map<string, Listener>();

  constructor(
    private readonly views: DnsViewSource,
    private readonly forward: Forwarder = forwardQuery,
  ) {}

  /** Listens on ip:port (port 0 = any); returns the port. Idempotent per network. */
  async listen(networkId: string, ip: string, preferredPort: number): Promise<number> {
    const existing = this.listeners.get(networkId);
    if (existing) return existing.port;
    const { udp, port } = await openUdp(ip, preferredPort);
    try {
      const tcp = createServer({ allowHalfOpen: false }, (sock) => this.serveTcp(networkId, sock));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ host: ip, port, exclusive: true }, () => resolve());
      });
      tcp.on('error', (err) => log.warn('dns tcp listener error', { networkId, err: errorMessage(err) }));
      udp.on('message', (msg, rinfo) => void this.serveUdp(networkId, udp, msg, rinfo.address, rinfo.port));
      udp.on('error', (err) => log.warn('dns udp listener error', { networkId, err: errorMessage(err) }));
      this.listeners.set(networkId, { udp, tcp, port });
      return port;
    } catch (err) {
      udp.close();
      throw err;
    }
  }

  close(networkId: string): void {
    const l = this.listeners.get(networkId);
    if (!l) return;
    this.listeners.delete(networkId);
    l.udp.close();
    l.tcp.close();
  }

  closeAll(): void {
    for (const id of [...this.listeners.keys()]) this.close(id);
  }

  /** Answers one wire-format query from srcIp (exported for tests without sockets). */
  async answer(networkId: string, srcIp: string, query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let packet: dnsPacket.DecodedPacket;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      return undefined;
    }
    const q = packet.questions?.[0];
    if (packet.type !== 'query' || !q) return undefined;
    const view = this.views(networkId, srcIp);
    if (!view) return reply(packet, [], RCODE.REFUSED);
    const decision = decide(view, q);
    switch (decision.kind) {
      case 'answer':
        return reply(packet, decision.answers, 0);
      case 'nxdomain':
        return reply(packet, [], RCODE.NXDOMAIN);
      case 'servfail':
        return reply(packet, [], RCODE.SERVFAIL);
      case 'forward':
        try {
          return await this.forward(query, view.upstream, transport);
        } catch (err) {
          log.debug('dns forward failed', { name: q.name, err: errorMessage(err) });
          return reply(packet, [], RCODE.SERVFAIL);
        }
    }
  }

  private async serveUdp(networkId: string, sock: UdpSocket, msg: Buffer, address: string, port: number): Promise<void> {
    const out = await this.answer(networkId, address, msg, 'udp');
    if (out) sock.send(out, port, address);
  }

  private serveTcp(networkId: string, sock: Socket): void {
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.answer(networkId, sock.remoteAddress?.replace(/^::ffff:/, '') ?? '', msg, 'tcp').then((out) => {
          if (!out || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        });
      }
    });
  }
}

/** Binds a UDP socket on ip:preferred, or on any port when that one is taken. */
async function openUdp(ip: string, preferred: number): Promise<{ udp: UdpSocket; port: number }> {
  const attempt = (port: number) =>
    new Promise<{ udp: UdpSocket; port: number }>((resolve, reject) => {
      const udp = createSocket({ type: 'udp4', reuseAddr: false });
      udp.once('error', (err) => {
        udp.close();
        reject(err);
      });
      udp.bind({ address: ip, port, exclusive: true }, () => {
        udp.removeAllListeners('error');
        resolve({ udp, port: udp.address().port });
      });
    });
  if (preferred === 0) return attempt(0);
  return attempt(preferred).catch(() => attempt(0));
}

function reply(query: dnsPacket.DecodedPacket, answers: dnsPacket.Answer[], rcode: number): Buffer {
  const rd = query.flags ?? 0;
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags: (rd & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE | rcode,
    questions: query.questions ?? [],
    answers,
  });
}
