/**
 * Strategic merge patch against the upstream schemas, including the exact
 * three-way patches kubectl 1.32 client-side apply sent to a fake server
 * (test/fixtures/patch).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { applyStrategicMergePatch, patchObject, type JsonObject } from '../../../../src/cluster/apiserver/patch/index.js';
import { readJsonFixture } from '../protobuf/fixture-files.js';
import { CONFIGMAP, DEPLOYMENT, POD, upstreamStructure } from './upstream-openapi.js';

interface Capture {
  live: JsonObject;
  request: { contentType: string; query: string };
  patch: JsonObject;
}

const deployment = (): ReturnType<typeof upstreamStructure> => upstreamStructure(DEPLOYMENT);

function status(err: unknown): { code: unknown; reason: unknown; message: string } {
  assert.ok(isBerthError(err));
  return { code: err.details?.['code'], reason: err.details?.['reason'], message: err.message };
}

describe('strategic merge patch: kubectl client-side apply captures', () => {
  it('deployment: $setElementOrder, $patch delete, $retainKeys, null deletions, replaced args', () => {
    const c = readJsonFixture<Capture>('patch', 'kubectl-apply-deployment.json');
    assert.equal(c.request.contentType, 'application/strategic-merge-patch+json');
    assert.match(c.request.query, /fieldManager=kubectl-client-side-apply/);
    const out = applyStrategicMergePatch(c.live, c.patch, deployment()) as unknown as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { replicas: number; strategy: unknown; template: { spec: { containers: JsonObject[]; volumes: JsonObject[]; dnsPolicy: string } } };
      status: unknown;
    };
    const lastApplied = ((c.patch['metadata'] as JsonObject)['annotations'] as JsonObject)['kubectl.kubernetes.io/last-applied-configuration'];
    assert.deepStrictEqual(out.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied });
    assert.deepStrictEqual(out.metadata.labels, { app: 'web', tier: 'frontend' });
    assert.equal(out.spec.replicas, 3);
    // Server-side defaults and status survive.
    assert.deepStrictEqual(out.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(out.spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.deepStrictEqual(out.status, c.live['status']);

    const containers = out.spec.template.spec.containers;
    assert.deepStrictEqual(containers.map((x) => x['name']), ['logger', 'nginx']);
    assert.deepStrictEqual(containers[0], { image: 'fluent-bit:3', name: 'logger' });
    assert.deepStrictEqual(containers[1], {
      name: 'nginx',
      image: 'nginx:1.27',
      args: ['--a', '--c'],
      ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 443, name: 'https', protocol: 'TCP' }],
      env: [{ name: 'MODE', value: 'staging' }, { name: 'NEW', value: 'added' }],
      volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
    });
    assert.deepStrictEqual(out.spec.template.spec.volumes, [{ name: 'cache', hostPath: { path: '/var/cache/web' } }]);
  });

  it('configmap: $deleteFromPrimitiveList and $setElementOrder on finalizers, null deletes data keys', () => {
    const c = readJsonFixture<Capture>('patch', 'kubectl-apply-configmap.json');
    const out = applyStrategicMergePatch(c.live, c.patch, upstreamStructure(CONFIGMAP)) as unknown as { data: unknown; metadata: { finalizers: string[] } };
    assert.deepStrictEqual(out.data, { keep: '1', added: '3' });
    assert.deepStrictEqual(out.metadata.finalizers, ['example.com/b', 'example.com/c', 'example.com/server-added']);
  });

  it('does not modify its inputs', () => {
    const c = readJsonFixture<Capture>('patch', 'kubectl-apply-deployment.json');
    const live = structuredClone(c.live);
    const patch = structuredClone(c.patch);
    applyStrategicMergePatch(live, patch, deployment());
    assert.deepStrictEqual(live, c.live);
    assert.deepStrictEqual(patch, c.patch);
  });
});

describe('strategic merge patch: directives and strategies', () => {
  const live = (): JsonObject => ({
    metadata: { name: 'p', labels: { a: '1', b: '2' }, annotations: { x: 'y' } },
    spec: {
      containers: [
        { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['--x'] },
        { name: 'side', image: 'side:1' },
      ],
      tolerations: [{ key: 'k1', operator: 'Exists' }],
    },
  });
  const pod = (): ReturnType<typeof upstreamStructure> => upstreamStructure(POD);

  it('merges list items by merge key and appends new ones; replaces lists without a merge strategy', () => {
    const out = applyStrategicMergePatch(live(), { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], args: ['--y'] }, { name: 'new', image: 'n' }], tolerations: [{ key: 'k2', operator: 'Exists' }] } }, pod());
    assert.deepStrictEqual((out['spec'] as JsonObject)['containers'], [
      { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }], args: ['--y'] },
      // Upstream ordering: a patch item whose place the live list cannot tell comes before later server-only items.
      { name: 'new', image: 'n' },
      { name: 'side', image: 'side:1' },
    ]);
    assert.deepStrictEqual((out['spec'] as JsonObject)['tolerations'], [{ key: 'k2', operator: 'Exists' }]);
  });

  it('$patch: replace on maps and lists, $patch: delete on maps and list items', () => {
    const out = applyStrategicMergePatch(live(), {
      metadata: { labels: { $patch: 'replace', c: '3' }, annotations: { $patch: 'delete' } },
      spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'o' }] },
    }, pod());
    assert.deepStrictEqual((out['metadata'] as JsonObject)['labels'], { c: '3' });
    assert.deepStrictEqual((out['metadata'] as JsonObject)['annotations'], {});
    assert.deepStrictEqual((out['spec'] as JsonObject)['containers'], [{ name: 'only', image: 'o' }]);

    const del = applyStrategicMergePatch(live(), { spec: { containers: [{ $patch: 'delete', name: 'side' }] } }, pod());
    assert.deepStrictEqual(((del['spec'] as JsonObject)['containers'] as JsonObject[]).map((c) => c['name']), ['app']);
  });

  it('null deletes; null for an absent key and directives inside new values are dropped', () => {
    const out = applyStrategicMergePatch(live(), { metadata: { labels: { a: null, zzz: null } }, spec: { containers: [{ name: 'app', args: null }], nodeSelector: { disk: 'ssd', gone: null } } }, pod());
    assert.deepStrictEqual((out['metadata'] as JsonObject)['labels'], { b: '2' });
    assert.equal('args' in ((out['spec'] as JsonObject)['containers'] as JsonObject[])[0]!, false);
    assert.deepStrictEqual((out['spec'] as JsonObject)['nodeSelector'], { disk: 'ssd' });
  });

  it('merges primitive lists with a merge strategy as sets', () => {
    const out = applyStrategicMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'c'] } }, pod());
    assert.deepStrictEqual((out['metadata'] as JsonObject)['finalizers'], ['a', 'b', 'c']);
  });

  it('merges fields the schema does not know like a merge patch', () => {
    const out = applyStrategicMergePatch({ spec: { extra: { a: 1, list: [1, 2] } } }, { spec: { extra: { b: 2, list: [3] } } }, pod());
    assert.deepStrictEqual((out['spec'] as JsonObject)['extra'], { a: 1, b: 2, list: [3] });
  });

  it('maps format errors to 400, list-of-lists to 422 and other failures to plain 500s', () => {
    const cases: [JsonObject, { code: number; reason: string; message: string | RegExp }][] = [
      [{ spec: { containers: [{ image: 'x' }] } }, { code: 500, reason: '', message: 'map: map[image:x] does not contain declared merge key: name' }],
      [{ spec: { containers: [{ $patch: 'merge', name: 'app' }] } }, { code: 500, reason: '', message: 'merging lists cannot yet be specified in the patch' }],
      [{ metadata: { $retainKeys: ['name'], labels: { a: '1' } } }, { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' }],
      [{ metadata: { $patch: 'bogus' } }, { code: 500, reason: '', message: /^unknown patch type: bogus in map: map\[\$patch:bogus\]$/ }],
      [{ spec: { containers: [{ name: 'app' }], '$setElementOrder/containers': [{ name: 'other' }] } }, { code: 500, reason: '', message: /^the order in patch list:/ }],
      [{ spec: { $deleteFromPrimitiveListcontainers: ['x'] } }, { code: 400, reason: 'BadRequest', message: 'invalid patch format of primitive list' }],
    ];
    for (const [patch, want] of cases) {
      assert.throws(() => applyStrategicMergePatch(live(), patch, pod()), (err: unknown) => {
        const s = status(err);
        assert.equal(s.code, want.code, JSON.stringify(patch));
        assert.equal(s.reason, want.reason);
        if (typeof want.message === 'string') assert.equal(s.message, want.message);
        else assert.match(s.message, want.message);
        return true;
      });
    }
  });

  it('rejects strategic merge patch for custom resources with the 415 Kubernetes sends', () => {
    assert.throws(
      () => patchObject({ metadata: { name: 'x' } }, { contentType: 'application/strategic-merge-patch+json', body: '{}', kind: 'CronTab', customResource: true, fieldManager: 'kubectl-patch', apiVersion: 'stable.example.com/v1' }),
      (err: unknown) => {
        const s = status(err);
        assert.deepStrictEqual(s, {
          code: 415,
          reason: 'UnsupportedMediaType',
          message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        });
        return true;
      },
    );
  });
});
