import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCollaborators } from '../../../../src/cluster/apiserver/build-collaborators.js';
import { defaultAndValidate } from '../../../../src/cluster/apiserver/rest/admission.js';
import { bumpGeneration, generateName, initCreateMeta } from '../../../../src/cluster/apiserver/rest/object-meta.js';
import { propagationFinalizers, readyToGo } from '../../../../src/cluster/apiserver/rest/resource-deleter.js';
import { strategyFor } from '../../../../src/cluster/apiserver/rest/strategies.js';
import type { KubeObject, ResourceType } from '../../../../src/cluster/apiserver/types.js';

const t = (group: string, resource: string, extra: Partial<ResourceType> = {}): ResourceType => ({
  group, version: 'v1', resource, kind: 'K', listKind: 'KList', singular: 'k', namespaced: true, shortNames: [], categories: [], verbs: [], hasStatus: true, ...extra,
});

test('propagation policy becomes the GC finalizers the way the generic registry does', () => {
  assert.deepEqual(propagationFinalizers([], { dryRun: false, propagationPolicy: 'Foreground' }), ['foregroundDeletion']);
  assert.deepEqual(propagationFinalizers(['x'], { dryRun: false, propagationPolicy: 'Orphan' }), ['x', 'orphan']);
  assert.deepEqual(propagationFinalizers(['orphan', 'x'], { dryRun: false, propagationPolicy: 'Background' }), ['x']);
  assert.deepEqual(propagationFinalizers(['orphan'], { dryRun: false }), ['orphan']);
  assert.deepEqual(propagationFinalizers([], { dryRun: false, orphanDependents: true }), ['orphan']);
  assert.deepEqual(propagationFinalizers(['foregroundDeletion'], { dryRun: false, orphanDependents: false }), []);
});

test('an object goes when deletion started and nothing holds it', () => {
  const ns = t('', 'namespaces', { namespaced: false });
  assert.equal(readyToGo(t('', 'configmaps'), { metadata: { deletionTimestamp: 'x' } }), true);
  assert.equal(readyToGo(t('', 'configmaps'), { metadata: { deletionTimestamp: 'x', finalizers: ['a'] } }), false);
  assert.equal(readyToGo(t('', 'configmaps'), { metadata: {} }), false);
  assert.equal(readyToGo(t('', 'pods'), { metadata: { deletionTimestamp: 'x', deletionGracePeriodSeconds: 30 } }), false);
  assert.equal(readyToGo(ns, { metadata: { deletionTimestamp: 'x' }, spec: { finalizers: ['kubernetes'] } }), false);
  assert.equal(readyToGo(ns, { metadata: { deletionTimestamp: 'x' }, spec: { finalizers: [] } }), true);
});

test('pods: graceful only when scheduled and not finished; QoS on create', () => {
  const s = strategyFor(t('', 'pods'));
  assert.equal(s.gracePeriod?.({ metadata: {}, spec: {} }, {}), 0);
  assert.equal(s.gracePeriod?.({ metadata: {}, spec: { nodeName: 'n' } }, {}), 30);
  assert.equal(s.gracePeriod?.({ metadata: {}, spec: { nodeName: 'n', terminationGracePeriodSeconds: 5 } }, {}), 5);
  assert.equal(s.gracePeriod?.({ metadata: {}, spec: { nodeName: 'n' } }, { gracePeriodSeconds: 0 }), 0);
  assert.equal(s.gracePeriod?.({ metadata: {}, spec: { nodeName: 'n' }, status: { phase: 'Succeeded' } }, {}), 0);
  const pod: KubeObject = { metadata: {}, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } };
  s.prepareForCreate?.(pod);
  assert.deepEqual(pod['status'], { phase: 'Pending', qosClass: 'Guaranteed' });
});

test('names: the rule of each kind, reported once; generateName', () => {
  const collab = buildCollaborators();
  const options = { dryRun: false, fieldManager: 'test', fieldValidation: 'Strict' as const, subresource: '' };
  const causesOf = (resource: string, name: string): { field: string; message: string }[] => {
    const type = collab.schema.lookup('', 'v1', resource)!;
    const obj: KubeObject = { apiVersion: 'v1', kind: type.kind, metadata: { name, ...(type.namespaced ? { namespace: 'default' } : {}) } };
    try {
      defaultAndValidate(collab, type, obj, options);
      return [];
    } catch (err) {
      return ((err as { details?: { causes?: { field: string; message: string }[] } }).details?.causes ?? []);
    }
  };
  assert.deepEqual(causesOf('configmaps', 'a.b-c'), []);
  const bad = causesOf('configmaps', 'Bad_Name');
  assert.equal(bad.length, 1, JSON.stringify(bad));
  assert.equal(bad[0]?.field, 'metadata.name');
  assert.match(bad[0]?.message ?? '', /lowercase RFC 1123 subdomain/);
  assert.match(causesOf('namespaces', 'a.b')[0]?.message ?? '', /RFC 1123 label/);
  assert.deepEqual(causesOf('services', '1abc').filter((c) => c.field === 'metadata.name').length, 1, 'services: one DNS-1035 error');
  assert.match(causesOf('services', '1abc')[0]?.message ?? '', /DNS-1035 label/);
  assert.equal(causesOf('configmaps', '').length, 1);
  assert.match(generateName('web-'), /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

test('generation: set on create for generational kinds, bumped only by spec changes', () => {
  const deploy = t('apps', 'deployments');
  const obj: KubeObject = { metadata: { name: 'x', resourceVersion: '5' }, spec: { a: 1, b: 2 } };
  initCreateMeta(deploy, obj);
  assert.equal(obj.metadata.generation, 1);
  assert.equal(obj.metadata.resourceVersion, undefined);
  assert.match(obj.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
  const reordered: KubeObject = { metadata: { ...obj.metadata, labels: { x: 'y' } }, spec: { b: 2, a: 1 }, status: { ready: 1 } };
  bumpGeneration(deploy, reordered, obj);
  assert.equal(reordered.metadata.generation, 1, 'key order, labels and status do not count');
  const changed: KubeObject = { metadata: { ...obj.metadata }, spec: { a: 2, b: 2 } };
  bumpGeneration(deploy, changed, obj);
  assert.equal(changed.metadata.generation, 2);
  const cm: KubeObject = { metadata: { name: 'c' } };
  initCreateMeta(t('', 'configmaps', { hasStatus: false }), cm);
  assert.equal(cm.metadata.generation, undefined);
});
