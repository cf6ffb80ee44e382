import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaService, type KubeObject } from '../../../../src/cluster/apiserver/schema/index.js';

type Rec = Record<string, unknown>;

test('the v3 index lists every served group-version with a hashed serverRelativeURL', () => {
  const s = createSchemaService();
  const paths = s.openapi.v3Index()['paths'] as Record<string, { serverRelativeURL: string }>;
  assert.ok(paths['api/v1']);
  assert.ok(paths['apis/apps/v1']);
  assert.ok(paths['apis/autoscaling/v2']);
  const doc = s.openapi.v3Document('apis/apps/v1')!;
  assert.equal(paths['apis/apps/v1']!.serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${doc.hash}`);
  assert.equal(s.openapi.v3Document('apis/nope/v1'), undefined);
});

test('PATCH operations declare fieldValidation and inline patch content types (what kubectl 1.32 checks)', () => {
  const s = createSchemaService();
  const doc = JSON.parse(s.openapi.v3Document('apis/apps/v1')!.body) as Rec;
  const item = (doc['paths'] as Rec)['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'] as Rec;
  const patch = item['patch'] as Rec;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok((patch['parameters'] as Rec[]).some((p) => p['name'] === 'fieldValidation' && p['in'] === 'query'));
  const content = (patch['requestBody'] as Rec)['content'] as Rec;
  for (const ct of ['application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml']) {
    assert.ok(content[ct], ct);
  }
  const schemas = (doc['components'] as Rec)['schemas'] as Rec;
  const deployment = schemas['io.k8s.api.apps.v1.Deployment'] as Rec;
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  // Everything referenced is included.
  assert.ok(schemas['io.k8s.api.core.v1.PodSpec']);
  assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.equal(schemas['io.k8s.api.batch.v1.Job'], undefined);
});

test('CRD documents carry the kind schema, its GVK and PATCH with fieldValidation', () => {
  const s = createSchemaService();
  const crd: KubeObject = {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Cluster', names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  };
  assert.equal(s.registry.registerCrd(crd).accepted, true);
  const doc = JSON.parse(s.openapi.v3Document('apis/example.com/v1')!.body) as Rec;
  const schemas = (doc['components'] as Rec)['schemas'] as Rec;
  const widget = schemas['com.example.v1.Widget'] as Rec;
  assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Widget', version: 'v1' }]);
  assert.ok(((widget['properties'] as Rec)['spec'] as Rec)['properties']);
  const item = (doc['paths'] as Rec)['/apis/example.com/v1/widgets/{name}'] as Rec;
  const patch = item['patch'] as Rec;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'example.com', kind: 'Widget', version: 'v1' });
  assert.equal(patch['operationId'], 'patchExampleComV1Widget');
  assert.ok((patch['parameters'] as Rec[]).some((p) => p['name'] === 'fieldValidation'));
  // Custom resources take no strategic merge patch, so it is not advertised (kubectl's apply would send one).
  assert.deepEqual(Object.keys(((patch['requestBody'] as Rec)['content'] as Rec)).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  const builtin = JSON.parse(s.openapi.v3Document('apis/apps/v1')!.body) as Rec;
  const deployPatch = ((builtin['paths'] as Rec)['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'] as Rec)['patch'] as Rec;
  assert.ok(((deployPatch['requestBody'] as Rec)['content'] as Rec)['application/strategic-merge-patch+json'], 'built-ins keep it');
  const body = JSON.stringify(item);
  assert.ok(!body.includes('VolumeAttachment'), 'no trace of the template kind');
  const before = s.openapi.v3Index();
  s.registry.unregisterCrd('widgets.example.com');
  assert.ok((before['paths'] as Rec)['apis/example.com/v1']);
  assert.equal((s.openapi.v3Index()['paths'] as Rec)['apis/example.com/v1'], undefined);
});

test('schema lookup exposes merge keys and list types for the patch engines', () => {
  const s = createSchemaService();
  const pod = { group: '', version: 'v1', kind: 'Pod' };
  const containers = s.lookup.at(pod, ['spec', 'containers'])!;
  assert.equal(containers.patchMergeKey, 'name');
  assert.equal(containers.patchStrategy, 'merge');
  const ports = s.lookup.at(pod, ['spec', 'containers', '[]', 'ports'])!;
  assert.equal(ports.listType, 'map');
  assert.deepEqual(ports.listMapKeys, ['containerPort', 'protocol']);
  assert.equal(s.lookup.at(pod, ['metadata', 'labels'])!.type, 'object');
  assert.equal(s.lookup.at(pod, ['spec', 'nope']), undefined);
  assert.equal(s.lookup.at({ group: 'apps', version: 'v1', kind: 'Deployment' }, ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])!.intOrString, true);
});

test('v2 JSON rewrites refs to #/definitions', () => {
  const s = createSchemaService();
  const v2 = JSON.parse(s.openapi.v2Document().body) as Rec;
  assert.equal(v2['swagger'], '2.0');
  const spec = (v2['definitions'] as Rec)['io.k8s.api.apps.v1.DeploymentSpec'] as Rec;
  assert.equal(((spec['properties'] as Rec)['template'] as Rec)['$ref'], '#/definitions/io.k8s.api.core.v1.PodTemplateSpec');
});

test('descriptions of $ref fields are restored in the upstream v3 allOf form (kubectl explain shows them)', () => {
  const s = createSchemaService();
  const strategy = s.lookup.byName('io.k8s.api.apps.v1.DeploymentStrategy')!;
  const raw = strategy.raw['properties'] as Record<string, Rec>;
  assert.deepEqual(raw['rollingUpdate']!['allOf'], [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.RollingUpdateDeployment' }]);
  assert.match(String(raw['rollingUpdate']!['description']), /^Rolling update config params/);
  // Walking through the wrapper still reaches the referenced type.
  assert.deepEqual(strategy.field('rollingUpdate')!.properties, ['maxSurge', 'maxUnavailable']);
});

test('re-registering a CRD with another schema changes only its document (and its hash)', () => {
  const s = createSchemaService();
  const crd = (props: Rec): KubeObject => ({
    metadata: { name: 'gadgets.example.com' },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: props } } }] },
  });
  s.registry.registerCrd(crd({ spec: { type: 'object' } }));
  const apps = s.openapi.v3Document('apis/apps/v1')!;
  const first = s.openapi.v3Document('apis/example.com/v1')!;
  s.registry.registerCrd(crd({ spec: { type: 'object', properties: { color: { type: 'string' } } } }));
  const second = s.openapi.v3Document('apis/example.com/v1')!;
  assert.notEqual(first.hash, second.hash);
  assert.ok(second.body.includes('"color"'));
  assert.equal(s.openapi.v3Document('apis/apps/v1'), apps, 'built-in documents are reused');
});
