import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromStorage, toStorage } from '../../../../src/cluster/apiserver/rest/conversion.js';
import type { KubeObject, ResourceType } from '../../../../src/cluster/apiserver/types.js';

const type = (group: string, version: string, resource: string, kind: string): ResourceType => ({
  group, version, resource, kind, listKind: `${kind}List`, singular: kind.toLowerCase(), namespaced: true, shortNames: [], categories: [], verbs: [], hasStatus: true,
});

test('HPA v1 ↔ v2: CPU target, status, and what v1 cannot say survive a round trip', () => {
  const v1 = type('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler');
  const stored: KubeObject = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
    },
    status: { currentReplicas: 3, desiredReplicas: 4, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } }], conditions: [{ type: 'AbleToScale', status: 'True' }] },
  };
  const old = fromStorage(v1, structuredClone(stored));
  assert.deepEqual(old['spec'], { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, minReplicas: 2, targetCPUUtilizationPercentage: 60 });
  assert.deepEqual(old['status'], { currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 55 });
  assert.ok(old.metadata.annotations?.['autoscaling.alpha.kubernetes.io/metrics']);
  const back = toStorage(v1, old);
  assert.equal(back.apiVersion, 'autoscaling/v2');
  assert.deepEqual(back['spec'], stored['spec']);
  assert.deepEqual((back['status'] as { conditions: unknown }).conditions, [{ type: 'AbleToScale', status: 'True' }]);
  assert.equal(back.metadata.annotations, undefined);
  const v2 = type('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler');
  assert.equal(fromStorage(v2, stored), stored, 'the storage version is served as is');
});

test('events.k8s.io/v1 ↔ core/v1 Events', () => {
  const ev = type('events.k8s.io', 'v1', 'events', 'Event');
  const core = toStorage(ev, { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, regarding: { name: 'p' }, note: 'hi', reportingController: 'c', deprecatedCount: 2, reason: 'R' });
  assert.deepEqual(core, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { name: 'p' }, message: 'hi', reportingComponent: 'c', count: 2, reason: 'R' });
  const again = fromStorage(ev, core);
  assert.equal(again['note'], 'hi');
  assert.deepEqual(again['regarding'], { name: 'p' });
  assert.equal(again['message'], undefined);
});
