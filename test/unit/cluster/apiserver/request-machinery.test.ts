import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from '../../../../src/cluster/apiserver/http/request-info.js';
import { negotiateTransform, wantsAggregatedDiscovery } from '../../../../src/cluster/apiserver/http/negotiate.js';
import { toStatus } from '../../../../src/cluster/apiserver/http/status.js';
import { conflictError, invalidError, notFoundError } from '../../../../src/cluster/apiserver/errors.js';
import { failedPrecondition, notFound } from '../../../../src/core/index.js';

const q = (s = '') => new URLSearchParams(s);

test('request info: namespaced, cluster, subresources, namespaces themselves, watch', () => {
  const a = parseRequestInfo('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale', q());
  assert.deepEqual([a.isResourceRequest, a.verb, a.group, a.version, a.namespace, a.resource, a.name, a.subresource], [true, 'get', 'apps', 'v1', 'default', 'deployments', 'web', 'scale']);
  const b = parseRequestInfo('GET', '/api/v1/pods', q('watch=true'));
  assert.deepEqual([b.verb, b.namespace, b.resource], ['watch', '', 'pods']);
  const c = parseRequestInfo('PUT', '/api/v1/namespaces/kube-system/finalize', q());
  assert.deepEqual([c.verb, c.resource, c.name, c.subresource, c.namespace], ['update', 'namespaces', 'kube-system', 'finalize', 'kube-system']);
  const d = parseRequestInfo('DELETE', '/api/v1/namespaces/x/configmaps', q());
  assert.equal(d.verb, 'deletecollection');
  assert.equal(parseRequestInfo('GET', '/apis/apps/v1', q()).isResourceRequest, false);
  assert.equal(parseRequestInfo('GET', '/healthz', q()).verb, 'get');
  const e = parseRequestInfo('GET', '/api/v1/namespaces/default/pods/p', q('watch=1'));
  assert.equal(e.verb, 'watch');
});

test('Accept negotiation: Table v1/v1beta1, partial metadata, aggregated discovery, 406', () => {
  const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  assert.deepEqual(negotiateTransform(table, true), { kind: 'table', version: 'v1' });
  assert.deepEqual(negotiateTransform('application/json;as=Table;v=v1beta1;g=meta.k8s.io', false), { kind: 'table', version: 'v1beta1' });
  assert.deepEqual(negotiateTransform('application/vnd.kubernetes.protobuf,application/json', false), { kind: 'none' });
  assert.deepEqual(negotiateTransform('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', true), { kind: 'partial', version: 'v1' });
  assert.deepEqual(negotiateTransform(undefined, false), { kind: 'none' });
  assert.throws(() => negotiateTransform('text/html', false), (e: unknown) => toStatus(e).code === 406);
  assert.equal(wantsAggregatedDiscovery('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), 'v2');
  assert.equal(wantsAggregatedDiscovery('application/json'), undefined);
});

test('errors become Kubernetes Status objects with the upstream messages', () => {
  const c = toStatus(conflictError({ group: 'apps', resource: 'deployments' }, 'web'));
  assert.deepEqual(c, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict',
    message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    details: { name: 'web', group: 'apps', kind: 'deployments' },
  });
  const n = toStatus(notFoundError({ group: '', resource: 'pods' }, 'p'));
  assert.equal(n.message, 'pods "p" not found');
  assert.equal(n.code, 404);
  const i = toStatus(invalidError({ group: 'apps', kind: 'Deployment' }, 'web', [
    { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
    { reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' },
  ]));
  assert.equal(i.code, 422);
  assert.equal(i.message, 'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]');
  // Errors from the store carry only a kind: mapped here.
  assert.equal(toStatus(failedPrecondition('old', { details: { reason: 'Expired' } })).code, 410);
  assert.equal(toStatus(notFound('x')).reason, 'NotFound');
  const internal = toStatus(new Error('boom'));
  assert.equal(internal.code, 500);
  assert.equal(internal.reason, 'InternalError');
});
