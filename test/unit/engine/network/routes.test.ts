import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import Docker from 'dockerode';
import { EngineApiServer, Router } from '../../../../src/engine/api/index.js';
import { registerNetworkRoutes } from '../../../../src/engine/api/routes/networks.js';
import { harness } from './helpers.js';

function call(socket: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : (JSON.parse(text) as unknown) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('/networks over HTTP: statuses and messages as dockerd 20.10 gives them; dockerode round trip', async () => {
  const h = await harness();
  const router = new Router();
  registerNetworkRoutes(router, { networks: h.service });
  const server = new EngineApiServer(router);
  const socket = join(h.dir, 'api.sock');
  await server.listen(socket);
  try {
    const errors: [string, string, string | undefined, number, string, Record<string, string>?][] = [
      ['POST', '/v1.41/networks/create', '', 400, 'got EOF while reading request body'],
      ['POST', '/v1.41/networks/create', '{"Name":1}', 400, 'json: cannot unmarshal number into Go struct field NetworkCreateRequest.Name of type string'],
      ['POST', '/v1.41/networks/create', '{"Name":"x","Labels":{"a":1}}', 400, 'json: cannot unmarshal number into Go struct field NetworkCreateRequest.Labels of type string'],
      ['POST', '/v1.41/networks/create', '{"Name":"zz"}', 400, "Content-Type specified (text/plain) must be 'application/json'", { 'Content-Type': 'text/plain' }],
      ['POST', '/v1.41/networks/create', '{"Name":"bridge"}', 403, 'operation is not permitted on predefined bridge network '],
      ['POST', '/v1.41/networks/bridge/connect', '', 400, 'got EOF while reading request body'],
      ['POST', '/v1.41/networks/bridge/connect', '{}', 400, 'invalid name or ID supplied: ""'],
      ['POST', '/v1.41/networks/bridge/disconnect', '{}', 400, 'invalid name or ID supplied: ""'],
      ['GET', '/v1.41/networks/nope', undefined, 404, 'network nope not found'],
      ['GET', '/v1.41/networks/bridge?scope=swarm', undefined, 404, 'network bridge not found'],
      ['DELETE', '/v1.41/networks/nope', undefined, 404, 'network nope not found'],
      ['DELETE', '/v1.41/networks/host', undefined, 403, 'host is a pre-defined network and cannot be removed'],
      ['GET', `/v1.41/networks?filters=${encodeURIComponent('{"foo":["x"]}')}`, undefined, 400, "Invalid filter 'foo'"],
      ['GET', `/v1.41/networks?filters=${encodeURIComponent('{"type":["x"]}')}`, undefined, 500, "invalid filter: 'type'='x'"],
      ['POST', `/v1.41/networks/prune?filters=${encodeURIComponent('{"foo":["x"]}')}`, undefined, 400, "Invalid filter 'foo'"],
    ];
    for (const [method, path, body, status, message, headers] of errors) {
      const r = await call(socket, method, path, body, headers);
      assert.deepEqual([r.status, r.json], [status, { message }], `${method} ${path} ${body ?? ''}`);
    }
    let r = await call(socket, 'POST', '/v1.41/networks/create', '{"Name":"rnet","CheckDuplicate":true,"Driver":"bridge","IPAM":{"Driver":"default","Options":{},"Config":[]},"Options":{},"Labels":{}}');
    assert.equal(r.status, 201);
    assert.deepEqual(Object.keys(r.json as object), ['Id', 'Warning']);
    r = await call(socket, 'POST', '/v1.41/networks/create', '{"Name":"rnet","CheckDuplicate":true}');
    assert.deepEqual([r.status, r.json], [409, { message: 'network with name rnet already exists' }]);
    r = await call(socket, 'GET', '/v1.41/networks/rnet');
    assert.deepEqual(Object.keys(r.json as object), ['Name', 'Id', 'Created', 'Scope', 'Driver', 'EnableIPv6', 'IPAM', 'Internal', 'Attachable', 'Ingress', 'ConfigFrom', 'ConfigOnly', 'Containers', 'Options', 'Labels']);

    const docker = new Docker({ socketPath: socket });
    const created = await docker.createNetwork({ Name: 'dnet', Labels: { team: 'x' } });
    const info = (await created.inspect()) as { Name: string; Labels: Record<string, string>; IPAM: { Config: { Subnet: string }[] } };
    assert.equal(info.Name, 'dnet');
    assert.deepEqual(info.Labels, { team: 'x' });
    assert.match(info.IPAM.Config[0]!.Subnet, /^127\.100\.\d+\.0\/24$/);
    const listed = (await docker.listNetworks({ filters: { label: ['team=x'] } })) as { Name: string }[];
    assert.deepEqual(listed.map((n) => n.Name), ['dnet']);
    await created.remove();
    r = await call(socket, 'POST', '/v1.41/networks/prune', undefined);
    assert.deepEqual([r.status, r.json], [200, { NetworksDeleted: ['rnet'] }]);
    r = await call(socket, 'POST', '/v1.41/networks/prune', undefined);
    assert.deepEqual(r.json, { NetworksDeleted: null });
  } finally {
    await server.close();
    await h.close();
  }
});
