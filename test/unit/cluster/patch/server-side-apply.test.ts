/**
 * Server-side apply: ownership, merge and prune, conflicts (409 text and
 * causes as kubectl prints them), force, the kubectl client-side-apply
 * upgrade path and request errors, against the upstream schemas.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { zeroObject } from '../../../../src/cluster/apiserver/protobuf/index.js';
import {
  applyPatch, LAST_APPLIED_ANNOTATION, updateManagedFields, type ApplyOptions, type JsonObject, type ManagedFieldsEntry,
} from '../../../../src/cluster/apiserver/patch/index.js';
import { readJsonFixture } from '../protobuf/fixture-files.js';
import { CONFIGMAP, DEPLOYMENT, upstreamStructure } from './upstream-openapi.js';

const T0 = new Date('2025-03-01T10:00:00Z');
const T1 = new Date('2025-03-01T11:00:00Z');
const T2 = new Date('2025-03-01T12:00:00Z');

const cmOpts = (manager: string, now: Date, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  apiVersion: 'v1', kind: 'ConfigMap', manager, now, structure: upstreamStructure(CONFIGMAP), emptyObject: zeroObject('v1', 'ConfigMap') as JsonObject, ...extra,
});
const deployOpts = (manager: string, now: Date, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  apiVersion: 'apps/v1', kind: 'Deployment', manager, now, structure: upstreamStructure(DEPLOYMENT), emptyObject: zeroObject('apps/v1', 'Deployment') as JsonObject, resetFields: [['status']], ...extra,
});

const entries = (obj: JsonObject): ManagedFieldsEntry[] => ((obj['metadata'] as JsonObject)['managedFields'] ?? []) as unknown as ManagedFieldsEntry[];
const entry = (obj: JsonObject, manager: string): ManagedFieldsEntry | undefined => entries(obj).find((e) => e.manager === manager);

function status(err: unknown): { code: unknown; reason: unknown; message: string; causes: unknown } {
  assert.ok(isBerthError(err), String(err));
  return { code: err.details?.['code'], reason: err.details?.['reason'], message: err.message, causes: err.details?.['causes'] };
}

function thrown(fn: () => unknown): ReturnType<typeof status> {
  try {
    fn();
  } catch (err) {
    return status(err);
  }
  assert.fail('expected an error');
}

const cmYaml = (data: Record<string, string>, labels: Record<string, string> = {}): string => [
  'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: test-cm', '  namespace: default',
  ...(Object.keys(labels).length > 0 ? ['  labels:', ...Object.entries(labels).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)] : []),
  'data:', ...Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`), '',
].join('\n');

/** The state `kubectl create deployment web --image=nginx:1.25 --replicas=2` leaves after defaulting. */
function createdDeployment(extraMeta: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '1', generation: 1, creationTimestamp: '2025-03-01T10:00:00Z', labels: { app: 'web' }, ...extraMeta },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.25', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' }],
          restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    },
    status: {},
  };
}

const deployYaml = (replicas: number, image: string, extraContainer = ''): string => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
${extraContainer}`;

function createdBy(manager: string, obj = createdDeployment()): JsonObject {
  return updateManagedFields(undefined, obj, manager, 'Update', deployOpts(manager, T0)).object;
}

describe('server-side apply: ownership', () => {
  it('creates an object and records the fields the manager applied (the documented ConfigMap example)', () => {
    const r = applyPatch(undefined, cmYaml({ key: 'some value' }, { 'test-label': 'test' }), cmOpts('kubectl', T0));
    assert.deepStrictEqual(r.managedFields, [{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2025-03-01T10:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:test-label': {} } } },
    }]);
    const meta = r.object['metadata'] as JsonObject;
    assert.equal(meta['name'], 'test-cm');
    assert.deepStrictEqual(meta['labels'], { 'test-label': 'test' });
    assert.deepStrictEqual(r.object['data'], { key: 'some value' });
    assert.deepStrictEqual(meta['managedFields'], r.managedFields);
    assert.equal(r.changed, true);
  });

  it('accepts JSON, YAML and already decoded bodies alike', () => {
    const yaml = applyPatch(undefined, cmYaml({ a: '1' }), cmOpts('m', T0));
    const json = applyPatch(undefined, new TextEncoder().encode(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default' }, data: { a: '1' } })), cmOpts('m', T0));
    const object = applyPatch(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default' }, data: { a: '1' } }, cmOpts('m', T0));
    assert.deepStrictEqual(json.object, yaml.object);
    assert.deepStrictEqual(object.object, yaml.object);
  });

  it('reports a repeated identical apply as unchanged and keeps its timestamp', () => {
    const first = applyPatch(undefined, cmYaml({ a: '1' }), cmOpts('m', T0)).object;
    const again = applyPatch(first, cmYaml({ a: '1' }), cmOpts('m', T1));
    assert.equal(again.changed, false);
    assert.equal(entry(again.object, 'm')?.time, '2025-03-01T10:00:00Z');
  });

  it('removes fields the manager stopped applying unless someone else owns them', () => {
    let obj = applyPatch(undefined, cmYaml({ x: '1', y: '2', shared: 's' }, { a: '1', b: '2' }), cmOpts('one', T0)).object;
    obj = applyPatch(obj, cmYaml({ shared: 's' }), cmOpts('two', T1)).object;
    assert.deepStrictEqual(entry(obj, 'two')?.fieldsV1, { 'f:data': { 'f:shared': {} } });

    obj = applyPatch(obj, cmYaml({ x: '1' }, { a: '1' }), cmOpts('one', T2)).object;
    assert.deepStrictEqual(obj['data'], { shared: 's', x: '1' });
    assert.deepStrictEqual((obj['metadata'] as JsonObject)['labels'], { a: '1' });
    assert.deepStrictEqual(entry(obj, 'one')?.fieldsV1, { 'f:data': { 'f:x': {} }, 'f:metadata': { 'f:labels': { 'f:a': {} } } });

    obj = applyPatch(obj, cmYaml({}), cmOpts('two', T2)).object;
    assert.deepStrictEqual(obj['data'], { x: '1' });
    assert.equal(entry(obj, 'two'), undefined);
  });

  it('merges associative lists by key and prunes items, with protocol defaulting to TCP in port keys', () => {
    const sidecar = '      - name: sidecar\n        image: busybox\n        ports:\n        - containerPort: 8080\n';
    let obj = applyPatch(undefined, deployYaml(1, 'nginx:1.25', sidecar), deployOpts('ci', T0)).object;
    const fields = entry(obj, 'ci')?.fieldsV1 as JsonObject;
    const containers = (((fields['f:spec'] as JsonObject)['f:template'] as JsonObject)['f:spec'] as JsonObject)['f:containers'] as JsonObject;
    assert.deepStrictEqual(containers, {
      'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} },
      'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
    });
    obj = applyPatch(obj, deployYaml(1, 'nginx:1.25'), deployOpts('ci', T1)).object;
    const names = ((((obj['spec'] as JsonObject)['template'] as JsonObject)['spec'] as JsonObject)['containers'] as JsonObject[]).map((c) => c['name']);
    assert.deepStrictEqual(names, ['nginx']);
  });
});

describe('server-side apply: conflicts', () => {
  it('rejects changing a field another manager set, with the message and causes kubectl prints', () => {
    const live = createdBy('kubectl-client-side-apply');
    const err = thrown(() => applyPatch(live, deployYaml(3, 'nginx:1.25'), deployOpts('my-manager', T1)));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepStrictEqual(err.causes, [{ type: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }]);
  });

  it('lists several conflicts grouped by manager', () => {
    const live = createdBy('kubectl-create');
    const err = thrown(() => applyPatch(live, deployYaml(3, 'nginx:1.27'), deployOpts('my-manager', T1)));
    assert.equal(err.message, [
      'Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:',
      '- .spec.replicas',
      '- .spec.template.spec.containers[name="nginx"].image',
    ].join('\n'));
    assert.deepStrictEqual((err.causes as { field: string }[]).map((c) => c.field), ['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
  });

  it('does not conflict when the value is unchanged, and then shares ownership', () => {
    const live = createdBy('kubectl-create');
    const r = applyPatch(live, deployYaml(2, 'nginx:1.25'), deployOpts('my-manager', T1));
    assert.equal(r.changed, false);
    const create = entry(r.object, 'kubectl-create')?.fieldsV1 as JsonObject;
    assert.ok('f:replicas' in (create['f:spec'] as JsonObject));
    assert.ok('f:replicas' in ((entry(r.object, 'my-manager')?.fieldsV1 as JsonObject)['f:spec'] as JsonObject));
  });

  it('names appliers without a version and subresource writers with theirs', () => {
    const one = applyPatch(undefined, cmYaml({ a: '1' }), cmOpts('one', T0)).object;
    assert.equal(thrown(() => applyPatch(one, cmYaml({ a: '2' }), cmOpts('two', T1))).message, 'Apply failed with 1 conflict: conflict with "one": .data.a');

    const withStatus = createdBy('kubectl-create');
    const next = structuredClone(withStatus);
    next['status'] = { replicas: 2 };
    const controlled = updateManagedFields(withStatus, next, 'kube-controller-manager', 'Update', deployOpts('kube-controller-manager', T1, { subresource: 'status', resetFields: [['spec']] })).object;
    const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, status: { replicas: 5 } };
    const err = thrown(() => applyPatch(controlled, body, deployOpts('me', T2, { subresource: 'status', resetFields: [['spec']] })));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "status" using apps/v1: .status.replicas');
  });

  it('force=true takes ownership from the previous manager', () => {
    const live = createdBy('kubectl-client-side-apply');
    const r = applyPatch(live, deployYaml(3, 'nginx:1.25'), deployOpts('my-manager', T1, { force: true }));
    assert.equal((r.object['spec'] as JsonObject)['replicas'], 3);
    const previous = entry(r.object, 'kubectl-client-side-apply')?.fieldsV1 as JsonObject;
    assert.equal('f:replicas' in (previous['f:spec'] as JsonObject), false);
    assert.equal(entry(r.object, 'my-manager')?.operation, 'Apply');
    // The next apply of the same manager no longer conflicts.
    assert.equal((applyPatch(r.object, deployYaml(4, 'nginx:1.25'), deployOpts('my-manager', T2)).object['spec'] as JsonObject)['replicas'], 4);
  });

  it('gives fields of objects without managedFields to "before-first-apply"', () => {
    const legacy: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'test-cm', namespace: 'default', uid: 'u' }, data: { a: '1', b: '2' } };
    assert.equal(thrown(() => applyPatch(legacy, cmYaml({ a: '9' }), cmOpts('m', T1))).message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
    const r = applyPatch(legacy, cmYaml({ a: '9' }), cmOpts('m', T1, { force: true }));
    assert.deepStrictEqual(r.object['data'], { a: '9', b: '2' });
    // Upstream sorts entries by operation first: Apply before Update.
    assert.deepStrictEqual(entries(r.object).map((e) => [e.manager, e.operation, e.fieldsV1]), [
      ['m', 'Apply', { 'f:data': { 'f:a': {} } }],
      ['before-first-apply', 'Update', { 'f:data': { '.': {}, 'f:b': {} } }],
    ]);
  });
});

describe('server-side apply: kubectl upgrade from client-side apply', () => {
  interface Capture { live: JsonObject }
  const lastApplied = (obj: JsonObject): string => ((obj['metadata'] as JsonObject)['annotations'] as JsonObject)[LAST_APPLIED_ANNOTATION] as string;

  it('lets "kubectl" take over fields its last-applied annotation set, and keeps the annotation in sync', () => {
    const { live: csa } = readJsonFixture<Capture>('patch', 'kubectl-apply-deployment.json');
    const live = createdBy('kubectl-client-side-apply', csa);
    const config = JSON.parse(lastApplied(live)) as JsonObject;
    (config['spec'] as JsonObject)['replicas'] = 5;

    const other = thrown(() => applyPatch(live, config, deployOpts('argocd', T1)));
    assert.equal(other.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');

    const r = applyPatch(live, config, deployOpts('kubectl', T1));
    assert.equal((r.object['spec'] as JsonObject)['replicas'], 5);
    const synced = JSON.parse(lastApplied(r.object)) as JsonObject;
    assert.equal((synced['spec'] as JsonObject)['replicas'], 5);
    assert.ok(lastApplied(r.object).endsWith('}\n'));
    assert.equal(entry(r.object, 'kubectl')?.operation, 'Apply');
  });

  it('still conflicts on fields someone else changed since the last client-side apply', () => {
    const { live: csa } = readJsonFixture<Capture>('patch', 'kubectl-apply-deployment.json');
    const live = createdBy('kubectl-client-side-apply', csa);
    const edited = structuredClone(live);
    (edited['spec'] as JsonObject)['replicas'] = 7;
    const afterEdit = updateManagedFields(live, edited, 'kubectl-edit', 'Update', deployOpts('kubectl-edit', T1)).object;
    const config = JSON.parse(lastApplied(afterEdit)) as JsonObject;
    (config['spec'] as JsonObject)['replicas'] = 5;
    assert.equal(thrown(() => applyPatch(afterEdit, config, deployOpts('kubectl', T2))).message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });
});

describe('server-side apply: request errors', () => {
  it('rejects a body of another kind or version', () => {
    const err = thrown(() => applyPatch(undefined, 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n', cmOpts('m', T0)));
    assert.deepStrictEqual([err.code, err.reason, err.message], [400, 'BadRequest', 'invalid object type: /v1, Kind=Secret']);
    assert.equal(thrown(() => applyPatch(undefined, deployYaml(1, 'x').replace('apps/v1', 'apps/v1beta1'), deployOpts('m', T0))).message, 'invalid object type: apps/v1beta1, Kind=Deployment');
  });

  it('rejects managedFields in the body', () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: [{ manager: 'x' }] } };
    const err = thrown(() => applyPatch(undefined, body, cmOpts('m', T0)));
    assert.deepStrictEqual([err.code, err.reason, err.message], [400, 'BadRequest', 'metadata.managedFields must be nil']);
  });

  it('rejects bodies that are not YAML objects', () => {
    assert.match(thrown(() => applyPatch(undefined, 'a: [1', cmOpts('m', T0))).message, /^error decoding YAML: /);
    assert.equal(thrown(() => applyPatch(undefined, '- 1\n- 2\n', cmOpts('m', T0))).message,
      'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}');
  });

  it('answers 500 for objects the schema cannot type, like duplicate list keys', () => {
    const dup = deployYaml(1, 'nginx', '      - name: nginx\n        image: other\n');
    const err = thrown(() => applyPatch(undefined, dup, deployOpts('m', T0)));
    assert.equal(err.code, 500);
    assert.match(err.message, /^failed to create typed patch object \(default\/web; apps\/v1, Kind=Deployment\): \.spec\.template\.spec\.containers: duplicate entries for key \[name="nginx"\]/);
  });

  it('checks duplicate YAML keys only for fieldValidation Strict (error) and Warn (warning)', () => {
    const body = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-cm\ndata:\n  a: "1"\n  a: "2"\n';
    const expected = 'error converting YAML to JSON: yaml: unmarshal errors:\n  line 7: key "a" already set in map';
    assert.equal(thrown(() => applyPatch(undefined, body, cmOpts('m', T0, { fieldValidation: 'Strict' }))).message, `error strict decoding YAML: ${expected}`);
    assert.deepStrictEqual(applyPatch(undefined, body, cmOpts('m', T0, { fieldValidation: 'Warn' })).warnings, [expected]);
    const ignored = applyPatch(undefined, body, cmOpts('m', T0));
    assert.deepStrictEqual([ignored.warnings, ignored.object['data']], [[], { a: '2' }]);
  });
});
