import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import type { PortHold } from './port-reserver.js';

/** docker-proxy forgets a UDP "connection" after 90 s without traffic. */
const UDP_IDLE_MS = 90_000;

export interface ProxyTarget {
  ip: string;
  port: number;
}

/**
 * What docker-proxy does for `[::]:port`: dockerd 20.10 publishes every
 * all-addresses port on IPv6 too and carries that traffic to the
 * container's IPv4 address in user space (there is no ip6tables DNAT to
 * an IPv4 container). Listens IPv6-only, so the IPv4 port stays the DNAT's.
 */
export function proxyTcp6(port: number, target: ProxyTarget): Promise<PortHold> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect({ host: target.ip, port: target.port });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    server.once('error', reject);
    server.listen({ host: '::', port, ipv6Only: true, exclusive: true }, () => {
      server.removeListener('error', reject);
      server.on('error', () => {});
      server.unref();
      resolve({
        release: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
      });
    });
  });
}

export function proxyUdp6(port: number, target: ProxyTarget): Promise<PortHold> {
  return new Promise((resolve, reject) => {
    const front = createSocket({ type: 'udp6', ipv6Only: true, reuseAddr: false });
    const flows = new Map<string, { sock: UdpSocket; timer: NodeJS.Timeout }>();
    const flowFor = (peer: RemoteInfo) => {
      const key = `${peer.address}#${peer.port}`;
      let flow = flows.get(key);
      if (!flow) {
        const sock = createSocket('udp4');
        sock.on('message', (msg) => front.send(msg, peer.port, peer.address));
        sock.on('error', () => undefined);
        sock.unref();
        flow = { sock, timer: setTimeout(() => undefined, 0) };
        flows.set(key, flow);
      }
      clearTimeout(flow.timer);
      const current = flow;
      current.timer = setTimeout(() => {
        current.sock.close();
        flows.delete(key);
      }, UDP_IDLE_MS).unref();
      return current.sock;
    };
    front.once('error', (err) => {
      front.close();
      reject(err);
    });
    front.bind({ address: '::', port, exclusive: true }, () => {
      front.removeAllListeners('error');
      front.on('error', () => undefined);
      front.on('message', (msg, peer) => flowFor(peer).send(msg, target.port, target.ip));
      front.unref();
      resolve({
        release: () => {
          front.close();
          for (const f of flows.values()) {
            clearTimeout(f.timer);
            f.sock.close();
          }
          flows.clear();
        },
      });
    });
  });
}
