/**
 * Write semantics at the HTTP level: fieldValidation Strict/Warn/Ignore
 * (unknown and duplicate fields, create and patch), name errors, PatchOptions
 * and patch content types, the scale subresource (selector, managedFields)
 * and custom resources whose schema does not declare status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, type ApiResponse } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';
import { deploymentObject, waitEstablished } from './suites/manifests.js';

const cmPath = '/api/v1/namespaces/default/configmaps';
const merge = { 'Content-Type': 'application/merge-patch+json' };

/** The texts of the Warning headers (Node joins repeated headers with ", "). */
function warnings(r: ApiResponse): string[] {
  const h = r.headers['warning'];
  const joined = Array.isArray(h) ? h.join(', ') : h ?? '';
  return [...joined.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
}

describe('berth server: write semantics over HTTPS', { timeout: 300_000 }, () => {
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

  test('fieldValidation on create: Strict fails on unknown and duplicate fields, Warn warns, Ignore is silent', async () => {
    // Raw text: JSON.stringify cannot write a duplicate key.
    const body = (name: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"a":"1","a":"2"},"bogus":true}`;
    const strict = await api.request('POST', `${cmPath}?fieldValidation=Strict`, body('fv-strict'));
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.json.reason, 'BadRequest');
    assert.equal(strict.json.message, 'strict decoding error: unknown field "bogus", duplicate field "data.a"');
    assert.equal((await api.request('GET', `${cmPath}/fv-strict`)).status, 404);
    const warn = await api.request('POST', `${cmPath}?fieldValidation=Warn`, body('fv-warn'));
    assert.equal(warn.status, 201, warn.text);
    assert.deepEqual(warnings(warn), ['unknown field "bogus"', 'duplicate field "data.a"']);
    assert.deepEqual(warn.json.data, { a: '2' }, 'the last duplicate wins, unknown fields are dropped');
    assert.equal(warn.json.bogus, undefined);
    // Warn is the default.
    assert.deepEqual(warnings(await api.request('POST', cmPath, body('fv-default'))), ['unknown field "bogus"', 'duplicate field "data.a"']);
    const ignore = await api.request('POST', `${cmPath}?fieldValidation=Ignore`, body('fv-ignore'));
    assert.equal(ignore.status, 201);
    assert.deepEqual(warnings(ignore), []);
    assert.equal(ignore.json.bogus, undefined);
    const bad = await api.request('POST', `${cmPath}?fieldValidation=Loud`, body('fv-bad'));
    assert.equal(bad.status, 400);
  });

  test('fieldValidation on update and patches: duplicates in the body, unknown fields in the result', async () => {
    const created = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv-patch' }, data: { a: '1' } });
    const put = await api.request('PUT', `${cmPath}/fv-patch?fieldValidation=Strict`, JSON.stringify({ ...created.json, data: { a: '2' }, extra: 1 }));
    assert.equal(put.status, 400);
    assert.equal(put.json.message, 'strict decoding error: unknown field "extra"');
    const dup = await api.request('PATCH', `${cmPath}/fv-patch?fieldValidation=Strict`, '{"data":{"b":"1","b":"2"}}', merge);
    assert.equal(dup.status, 400);
    assert.equal(dup.json.message, 'strict decoding error: duplicate field "data.b"');
    const warned = await api.request('PATCH', `${cmPath}/fv-patch?fieldValidation=Warn`, '{"data":{"b":"1","b":"2"},"spec":{}}', merge);
    assert.equal(warned.status, 200, warned.text);
    assert.deepEqual(warnings(warned).sort(), ['duplicate field "data.b"', 'unknown field "spec"']);
    assert.equal(warned.json.data.b, '2');
    const smp = await api.request('PATCH', `${cmPath}/fv-patch?fieldValidation=Strict`, '{"data":{"c":"1"},"nope":1}', { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 400);
    assert.equal(smp.json.message, 'strict decoding error: unknown field "nope"');
    const ignored = await api.request('PATCH', `${cmPath}/fv-patch?fieldValidation=Ignore`, '{"data":{"c":"1","c":"3"},"nope":1}', merge);
    assert.equal(ignored.status, 200);
    assert.deepEqual(warnings(ignored), []);
    // Server-side apply: duplicate YAML keys.
    const apply = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fv-apply\ndata:\n  k: a\n  k: b\n';
    const applyStrict = await api.request('PATCH', `${cmPath}/fv-apply?fieldManager=t&fieldValidation=Strict`, apply, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(applyStrict.status, 400);
    assert.match(applyStrict.json.message, /key "k" already set in map/);
    const applyWarn = await api.request('PATCH', `${cmPath}/fv-apply?fieldManager=t&fieldValidation=Warn`, apply, { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(applyWarn.status, 201, applyWarn.text);
    assert.match(warnings(applyWarn).join('\n'), /key "k" already set in map/);
  });

  test('an invalid name is one 422 cause, not two', async () => {
    const r = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } });
    assert.equal(r.status, 422);
    assert.equal(r.json.details.causes.length, 1, r.text);
    assert.equal(r.json.details.causes[0].field, 'metadata.name');
    assert.match(r.json.message, /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  test('PatchOptions are validated as upstream does (422), unknown patch types are 415', async () => {
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'po' } });
    const noManager = await api.request('PATCH', `${cmPath}/po`, '{}', { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(noManager.status, 422);
    assert.equal(noManager.json.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const force = await api.request('PATCH', `${cmPath}/po?force=false`, '{}', merge);
    assert.equal(force.status, 422);
    assert.equal(force.json.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    const unknown = await api.request('PATCH', `${cmPath}/po`, '{}', { 'Content-Type': 'application/xml' });
    assert.equal(unknown.status, 415);
    assert.equal(unknown.json.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml');
  });

  test('scale: the selector of each kind, and writes recorded as subresource scale', async () => {
    const deploys = '/apis/apps/v1/namespaces/default/deployments';
    const created = await api.request('POST', deploys, deploymentObject('scaled', 1));
    assert.equal(created.status, 201, created.text);
    const scale = await api.request('GET', `${deploys}/scaled/scale`);
    assert.deepEqual(scale.json.status, { replicas: 0, selector: 'app=scaled' });
    const patched = await api.request('PATCH', `${deploys}/scaled/scale`, { spec: { replicas: 4 } }, { ...merge, 'User-Agent': 'kubectl/v1.32.3 (linux/amd64) kubernetes/32cc146' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.spec.replicas, 4);
    const deploy = (await api.request('GET', `${deploys}/scaled`)).json;
    assert.equal(deploy.spec.replicas, 4);
    const entry = deploy.metadata.managedFields.find((e: { subresource?: string }) => e.subresource === 'scale');
    assert.deepEqual(entry && { manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion, fieldsV1: entry.fieldsV1 },
      { manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const rcs = '/api/v1/namespaces/default/replicationcontrollers';
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { replicas: 1, selector: { b: '2', a: '1' }, template: { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } };
    const rcCreated = await api.request('POST', rcs, rc);
    assert.equal(rcCreated.status, 201, rcCreated.text);
    assert.equal((await api.request('GET', `${rcs}/rc/scale`)).json.status.selector, 'a=1,b=2');
    const smp = await api.request('PATCH', `${deploys}/scaled/scale`, { spec: { replicas: 2 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 200, 'built-in scale takes strategic merge patches');
  });

  test('custom resources: status dropped silently when the schema lacks it; no strategic merge patch (415)', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{
          name: 'v1', served: true, storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } } } },
        }],
      },
    };
    assert.equal((await api.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    await waitEstablished(api, 'gadgets.example.com');
    const path = '/apis/example.com/v1/namespaces/default/gadgets';
    const created = await api.request('POST', `${path}?fieldValidation=Strict`, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { replicas: 1 }, status: { ready: true } });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(warnings(created), []);
    assert.equal(created.json.status, undefined);
    const updated = await api.request('PUT', `${path}/g?fieldValidation=Strict`, { ...created.json, spec: { replicas: 2 }, status: { ready: true } });
    assert.equal(updated.status, 200, updated.text);
    const stillUnknown = await api.request('PUT', `${path}/g?fieldValidation=Strict`, { ...updated.json, other: 1 });
    assert.equal(stillUnknown.json.message, 'strict decoding error: unknown field "other"');
    const smp = await api.request('PATCH', `${path}/g`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 415);
    assert.equal(smp.json.reason, 'UnsupportedMediaType');
    assert.equal(smp.json.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    const scaleSmp = await api.request('PATCH', `${path}/g/scale`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(scaleSmp.status, 415);
    const scaled = await api.request('PATCH', `${path}/g/scale`, { spec: { replicas: 3 } }, merge);
    assert.equal(scaled.status, 200, scaled.text);
    assert.deepEqual(scaled.json.status, { replicas: 0 }, 'no selector at .status.selector yet');
  });

  test('dryRun=All on every verb answers like the real request and writes nothing', async () => {
    const deploys = '/apis/apps/v1/namespaces/default/deployments';
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry', labels: { dry: 'yes' } }, data: { v: '1' } });
    await api.request('POST', deploys, deploymentObject('dry-deploy', 1));
    const revision = async () => (await api.request('GET', '/api/v1/configmaps?limit=1')).json.metadata.resourceVersion as string;
    const before = await revision();
    const live = (await api.request('GET', `${cmPath}/dry`)).json;
    const put = await api.request('PUT', `${cmPath}/dry?dryRun=All`, { ...live, data: { v: '2' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.data.v, '2');
    const patched = await api.request('PATCH', `${cmPath}/dry?dryRun=All`, { data: { v: '3' } }, merge);
    assert.equal(patched.json.data.v, '3');
    const applyNew = await api.request('PATCH', `${cmPath}/dry-new?dryRun=All&fieldManager=t`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry-new"}}', { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(applyNew.status, 201, applyNew.text);
    const applied = await api.request('PATCH', `${cmPath}/dry?dryRun=All&fieldManager=t&force=true`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry"},"data":{"v":"4"}}', { 'Content-Type': 'application/apply-patch+yaml' });
    assert.equal(applied.json.data.v, '4');
    const del = await api.request('DELETE', `${cmPath}/dry?dryRun=All`);
    assert.equal(del.status, 200);
    const delAll = await api.request('DELETE', `${cmPath}?dryRun=All&labelSelector=dry%3Dyes`);
    assert.deepEqual(delAll.json.items.map((o: { metadata: { name: string } }) => o.metadata.name), ['dry']);
    const status = await api.request('PATCH', `${deploys}/dry-deploy/status?dryRun=All`, { status: { replicas: 7 } }, merge);
    assert.equal(status.json.status.replicas, 7);
    const scale = await api.request('PATCH', `${deploys}/dry-deploy/scale?dryRun=All`, { spec: { replicas: 9 } }, merge);
    assert.equal(scale.json.spec.replicas, 9);
    const nsDel = await api.request('DELETE', '/api/v1/namespaces/default?dryRun=All');
    assert.equal(nsDel.status, 403, 'default cannot be deleted, dry run or not');
    const create = await api.request('POST', `${cmPath}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry-created' } });
    assert.equal(create.status, 201);
    assert.equal(await revision(), before, 'no write reached the store');
    assert.equal((await api.request('GET', `${cmPath}/dry`)).json.data.v, '1');
    assert.equal((await api.request('GET', `${cmPath}/dry-new`)).status, 404);
    assert.equal((await api.request('GET', `${cmPath}/dry-created`)).status, 404);
    const deploy = (await api.request('GET', `${deploys}/dry-deploy`)).json;
    assert.equal(deploy.spec.replicas, 1);
    assert.equal(deploy.status.replicas, undefined);
    const bad = await api.request('POST', `${cmPath}?dryRun=Some`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    assert.equal(bad.status, 400);
  });

  test('metadata maps and lists emptied by a patch are dropped, as Go omitempty does', async () => {
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'emptied', labels: { a: 'b' }, annotations: { x: 'y' }, finalizers: [] } });
    const r = await api.request('PATCH', `${cmPath}/emptied`, { metadata: { labels: { a: null }, annotations: { x: null } } }, merge);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.metadata.labels, undefined);
    assert.equal(r.json.metadata.annotations, undefined);
    assert.equal(r.json.metadata.finalizers, undefined);
    const owned = JSON.stringify(r.json.metadata.managedFields ?? []);
    assert.doesNotMatch(owned, /f:annotations/, 'nobody owns an empty map');
  });
});
