import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, parseLabelSelector, labelSelectorToString, encodeContinue, decodeContinue } from '../../../../src/cluster/apiserver/storage/index.js';
import type { KubeObject, ResourceType } from '../../../../src/cluster/apiserver/types.js';
import { isBerthError } from '../../../../src/core/index.js';

const pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', listKind: 'PodList', singular: 'pod', namespaced: true, shortNames: [], categories: [], verbs: [], hasStatus: true };
const secrets: ResourceType = { ...pods, resource: 'secrets', kind: 'Secret', hasStatus: false };

test('label selectors: equality, set-based, existence and numeric', () => {
  const l = { app: 'web', tier: 'front', n: '5' };
  const yes = ['app=web', 'app==web', 'tier!=back', 'app in (web,db)', 'tier notin (back)', 'app', '!missing', 'n>3', 'n<6', 'app=web,tier in (front)', 'missing!=x', 'missing notin (x)'];
  const no = ['app=db', 'app in (db)', 'tier notin (front)', 'missing', '!app', 'n>5', 'app=web,tier=back', 'missing in (x)'];
  for (const s of yes) assert.equal(parseLabelSelector(s)?.(l), true, s);
  for (const s of no) assert.equal(parseLabelSelector(s)?.(l), false, s);
  assert.equal(parseLabelSelector(''), undefined);
  assert.throws(() => parseLabelSelector('a b c'), (e) => isBerthError(e) && e.details?.['code'] === 400);
  assert.throws(() => parseLabelSelector('n>x'), /integer/);
});

test('LabelSelector objects become the string syntax (scale status.selector)', () => {
  assert.equal(labelSelectorToString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }] }), 'a=1,b=2,c in (x,y),!d');
});

test('field selectors: metadata and per-kind fields, unsupported fields are 400', () => {
  const pod: KubeObject = { metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1', restartPolicy: 'Always' }, status: { phase: 'Running', podIP: '10.0.0.1' } };
  const match = (sel: string) => parseFieldSelector(sel, pods)?.match(pod);
  assert.equal(match('metadata.name=p'), true);
  assert.equal(match('metadata.namespace==ns,spec.nodeName=n1'), true);
  assert.equal(match('status.phase!=Running'), false);
  assert.equal(match('status.podIP=10.0.0.1,spec.restartPolicy=Always'), true);
  assert.equal(match('spec.nodeName='), false);
  const parsed = parseFieldSelector('metadata.name=p', pods);
  assert.equal(parsed?.name, 'p');
  assert.throws(() => parseFieldSelector('spec.foo=bar', pods), /field label not supported: spec.foo/);
  const secret: KubeObject = { metadata: { name: 's' }, type: 'kubernetes.io/tls' };
  assert.equal(parseFieldSelector('type=kubernetes.io/tls', secrets)?.match(secret), true);
  assert.equal(parseFieldSelector('metadata.name=a\\,b', secrets)?.match({ metadata: { name: 'a,b' } }), true);
});

test('continue tokens round-trip in the kube-apiserver format and reject garbage', () => {
  const t = encodeContinue({ rv: 42, start: 'ns/name\u0000' });
  assert.deepEqual(JSON.parse(Buffer.from(t, 'base64url').toString()), { v: 'meta.k8s.io/v1', rv: 42, start: 'ns/name\u0000' });
  assert.deepEqual(decodeContinue(t), { rv: 42, start: 'ns/name\u0000' });
  assert.throws(() => decodeContinue('not-a-token'), /continue key is not valid/);
  assert.throws(() => decodeContinue(Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"../x"}').toString('base64url')), /continue key is not valid/);
});
