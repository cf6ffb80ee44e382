/** Pod subresources the control plane uses: binding (scheduler) and eviction (drain). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';

describe('pod subresources', { timeout: 120_000 }, () => {
  let server: BerthServer;
  let api: ApiClient;
  before(async () => {
    server = await BerthServer.start();
    api = new ApiClient(server.kubeconfig);
  });
  after(async () => {
    api?.close();
    await server?.stop();
  });
  const podsPath = '/api/v1/namespaces/default/pods';
  const pdbPath = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
  const evict = (name: string) => api.request('POST', `${podsPath}/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
  const runningPod = async (name: string) => {
    await api.request('POST', podsPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'guarded' } }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] } });
    const status = await api.request('PATCH', `${podsPath}/${name}/status`, { status: { phase: 'Running' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(status.status, 200, status.text);
  };

  test('pods/binding assigns a node once and marks the pod scheduled', async () => {
    const podsPath = '/api/v1/namespaces/default/pods';
    await api.request('POST', podsPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'to-bind' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const bind = await api.request('POST', `${podsPath}/to-bind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'to-bind' }, target: { kind: 'Node', name: 'node-7' } });
    assert.equal(bind.status, 201, bind.text);
    const pod = (await api.request('GET', `${podsPath}/to-bind`)).json;
    assert.equal(pod.spec.nodeName, 'node-7');
    assert.equal(pod.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled')?.status, 'True');
    const again = await api.request('POST', `${podsPath}/to-bind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'to-bind' }, target: { name: 'node-8' } });
    assert.equal(again.status, 409);
    assert.equal(again.json.message, 'Operation cannot be fulfilled on pods/binding "to-bind": pod to-bind is already assigned to node "node-7"');
    await api.request('DELETE', `${podsPath}/to-bind?gracePeriodSeconds=0`);
  });

  test('eviction honours PodDisruptionBudgets', async () => {
    await api.request('POST', podsPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', labels: { app: 'guarded' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await api.request('POST', pdbPath, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
    assert.equal((await evict('pending')).status, 201, 'pending pods ignore budgets');
    assert.equal((await api.request('GET', `${podsPath}/pending`)).status, 404);
    await runningPod('r1');
    const busy = await evict('r1');
    assert.equal(busy.status, 429);
    assert.equal(busy.json.reason, 'TooManyRequests');
    assert.equal(busy.json.details.causes[0].message, 'The disruption budget guard is still being processed by the server.');
    // What the disruption controller would write: one disruption allowed.
    const st = await api.request('PATCH', `${pdbPath}/guard/status`, { status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(st.status, 200, st.text);
    assert.equal((await evict('r1')).status, 201);
    const r1 = (await api.request('GET', `${podsPath}/r1`)).json;
    assert.ok(r1.metadata.deletionTimestamp, 'a bound pod terminates gracefully');
    const guard = (await api.request('GET', `${pdbPath}/guard`)).json;
    assert.equal(guard.status.disruptionsAllowed, 0);
    assert.ok(guard.status.disruptedPods.r1);
    await runningPod('r2');
    const refused = await evict('r2');
    assert.equal(refused.status, 429);
    assert.equal(refused.json.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.equal(refused.json.details.causes[0].message, 'The disruption budget guard needs 1 healthy pods and has 2 currently');
  });
});
