/**
 * managedFields of non-apply writes, checked against what a real API server
 * records (the kubectl-create entry below is upstream's, byte for byte up to
 * key order).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { zeroObject } from '../../../../src/cluster/apiserver/protobuf/index.js';
import {
  managerOrUserAgent, prefixFromUserAgent, updateManagedFields, type JsonObject, type ManagedFieldsEntry,
} from '../../../../src/cluster/apiserver/patch/index.js';
import { CONFIGMAP, DEPLOYMENT, upstreamStructure } from './upstream-openapi.js';

const T0 = new Date('2025-03-01T10:00:00.500Z');
const T1 = new Date('2025-03-01T11:00:00Z');

/** A deployment as `kubectl create deployment nginx --image=nginx` leaves it after defaulting. */
function createdDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', namespace: 'default', uid: 'u-1', resourceVersion: '1', generation: 1, creationTimestamp: '2025-03-01T10:00:00Z', labels: { app: 'nginx' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'nginx' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

const deploymentOpts = (now: Date, extra: object = {}) => ({
  apiVersion: 'apps/v1',
  structure: upstreamStructure(DEPLOYMENT),
  emptyObject: zeroObject('apps/v1', 'Deployment') as JsonObject,
  resetFields: [['status']],
  now,
  ...extra,
});

const entries = (obj: JsonObject): ManagedFieldsEntry[] => ((obj['metadata'] as JsonObject)['managedFields'] ?? []) as unknown as ManagedFieldsEntry[];

describe('managedFields of updates', () => {
  it('records a create like the API server does for kubectl create deployment', () => {
    const r = updateManagedFields(undefined, createdDeployment(), 'kubectl-create', 'Update', deploymentOpts(T0));
    assert.deepStrictEqual(r.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2025-03-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:progressDeadlineSeconds': {},
            'f:replicas': {},
            'f:revisionHistoryLimit': {},
            'f:selector': {},
            'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {}, 'f:terminationMessagePath': {}, 'f:terminationMessagePolicy': {},
                  },
                },
                'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
              },
            },
          },
        },
      },
    ]);
    assert.deepStrictEqual(entries(r.object), r.managedFields);
    // Upstream writes "." after the children of a node.
    const labels = (r.managedFields?.[0]?.fieldsV1?.['f:metadata'] as JsonObject)['f:labels'] as JsonObject;
    assert.deepStrictEqual(Object.keys(labels), ['f:app', '.']);
  });

  it('gives changed fields to the writer and takes them from their previous owner', () => {
    const created = updateManagedFields(undefined, createdDeployment(), 'kubectl-create', 'Update', deploymentOpts(T0)).object;
    const edited = structuredClone(created);
    const c = ((((edited['spec'] as JsonObject)['template'] as JsonObject)['spec'] as JsonObject)['containers'] as JsonObject[])[0] as JsonObject;
    c['image'] = 'nginx:1.27';
    c['env'] = [{ name: 'MODE', value: 'prod' }];
    const r = updateManagedFields(created, edited, 'kubectl-edit', 'Update', deploymentOpts(T1));
    const [create, edit] = r.managedFields ?? [];
    assert.equal(create?.manager, 'kubectl-create');
    assert.equal(create?.time, '2025-03-01T10:00:00Z');
    const createdContainer = (((((create?.fieldsV1?.['f:spec'] as JsonObject)['f:template'] as JsonObject)['f:spec'] as JsonObject)['f:containers'] as JsonObject)['k:{"name":"nginx"}']) as JsonObject;
    assert.equal('f:image' in createdContainer, false);
    assert.deepStrictEqual(edit, {
      manager: 'kubectl-edit',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2025-03-01T11:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:env': { '.': {}, 'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:image': {} } } } } } },
    });
  });

  it('merges repeated writes of one manager and leaves its time alone when nothing changed', () => {
    const cm = (data: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u' }, data });
    const opts = (now: Date) => ({ apiVersion: 'v1', structure: upstreamStructure(CONFIGMAP), now });
    const a = updateManagedFields(undefined, cm({ a: '1' }), 'helm', 'Update', opts(T0)).object;
    const b = updateManagedFields(a, cm({ a: '1', b: '2' }), 'helm', 'Update', opts(T1)).object;
    assert.deepStrictEqual(entries(b), [{ manager: 'helm', operation: 'Update', apiVersion: 'v1', time: '2025-03-01T11:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } }]);
    const c = updateManagedFields(b, cm({ a: '1', b: '2' }), 'helm', 'Update', opts(new Date('2030-01-01T00:00:00Z'))).object;
    assert.deepStrictEqual(entries(c), entries(b));
  });

  it('keeps status writes apart: subresource entry, request managedFields ignored, spec not owned', () => {
    const live = updateManagedFields(undefined, createdDeployment(), 'kubectl-create', 'Update', deploymentOpts(T0)).object;
    const next = structuredClone(live);
    next['status'] = { replicas: 1, readyReplicas: 1 };
    (next['spec'] as JsonObject)['paused'] = true;
    (next['metadata'] as JsonObject)['managedFields'] = [];
    const r = updateManagedFields(live, next, 'kube-controller-manager', 'Update', deploymentOpts(T1, { subresource: 'status', resetFields: [['spec']] }));
    const status = r.managedFields?.find((e) => e.manager === 'kube-controller-manager');
    assert.deepStrictEqual(status, {
      manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2025-03-01T11:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } }, subresource: 'status',
    });
    assert.equal(r.managedFields?.length, 2);
  });

  it('leaves objects without managedFields untracked, and [] in a write resets tracking', () => {
    const untracked = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u' }, data: { a: '1' } };
    const r = updateManagedFields(untracked, { ...untracked, data: { a: '2' } }, 'kubectl-edit', 'Update', { apiVersion: 'v1', now: T1 });
    assert.equal(r.managedFields, undefined);
    assert.equal('managedFields' in (r.object['metadata'] as JsonObject), false);

    const tracked = updateManagedFields(undefined, { ...untracked, metadata: { name: 'c' } }, 'kubectl-create', 'Update', { apiVersion: 'v1', now: T0 }).object;
    (tracked['metadata'] as JsonObject)['uid'] = 'u';
    const reset = updateManagedFields(tracked, { ...structuredClone(tracked), metadata: { name: 'c', uid: 'u', managedFields: [] } }, 'kubectl-edit', 'Update', { apiVersion: 'v1', now: T1 });
    assert.equal(reset.managedFields, undefined);
  });

  it('accepts managedFields a client writes on the main resource', () => {
    const own: ManagedFieldsEntry[] = [{ manager: 'mine', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u', managedFields: [{ manager: 'old', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }] }, data: { a: '1' } } as unknown as JsonObject;
    const next = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', uid: 'u', managedFields: own }, data: { a: '1' } } as unknown as JsonObject;
    assert.deepStrictEqual(updateManagedFields(live, next, 'kubectl-replace', 'Update', { apiVersion: 'v1', now: T1 }).managedFields, own);
  });

  it('merges the oldest update managers into ancient-changes beyond ten', () => {
    let obj: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
    let live: JsonObject | undefined;
    for (let i = 0; i < 12; i++) {
      const next = structuredClone(obj);
      (next['data'] as JsonObject)[`k${i}`] = 'v';
      (next['metadata'] as JsonObject)['uid'] = 'u';
      obj = updateManagedFields(live, next, `m${String(i).padStart(2, '0')}`, 'Update', { apiVersion: 'v1', now: new Date(T0.getTime() + i * 1000) }).object;
      live = obj;
    }
    const managers = entries(obj).map((e) => e.manager);
    assert.equal(managers.length, 10);
    assert.ok(managers.includes('ancient-changes'));
    const ancient = entries(obj).find((e) => e.manager === 'ancient-changes');
    // m00 created the object, so it also owns the data map itself ('.'), as upstream records on create.
    assert.deepStrictEqual(ancient?.fieldsV1, { 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
    assert.deepStrictEqual(managers.filter((m) => m !== 'ancient-changes'), ['m03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10', 'm11']);
  });

  it('takes the manager from fieldManager, else from the user agent', () => {
    assert.equal(managerOrUserAgent('kubectl-edit', 'kubectl/v1.32.3 (linux/amd64)'), 'kubectl-edit');
    assert.equal(managerOrUserAgent(undefined, 'Helm/3.17.2'), 'Helm');
    assert.equal(managerOrUserAgent('', 'kubectl/v1.32.3 (linux/amd64) kubernetes/32cc146'), 'kubectl');
    assert.equal(prefixFromUserAgent('a\u0001b/1'), 'ab');
    assert.equal(prefixFromUserAgent('x'.repeat(200)).length, 128);
  });
});
