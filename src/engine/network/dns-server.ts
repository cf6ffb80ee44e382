import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { errorMessage, logger } from '../../core/index.js';
import { decide, type DnsClientView } from './dns-records.js';
import { forwardQuery } from './dns-forwarder.js';

const log = logger('engine.network.dns');

const RCODE = { SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** Finds what the container at srcIp may resolve; undefined = not one of ours (refused). */
export type DnsViewSource = (srcIp: string) => DnsClientView | undefined;

export type Forwarder = (query: Buffer, servers: readonly string[], transport: 'udp' | 'tcp') => Promise<Buffer>;

interface Listener {
  udp: UdpSocket;
  tcp: Server;
  port: number;
}

/**
 * The embedded DNS server. Containers query 127.0.0.11:53, which their
 * namespace redirects (nft DNAT) to a UDP socket and a TCP server on a host
 * address (the default bridge's gateway). The container is known by the
 * source address, so each one sees exactly its own networks' names, as with
 * dockerd's per-sandbox resolver. Listeners are keyed so tests can run several.
 */
export class EmbeddedDns {
  private readonly listeners = new Map<string, Listener>();

  constructor(
    private readonly views: DnsViewSource,
    private readonly forward: Forwarder = forwardQuery,
  ) {}

  /** Listens on ip:port (port 0 = any, or any when port is taken); returns the port. Idempotent per key. */
  async listen(key: string, ip: string, preferredPort: number): Promise<number> {
    const existing = this.listeners.get(key);
    if (existing) return existing.port;
    const { udp, port } = await openUdp(ip, preferredPort);
    try {
      const tcp = createServer({ allowHalfOpen: false }, (sock) => this.serveTcp(sock));
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ host: ip, port, exclusive: true }, () => resolve());
      });
      tcp.on('error', (err) => log.warn('dns tcp listener error', { key, err: errorMessage(err) }));
      udp.on('message', (msg, rinfo) => void this.serveUdp(udp, msg, rinfo.address, rinfo.port));
      udp.on('error', (err) => log.warn('dns udp listener error', { key, err: errorMessage(err) }));
      this.listeners.set(key, { udp, tcp, port });
      return port;
    } catch (err) {
      udp.close();
      throw err;
    }
  }

  close(key: string): void {
    const l = this.listeners.get(key);
    if (!l) return;
    this.listeners.delete(key);
    l.udp.close();
    l.tcp.close();
  }

  closeAll(): void {
    for (const id of [...this.listeners.keys()]) this.close(id);
  }

  /** Answers one wire-format query from srcIp (exported for tests without sockets). */
  async answer(srcIp: string, query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    let packet: dnsPacket.DecodedPacket;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      return undefined;
    }
    const q = packet.questions?.[0];
    if (packet.type !== 'query' || !q) return undefined;
    const view = this.views(srcIp);
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

  private async serveUdp(sock: UdpSocket, msg: Buffer, address: string, port: number): Promise<void> {
    const out = await this.answer(address, msg, 'udp');
    if (out) sock.send(out, port, address);
  }

  private serveTcp(sock: Socket): void {
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.answer(sock.remoteAddress?.replace(/^::ffff:/, '') ?? '', msg, 'tcp').then((out) => {
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
