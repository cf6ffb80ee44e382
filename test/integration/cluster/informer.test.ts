/** An informer from @kubernetes/client-node sees every add, update and delete. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { BerthServer } from './harness/berth-server.js';

describe('@kubernetes/client-node informer against berth server', { timeout: 120_000 }, () => {
  let s: BerthServer;
  before(async () => { s = await BerthServer.start(); });
  after(async () => { await s?.stop(); });

  test('sees every add, update and delete, in order', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(s.kubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'pre-existing' }, data: { v: '0' } } });
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name ?? ''}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name ?? ''}:${(o as k8s.V1ConfigMap).data?.['v'] ?? ''}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name ?? ''}`));
    informer.on('error', (e) => seen.push(`error:${String(e)}`));
    await informer.start();
    try {
      const expected = ['add:pre-existing'];
      for (let i = 0; i < 5; i++) {
        const name = `inf-${i}`;
        await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { v: '1' } } });
        await core.patchNamespacedConfigMap({ name, namespace: 'default', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
        await core.deleteNamespacedConfigMap({ name, namespace: 'default' });
        expected.push(`add:${name}`, `update:${name}:2`, `delete:${name}`);
      }
      const deadline = Date.now() + 15_000;
      while (seen.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(seen, expected);
      assert.deepEqual(informer.list().map((o) => o.metadata?.name), ['pre-existing']);
    } finally {
      await informer.stop();
    }
  });
});
