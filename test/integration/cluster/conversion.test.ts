/** Served versions that share one storage: HPAs (autoscaling v1/v2) and Events (core/v1 and events.k8s.io/v1). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';

describe('conversion between served versions', { timeout: 120_000 }, () => {
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

  test('HorizontalPodAutoscalers are served as autoscaling/v1 and v2 from one storage', async () => {
    const v1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
    const v2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
    const c = await api.request('POST', v1, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h1' }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 } });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.apiVersion, 'autoscaling/v1');
    assert.equal(c.json.spec.targetCPUUtilizationPercentage, 70);
    const asV2 = (await api.request('GET', `${v2}/h1`)).json;
    assert.deepEqual(asV2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    // A v2-only metric survives a round trip through v1.
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } };
    const upd = await api.request('PUT', `${v2}/h1`, { ...asV2, spec: { ...asV2.spec, metrics: [...asV2.spec.metrics, memory] } });
    assert.equal(upd.status, 200, upd.text);
    const viaV1 = (await api.request('GET', `${v1}/h1`)).json;
    assert.equal(viaV1.spec.targetCPUUtilizationPercentage, 70);
    assert.ok(viaV1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']);
    const put = await api.request('PUT', `${v1}/h1`, { ...viaV1, spec: { ...viaV1.spec, maxReplicas: 9 } });
    assert.equal(put.status, 200, put.text);
    const back = (await api.request('GET', `${v2}/h1`)).json;
    assert.equal(back.spec.maxReplicas, 9);
    assert.deepEqual(back.spec.metrics.map((m: { resource: { name: string } }) => m.resource.name), ['cpu', 'memory']);
    assert.equal(back.metadata.annotations, undefined);
    const list = (await api.request('GET', v1)).json;
    assert.equal(list.items[0].apiVersion, 'autoscaling/v1');
  });

  test('an events.k8s.io/v1 Event is a core/v1 Event, found by kubectl describe field selectors', async () => {
    const created = await api.request('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e1' },
      eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'example.com/ctl', reportingInstance: 'ctl-1',
      action: 'Scale', reason: 'Scaled', type: 'Normal', note: 'scaled up',
      regarding: { kind: 'Deployment', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'apps/v1' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.note, 'scaled up');
    const core = (await api.request('GET', '/api/v1/namespaces/default/events/e1')).json;
    assert.equal(core.apiVersion, 'v1');
    assert.equal(core.message, 'scaled up');
    assert.equal(core.involvedObject.name, 'web');
    assert.equal(core.reportingComponent, 'example.com/ctl');
    const selected = await api.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb,involvedObject.uid%3Du-1');
    assert.deepEqual(selected.json.items.map((e: { metadata: { name: string } }) => e.metadata.name), ['e1']);
    const viaNew = await api.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dweb');
    assert.equal(viaNew.json.items[0].regarding.uid, 'u-1');
    assert.equal(viaNew.json.items[0].apiVersion, 'events.k8s.io/v1');
    const missing = await api.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events/nope');
    assert.equal(missing.json.message, 'events.events.k8s.io "nope" not found');
  });
});
