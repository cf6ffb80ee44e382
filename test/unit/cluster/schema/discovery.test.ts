import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaService, storageVersionHash, AGGREGATED_DISCOVERY_CONTENT_TYPE, type KubeObject } from '../../../../src/cluster/apiserver/schema/index.js';

type Rec = Record<string, unknown>;
const items = (doc: KubeObject): Rec[] => doc['items'] as Rec[];

function crontabCrd(extra: Rec = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
      versions: [
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1', served: true, storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer' } } } } } },
        },
      ],
      ...extra,
    },
  };
}

test('aggregated /apis matches the upstream fixture shape for apps/v1 deployments', () => {
  const s = createSchemaService();
  const doc = s.discovery.aggregated('apis');
  assert.equal(doc.kind, 'APIGroupDiscoveryList');
  assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.equal(AGGREGATED_DISCOVERY_CONTENT_TYPE, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const apps = items(doc).find((g) => (g['metadata'] as Rec)['name'] === 'apps');
  assert.ok(apps);
  assert.deepEqual(apps['metadata'], { name: 'apps', creationTimestamp: null });
  const v1 = (apps['versions'] as Rec[])[0]!;
  assert.equal(v1['version'], 'v1');
  assert.equal(v1['freshness'], 'Current');
  const resources = v1['resources'] as Rec[];
  assert.deepEqual(resources.map((r) => r['resource']), ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets']);
  assert.deepEqual(resources.find((r) => r['resource'] === 'deployments'), {
    resource: 'deployments',
    responseKind: { group: '', version: '', kind: 'Deployment' },
    scope: 'Namespaced',
    singularResource: 'deployment',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    ],
  });
  // controllerrevisions has neither short names, categories nor subresources: the keys are omitted.
  assert.deepEqual(Object.keys(resources[0]!).sort(), ['resource', 'responseKind', 'scope', 'singularResource', 'verbs']);
  // autoscaling lists v2 before v1, as the apiserver does.
  const autoscaling = items(doc).find((g) => (g['metadata'] as Rec)['name'] === 'autoscaling')!;
  assert.deepEqual((autoscaling['versions'] as Rec[]).map((v) => v['version']), ['v2', 'v1']);
});

test('aggregated /api carries only the core group with pods subresources', () => {
  const s = createSchemaService();
  const doc = s.discovery.aggregated('api');
  assert.equal(items(doc).length, 1);
  const core = items(doc)[0]!;
  assert.equal((core['metadata'] as Rec)['name'], '');
  const pods = ((core['versions'] as Rec[])[0]!['resources'] as Rec[]).find((r) => r['resource'] === 'pods')!;
  assert.deepEqual(pods['shortNames'], ['po']);
  assert.deepEqual((pods['subresources'] as Rec[]).map((x) => x['subresource']),
    ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status']);
  const eviction = (pods['subresources'] as Rec[]).find((x) => x['subresource'] === 'eviction')!;
  assert.deepEqual(eviction['responseKind'], { group: 'policy', version: 'v1', kind: 'Eviction' });
});

test('storage version hashes equal the values real clusters publish', () => {
  assert.equal(storageVersionHash('', 'v1', 'Pod'), 'xPOwRZ+Yhw8=');
  assert.equal(storageVersionHash('apps', 'v1', 'Deployment'), '8aSe+NMegvE=');
});

test('legacy documents: APIVersions, APIGroupList, APIGroup and APIResourceList', () => {
  const s = createSchemaService();
  assert.deepEqual(s.discovery.apiVersions('10.0.0.1:6443'), {
    kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
  });
  const groups = s.discovery.apiGroupList()['groups'] as Rec[];
  assert.ok(!groups.some((g) => g['name'] === ''));
  const autoscaling = groups.find((g) => g['name'] === 'autoscaling')!;
  assert.deepEqual(autoscaling['preferredVersion'], { groupVersion: 'autoscaling/v2', version: 'v2' });
  assert.deepEqual(s.discovery.apiGroup('apps'), {
    kind: 'APIGroup', apiVersion: 'v1', name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  });
  assert.equal(s.discovery.apiGroup('nope.example.com'), undefined);
  const list = s.discovery.apiResourceList('apps', 'v1')!;
  assert.equal(list['groupVersion'], 'apps/v1');
  const res = list['resources'] as Rec[];
  assert.deepEqual(res.find((r) => r['name'] === 'deployments/scale'), {
    name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'],
  });
  assert.equal(res.find((r) => r['name'] === 'deployments')!['storageVersionHash'], '8aSe+NMegvE=');
  const core = s.discovery.apiResourceList('', 'v1')!;
  assert.equal(core['groupVersion'], 'v1');
  const reviews = s.discovery.apiResourceList('authorization.k8s.io', 'v1')!['resources'] as Rec[];
  assert.ok(reviews.every((r) => r['storageVersionHash'] === undefined), 'virtual resources have no storage hash');
  assert.equal(s.discovery.apiResourceList('apps', 'v1beta1'), undefined);
});

test('CRD registration adds its group-versions (preferred first) and removal takes them away', () => {
  const s = createSchemaService();
  const before = s.registry.generation;
  const result = s.registry.registerCrd(crontabCrd());
  assert.equal(result.accepted, true);
  assert.ok(s.registry.generation > before);
  const v1 = s.registry.get('stable.example.com', 'v1', 'crontabs')!;
  assert.equal(v1.storageVersion, 'v1');
  assert.equal(v1.crd, 'crontabs.stable.example.com');
  assert.deepEqual(v1.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' });
  const group = s.discovery.apiGroup('stable.example.com')!;
  assert.deepEqual(group['preferredVersion'], { groupVersion: 'stable.example.com/v1', version: 'v1' });
  const agg = items(s.discovery.aggregated('apis')).find((g) => (g['metadata'] as Rec)['name'] === 'stable.example.com')!;
  const res = ((agg['versions'] as Rec[])[0]!['resources'] as Rec[])[0]!;
  assert.deepEqual(res['shortNames'], ['ct']);
  // The apiextensions discovery controller's shape: filled responseKind, its verb order, status before scale.
  assert.deepEqual(res['responseKind'], { group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
  assert.deepEqual(res['verbs'], ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch']);
  assert.deepEqual(res['subresources'], [
    { subresource: 'status', responseKind: { group: 'stable.example.com', version: 'v1', kind: 'CronTab' }, verbs: ['get', 'patch', 'update'] },
    { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
  ]);
  const legacy = s.discovery.apiResourceList('stable.example.com', 'v1')!['resources'] as Rec[];
  assert.deepEqual(legacy.map((r) => r['name']), ['crontabs', 'crontabs/status', 'crontabs/scale']);
  assert.equal(legacy[1]!['group'], undefined);
  assert.equal(legacy[2]!['group'], 'autoscaling');
  assert.equal(legacy[0]!['storageVersionHash'], storageVersionHash('stable.example.com', 'v1', 'CronTab'));
  s.registry.unregisterCrd('crontabs.stable.example.com');
  assert.equal(s.registry.get('stable.example.com', 'v1', 'crontabs'), undefined);
  assert.equal(s.discovery.apiGroup('stable.example.com'), undefined);
});

test('a CRD whose plural collides with a served resource is not accepted', () => {
  const s = createSchemaService();
  const crd = crontabCrd();
  (crd['spec'] as Rec)['group'] = 'apps';
  ((crd['spec'] as Rec)['names'] as Rec)['plural'] = 'deployments';
  crd.metadata = { name: 'deployments.apps' };
  const r = s.registry.registerCrd(crd);
  assert.equal(r.accepted, false);
  assert.equal(s.registry.get('apps', 'v1', 'deployments')?.crd, undefined);
});
