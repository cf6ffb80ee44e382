/**
 * The cheapest HTTPS server that can answer the benchmark's creates: read
 * the JSON body, parse it, answer 201 with it and a little metadata. Run as
 * its own process with the API server's serving certificate, it shows what
 * HTTPS and JSON alone cost on this machine with the same load generator.
 * Usage: node https-floor-server.js <tls dir>; prints the port.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.';
let n = 0;
const server = createServer({ key: readFileSync(join(dir, 'serving.key')), cert: readFileSync(join(dir, 'serving.crt')), requestCert: true, rejectUnauthorized: false }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const obj = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata?: Record<string, unknown> };
    obj.metadata = { ...obj.metadata, uid: `uid-${++n}`, resourceVersion: String(n), creationTimestamp: new Date().toISOString() };
    const text = JSON.stringify(obj);
    res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
