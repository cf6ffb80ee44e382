import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect } from 'node:net';

/** dockerd gives an external server 4 s before trying the next. */
const TIMEOUT_MS = 4000;

/**
 * Forwards a raw DNS query to the container's external resolvers in order
 * and returns the first response as is (same id, flags and records). It
 * runs in the daemon's namespace, so even a host resolver on 127.0.0.53
 * is reachable.
 */
export async function forwardQuery(query: Buffer, servers: readonly string[], transport: 'udp' | 'tcp'): Promise<Buffer> {
  let lastError: unknown = new Error('no upstream DNS servers');
  for (const server of servers) {
    try {
      return transport === 'udp' ? await viaUdp(query, server) : await viaTcp(query, server);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function viaUdp(query: Buffer, server: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(server) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => done(new Error(`timeout from ${server}`)), TIMEOUT_MS);
    const id = query.readUInt16BE(0);
    const done = (err: Error | undefined, msg?: Buffer) => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else resolve(msg!);
    };
    sock.on('error', (err) => done(err));
    sock.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === id) done(undefined, msg);
    });
    sock.send(query, 53, server);
  });
}

function viaTcp(query: Buffer, server: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: server, port: 53 });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => finish(new Error(`timeout from ${server}`)), TIMEOUT_MS);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      sock.destroy();
      const buf = Buffer.concat(chunks);
      if (err) reject(err);
      else if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      else reject(new Error(`short answer from ${server}`));
    };
    sock.on('error', (err) => finish(err));
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const buf = Buffer.concat(chunks);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) finish();
    });
    sock.on('end', () => finish());
    const len = Buffer.alloc(2);
    len.writeUInt16BE(query.length);
    sock.write(Buffer.concat([len, query]));
  });
}
