/**
 * A restart keeps every object (CRDs and their resources included), and a
 * SIGKILLed server loses no write it acknowledged, on SQLite and on etcd.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdUnavailableReason, startEtcd } from '../../fixtures/etcd.js';
import { ApiClient } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';
import { crontab, crontabCrd } from './suites/manifests.js';

const cmPath = '/api/v1/namespaces/default/configmaps';

async function names(api: ApiClient, path: string): Promise<Set<string>> {
  const r = await api.request('GET', path);
  assert.equal(r.status, 200, r.text);
  return new Set((r.json.items as Array<{ metadata: { name: string } }>).map((o) => o.metadata.name));
}

async function durability(datastore: () => string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-durable-'));
  let server: BerthServer | undefined;
  try {
    const store = datastore();
    const start = () => BerthServer.start({ dataDir, ...(store === undefined ? {} : { datastore: store }) });
    server = await start();
    await server.k(['apply', '-f', server.file('crd.yaml', crontabCrd)]);
    await server.k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com']);
    await server.k(['apply', '-f', server.file('ct.yaml', crontab('kept', '* * * * *'))]);
    let api = new ApiClient(server.kubeconfig);
    for (let i = 0; i < 20; i++) await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `kept-${i}` } });
    const before = await names(api, cmPath);
    api.close();
    assert.equal(await server.stop({ keepData: true }), 0, 'SIGTERM stops cleanly');

    server = await start();
    api = new ApiClient(server.kubeconfig);
    assert.deepEqual(await names(api, cmPath), before, 'a restart keeps every object');
    assert.equal(await server.k(['get', 'ct', 'kept', '-o', 'jsonpath={.spec.cronSpec}']), '* * * * *', 'CRDs are served again after a restart');

    // Writers run until the kill; every 201 they saw must survive it.
    const acked: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          const r = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
          if (r.status === 201) acked.push(name);
        } catch {
          return;
        }
      }
    };
    const writers = [0, 1, 2, 3, 4, 5, 6, 7].map(writer);
    const deadline = Date.now() + 30_000;
    while (acked.length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(acked.length >= 200, `only ${acked.length} writes acknowledged before the kill`);
    await server.kill();
    stop = true;
    await Promise.all(writers);
    api.close();

    server = await start();
    api = new ApiClient(server.kubeconfig);
    const after = await names(api, cmPath);
    const lost = acked.filter((n) => !after.has(n));
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged writes lost`);
    api.close();
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('durability', { timeout: 300_000 }, () => {
  test('SQLite: restart keeps everything; SIGKILL loses nothing acknowledged', () => durability(() => undefined));

  const skip = etcdUnavailableReason();
  test('etcd: restart keeps everything; SIGKILL loses nothing acknowledged', skip === undefined ? {} : { skip }, async () => {
    const etcd = await startEtcd();
    try {
      await durability(() => etcd.url);
    } finally {
      await etcd.stop();
    }
  });
});
