/** Two `berth server`s on one etcd serve the same cluster: CRDs, writes and watches cross between them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcdUnavailableReason, startEtcd } from '../../fixtures/etcd.js';
import { ApiClient } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';
import { crontab, crontabCrd } from './suites/manifests.js';

const skip = etcdUnavailableReason();

test('two API servers on one etcd', { timeout: 180_000, ...(skip === undefined ? {} : { skip }) }, async () => {
  const etcd = await startEtcd();
  let a: BerthServer | undefined;
  let b: BerthServer | undefined;
  try {
    a = await BerthServer.start({ datastore: etcd.url });
    b = await BerthServer.start({ datastore: etcd.url });
    const apiB = new ApiClient(b.kubeconfig);
    try {
      // A CRD created through A is registered and served by B (its CRD controller watches the store).
      await a.k(['apply', '-f', a.file('crd.yaml', crontabCrd)]);
      await a.k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com']);
      let served = 0;
      for (let i = 0; i < 50 && served !== 200; i++) {
        served = (await apiB.request('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).status;
        if (served !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(served, 200);
      // A watch on B sees a write made through A.
      const list = await apiB.request('GET', '/api/v1/namespaces/default/configmaps');
      const w = apiB.watch(`/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${list.json.metadata.resourceVersion}`);
      await a.k(['create', 'configmap', 'crossed', '--from-literal=a=b']);
      const [ev] = await w.waitFor(1);
      w.stop();
      assert.equal(ev.type, 'ADDED');
      assert.equal(ev.object.metadata.name, 'crossed');
      await b.k(['apply', '-f', b.file('ct.yaml', crontab('shared', '* * * * *'))]);
      assert.equal(await a.k(['get', 'ct', 'shared', '-o', 'jsonpath={.spec.cronSpec}']), '* * * * *');
      // Optimistic concurrency holds across servers.
      const cm = await apiB.request('GET', '/api/v1/namespaces/default/configmaps/crossed');
      await a.k(['label', 'cm', 'crossed', 'via=a']);
      const stale = await apiB.request('PUT', '/api/v1/namespaces/default/configmaps/crossed', cm.json);
      assert.equal(stale.status, 409);
    } finally {
      apiB.close();
    }
  } finally {
    await a?.stop();
    await b?.stop();
    await etcd.stop();
  }
});
