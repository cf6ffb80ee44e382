import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { Proto } from './port-specs.js';
import { proxyTcp6, proxyUdp6, type ProxyTarget } from './userland-proxy.js';

/** A host port held open so that nothing else can take it while it is published. */
export interface PortHold {
  release(): void;
}

/** Binds host ports (the seam tests replace). Rejects with the errno code of bind(2). */
export interface PortReserver {
  /** On '::' the port is also served: proxied to target (the container's IPv4 port). */
  hold(proto: Proto, hostIp: string, port: number, target?: ProxyTarget): Promise<PortHold>;
}

/**
 * Holds published ports with real sockets, as dockerd's port mapper does
 * (docker-proxy or its dummy listener): a port taken by another program is
 * refused with bind's own error, and the kernel will not hand the port to
 * anyone else while the container runs. Traffic itself never reaches these
 * sockets: the DNAT rules divert it first.
 */
export class SocketPortReserver implements PortReserver {
  async hold(proto: Proto, hostIp: string, port: number, target?: ProxyTarget): Promise<PortHold> {
    if (hostIp === '::' && target) {
      if (proto === 'tcp') return proxyTcp6(port, target);
      if (proto === 'udp') return proxyUdp6(port, target);
    }
    if (proto === 'tcp') return holdTcp(hostIp, port);
    if (proto === 'udp') return holdUdp(hostIp, port);
    return { release: () => {} };
  }
}

function holdTcp(host: string, port: number): Promise<PortHold> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer((sock) => sock.destroy());
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.removeListener('error', reject);
      server.on('error', () => {});
      server.unref();
      resolve({ release: () => server.close() });
    });
  });
}

function holdUdp(address: string, port: number): Promise<PortHold> {
  return new Promise((resolve, reject) => {
    const sock: UdpSocket = createSocket({ type: 'udp4', reuseAddr: false });
    sock.once('error', (err) => {
      sock.close();
      reject(err);
    });
    sock.bind({ address, port, exclusive: true }, () => {
      sock.removeAllListeners('error');
      sock.on('error', () => {});
      sock.on('message', () => {});
      sock.unref();
      resolve({ release: () => sock.close() });
    });
  });
}
