import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VolumeService } from '../../../../src/engine/volumes/index.js';
import { FakeKernel, tempDir } from './fakes.js';
import { startVolumeApi } from './api-server.js';

test('/volumes over HTTP: bodies, statuses and messages as dockerd 20.10 gives them', async () => {
  const { dir, cleanup } = await tempDir('routes');
  const service = new VolumeService({ root: dir, kernel: new FakeKernel() });
  await service.init();
  const api = await startVolumeApi(dir, service);
  try {
    let r = await api.call('GET', '/v1.41/volumes');
    assert.deepEqual([r.status, r.json], [200, { Volumes: [], Warnings: null }]);
    r = await api.call('POST', '/v1.41/volumes/create', '{"Driver":"local","Name":"rvol","Labels":{"x":"y"}}');
    assert.equal(r.status, 201);
    assert.deepEqual(Object.keys(r.json as object), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
    assert.deepEqual((r.json as { Labels: unknown }).Labels, { x: 'y' });
    r = await api.call('POST', '/volumes/create', '{}');
    assert.equal(r.status, 201);
    const anon = (r.json as { Name: string }).Name;
    assert.match(anon, /^[0-9a-f]{64}$/);
    const errors: [string, string, string | undefined, number, string, Record<string, string>?][] = [
      ['POST', '/v1.41/volumes/create', '', 400, 'got EOF while reading request body'],
      ['POST', '/v1.41/volumes/create', '{"Name":"ab","Labels":{"x":1}}', 400, 'json: cannot unmarshal number into Go struct field VolumeCreateBody.Labels of type string'],
      ['POST', '/v1.41/volumes/create', '{"Name":"ab2"}', 400, "Content-Type specified (text/plain) must be 'application/json'", { 'Content-Type': 'text/plain' }],
      ['POST', '/v1.41/volumes/create', '{"Name":"x"}', 400, 'create x: volume name is too short, names should be at least two alphanumeric characters'],
      ['POST', '/v1.41/volumes/create', '{"Name":"v2","Driver":"foo"}', 404, 'create v2: error looking up volume plugin foo: plugin "foo" not found'],
      ['GET', '/v1.41/volumes/nope', undefined, 404, 'get nope: no such volume'],
      ['DELETE', '/v1.41/volumes/nope', undefined, 404, 'get nope: no such volume'],
      ['GET', '/v1.41/volumes?filters=%7B%22foo%22%3A%7B%221%22%3Atrue%7D%7D', undefined, 400, "Invalid filter 'foo'"],
      ['POST', '/v1.41/volumes/prune?filters=%7B%22all%22%3A%7B%22true%22%3Atrue%7D%7D', undefined, 400, "Invalid filter 'all'"],
    ];
    for (const [method, path, body, status, message, headers] of errors) {
      r = await api.call(method, path, body, headers);
      assert.deepEqual([r.status, r.json], [status, { message }], `${method} ${path} ${body ?? ''}`);
    }
    r = await api.call('GET', '/v1.41/volumes?filters=garbage');
    assert.equal(r.status, 400);
    assert.match((r.json as { message: string }).message, /^error reading volume filters: /);
    r = await api.call('DELETE', '/v1.41/volumes/nope?force=1');
    assert.equal(r.status, 204);
    r = await api.call('GET', '/v1.41/volumes/rvol');
    assert.equal((r.json as { Name: string }).Name, 'rvol');
    r = await api.call('GET', `/v1.41/volumes?filters=${encodeURIComponent('{"label":["x=y"]}')}`);
    assert.deepEqual((r.json as { Volumes: { Name: string }[] }).Volumes.map((v) => v.Name), ['rvol']);
    r = await api.call('POST', `/v1.41/volumes/prune?filters=${encodeURIComponent('{"label":{"x":true}}')}`);
    assert.deepEqual([r.status, r.json], [200, { VolumesDeleted: ['rvol'], SpaceReclaimed: 0 }]);
    r = await api.call('DELETE', `/v1.41/volumes/${anon}`);
    assert.equal(r.status, 204);
    r = await api.call('GET', '/volumes');
    assert.deepEqual(r.json, { Volumes: [], Warnings: null });
  } finally {
    await api.close();
    await cleanup();
  }
});
