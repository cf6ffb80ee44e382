import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bumpGeneration, generateName, initCreateMeta, validateName } from '../../../../src/cluster/apiserver/rest/object-meta.js';
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

test('names: subdomains, labels for namespaces and services, generateName', () => {
  assert.deepEqual(validateName(t('', 'configmaps'), 'a.b-c'), []);
  assert.match(validateName(t('', 'configmaps'), 'Bad_Name')[0]?.message ?? '', /lowercase RFC 1123 subdomain/);
  assert.match(validateName(t('', 'namespaces'), 'a.b')[0]?.message ?? '', /RFC 1123 label/);
  assert.equal(validateName(t('', 'configmaps'), '')[0]?.reason, 'FieldValueRequired');
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
