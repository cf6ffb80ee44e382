/**
 * The patch service as the API server uses it (PatchPort), with structures
 * from the schema module's lookup: engine routing, CRD rules, status
 * subresource ownership and Content-Type handling.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { createSchemaService } from '../../../../src/cluster/apiserver/schema/index.js';
import {
  createPatchService, parsePatchContentType, structureSourceFromLookup, type JsonObject, type ManagedFieldsEntry, type PatchServiceRequest,
} from '../../../../src/cluster/apiserver/patch/index.js';

const schema = createSchemaService();
const NOW = new Date('2025-03-01T10:00:00Z');
const service = createPatchService({ structureFor: structureSourceFromLookup(schema.lookup), now: () => NOW });

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment', hasStatus: true };
const WIDGET = { group: 'example.com', version: 'v1', kind: 'Widget', hasStatus: true, crd: 'widgets.example.com' };

const request = (over: Partial<PatchServiceRequest> & Pick<PatchServiceRequest, 'patchType' | 'patch'>): PatchServiceRequest => ({
  type: DEPLOYMENT, current: undefined, fieldManager: 'test', force: false, subresource: '', ...over,
});

const managed = (obj: JsonObject): ManagedFieldsEntry[] => ((obj['metadata'] as JsonObject)['managedFields'] ?? []) as unknown as ManagedFieldsEntry[];

function live(): JsonObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u', labels: { app: 'web' } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] }] } },
    },
    status: { replicas: 1 },
  };
}

function created(): JsonObject {
  const next = live();
  service.recordUpdate({ type: DEPLOYMENT, old: undefined, next, fieldManager: 'kubectl-create', operation: 'Update', subresource: '' });
  return next;
}

function statusOf(fn: () => unknown): { code: unknown; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(isBerthError(err), String(err));
    return { code: err.details?.['code'], message: err.message };
  }
  assert.fail('expected an error');
}

describe('patch service', () => {
  it('records creates without status on the main resource and status writes under subresource "status"', () => {
    const obj = created();
    assert.deepStrictEqual(managed(obj).map((e) => [e.manager, e.operation, e.subresource, Object.keys(e.fieldsV1 ?? {})]), [['kubectl-create', 'Update', undefined, ['f:metadata', 'f:spec']]]);

    const next = structuredClone(obj);
    next['status'] = { replicas: 1, readyReplicas: 1 };
    service.recordUpdate({ type: DEPLOYMENT, old: obj, next, fieldManager: 'kube-controller-manager', operation: 'Update', subresource: 'status' });
    const status = managed(next).find((e) => e.manager === 'kube-controller-manager');
    assert.deepStrictEqual(status?.fieldsV1, { 'f:status': { 'f:readyReplicas': {} } });
    assert.equal(status?.subresource, 'status');
  });

  it('applies a strategic merge patch by merge key and records the patcher', () => {
    const patch = JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '2' }] }] } } } });
    const out = service.patch(request({ patchType: 'strategic', current: created(), patch, fieldManager: 'kubectl-patch' })).object;
    const container = ((((out['spec'] as JsonObject)['template'] as JsonObject)['spec'] as JsonObject)['containers'] as JsonObject[])[0] as JsonObject;
    // Without $setElementOrder upstream's mergeSortedSlice puts new patch items before server-only ones.
    assert.deepStrictEqual(container['env'], [{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    assert.deepStrictEqual(managed(out).map((e) => e.manager), ['kubectl-create', 'kubectl-patch']);
  });

  it('routes JSON patch and merge patch, with Kubernetes errors for failed operations', () => {
    const merged = service.patch(request({ patchType: 'merge', current: created(), patch: '{"spec":{"replicas":3}}' })).object;
    assert.equal((merged['spec'] as JsonObject)['replicas'], 3);
    const replaced = service.patch(request({ patchType: 'json', current: created(), patch: '[{"op":"replace","path":"/spec/replicas","value":4}]' })).object;
    assert.equal((replaced['spec'] as JsonObject)['replicas'], 4);
    const failed = statusOf(() => service.patch(request({ patchType: 'json', current: created(), patch: '[{"op":"test","path":"/spec/replicas","value":9}]' })).object);
    assert.deepStrictEqual(failed, { code: 422, message: 'the server rejected our request due to an error in our request' });
  });

  it('creates with server-side apply, keying container ports by containerPort and the defaulted protocol', () => {
    const body = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: default}',
      'spec:', '  selector: {matchLabels: {app: web}}', '  template:', '    metadata: {labels: {app: web}}',
      '    spec:', '      containers:', '      - name: web', '        image: nginx', '        ports: [{containerPort: 80}]', '',
    ].join('\n');
    const out = service.patch(request({ patchType: 'apply', patch: new TextEncoder().encode(body), fieldManager: 'kubectl' })).object;
    const [entry] = managed(out);
    assert.equal(entry?.operation, 'Apply');
    const ports = (((((entry?.fieldsV1?.['f:spec'] as JsonObject)['f:template'] as JsonObject)['f:spec'] as JsonObject)['f:containers'] as JsonObject)['k:{"name":"web"}'] as JsonObject)['f:ports'];
    assert.deepStrictEqual(ports, { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });
  });

  it('refuses strategic merge patch for custom resources with 415, and merges them otherwise', () => {
    const widget: JsonObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', uid: 'u' }, spec: { size: 1, tags: ['a'] } };
    const refused = statusOf(() => service.patch(request({ type: WIDGET, patchType: 'strategic', current: widget, patch: '{"spec":{"size":2}}' })).object);
    assert.deepStrictEqual(refused, {
      code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    });
    const merged = service.patch(request({ type: WIDGET, patchType: 'merge', current: widget, patch: '{"spec":{"tags":["b"]}}' })).object;
    assert.deepStrictEqual(merged['spec'], { size: 1, tags: ['b'] });
  });

  it('maps Content-Type headers to patch types', () => {
    assert.equal(parsePatchContentType('application/strategic-merge-patch+json; charset=utf-8'), 'strategic');
    assert.equal(parsePatchContentType('application/apply-patch+yaml', true), 'apply');
    const err = statusOf(() => parsePatchContentType('application/json'));
    assert.deepStrictEqual(err, {
      code: 415,
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    });
  });
});
