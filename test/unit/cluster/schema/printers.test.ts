import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, printTable, evalJsonPath } from '../../../../src/cluster/apiserver/printers/index.js';
import type { KubeObject } from '../../../../src/cluster/apiserver/schema/index.js';

const now = new Date('2024-06-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const core = (resource: string, kind: string) => ({ group: '', resource, kind });

test('humanDuration matches apimachinery duration.HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-5, '<invalid>'], [-1, '0s'], [0, '0s'], [119, '119s'], [120, '2m'], [150, '2m30s'], [600, '10m'], [179 * 60, '179m'],
    [3 * 3600, '3h'], [3 * 3600 + 25 * 60, '3h25m'], [8 * 3600, '8h'], [47 * 3600, '47h'], [48 * 3600, '2d'], [50 * 3600, '2d2h'],
    [8 * 86400, '8d'], [729 * 86400, '729d'], [730 * 86400, '2y'], [800 * 86400, '2y70d'], [9 * 365 * 86400, '9y'],
  ];
  for (const [s, want] of cases) assert.equal(humanDuration(s * 1000), want, `${s}s`);
});

function pod(status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(300), ...meta },
    spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], nodeName: 'node1', ...spec },
    status,
  };
}

const podRow = (p: KubeObject): unknown[] => printTable(core('pods', 'Pod'), [p], { now }).rows[0]!.cells;

test('pod columns are the upstream ones with wide columns at priority 1', () => {
  const t = printTable(core('pods', 'Pod'), [], { now });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
  assert.equal(t.columnDefinitions[0]!.format, 'name');
  assert.match(t.columnDefinitions[0]!.description, /^Name must be unique within a namespace/);
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
});

test('running pod: ready count, status, restarts with last restart age, IP and node', () => {
  const p = pod({
    phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }],
    containerStatuses: [
      { name: 'a', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: ago(125), exitCode: 1 } } },
      { name: 'b', ready: false, restartCount: 0, state: { running: {} } },
    ],
  });
  assert.deepEqual(podRow(p), ['web-1', '1/2', 'Running', '2 (2m5s ago)', '5m', '10.0.0.5', 'node1', '<none>', '<none>']);
});

test('crash looping, init and terminating pods get upstream STATUS strings', () => {
  const crash = pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
  assert.equal(podRow(crash)[2], 'CrashLoopBackOff');
  const init = pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] }, { initContainers: [{ name: 'i', image: 'z' }] });
  assert.equal(podRow(init)[2], 'Init:0/1');
  const initFail = pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { terminated: { exitCode: 3 } } }] }, { initContainers: [{ name: 'i', image: 'z' }] });
  assert.equal(podRow(initFail)[2], 'Init:ExitCode:3');
  const term = pod({ phase: 'Running' }, {}, { deletionTimestamp: ago(1) });
  assert.equal(podRow(term)[2], 'Terminating');
  const pending = pod({ phase: 'Pending' }, { nodeName: undefined });
  assert.deepEqual(podRow(pending).slice(1, 4), ['0/2', 'Pending', '0']);
  assert.equal(podRow(pending)[6], '<none>');
  const done = pod({ phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  const t = printTable(core('pods', 'Pod'), [done], { now });
  assert.equal(t.rows[0]!.cells[2], 'Completed');
  assert.deepEqual(t.rows[0]!.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
});

test('sidecar init containers count towards READY', () => {
  const p = pod({
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 1, state: { running: {} } }],
    containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }, { name: 'b', ready: true, state: { running: {} } }],
  }, { initContainers: [{ name: 'side', image: 's', restartPolicy: 'Always' }] });
  assert.deepEqual(podRow(p).slice(1, 4), ['3/3', 'Running', '1']);
});

test('includeObject: Metadata (default) gives PartialObjectMetadata, Object the object, None nothing', () => {
  const p = pod({ phase: 'Running' });
  const meta = printTable(core('pods', 'Pod'), [p], { now }).rows[0]!.object as Record<string, unknown>;
  assert.deepEqual(meta, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
  assert.equal(printTable(core('pods', 'Pod'), [p], { now, includeObject: 'Object' }).rows[0]!.object, p);
  assert.equal('object' in printTable(core('pods', 'Pod'), [p], { now, includeObject: 'None' }).rows[0]!, false);
  const v1beta1 = printTable(core('pods', 'Pod'), [p], { now, apiVersion: 'meta.k8s.io/v1beta1', noHeaders: true, listMeta: { resourceVersion: '42', continue: '' } });
  assert.equal(v1beta1.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(v1beta1.columnDefinitions, []);
  assert.deepEqual(v1beta1.metadata, { resourceVersion: '42' });
});

test('deployment, replicaset, job and cronjob rows', () => {
  const dep: KubeObject = {
    metadata: { name: 'web', creationTimestamp: ago(3 * 86400) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } } },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  const t = printTable({ group: 'apps', resource: 'deployments', kind: 'Deployment' }, [dep], { now });
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(t.rows[0]!.cells, ['web', '2/3', 3, 2, '3d', 'nginx,side', 'nginx:1.27,busybox', 'app=web']);

  const job: KubeObject = {
    metadata: { name: 'pi', creationTimestamp: ago(90) },
    spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
    status: { succeeded: 1, startTime: ago(90), completionTime: ago(60), conditions: [{ type: 'Complete', status: 'True' }] },
  };
  const jt = printTable({ group: 'batch', resource: 'jobs', kind: 'Job' }, [job], { now });
  assert.deepEqual(jt.rows[0]!.cells, ['pi', 'Complete', '1/1', '30s', '90s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u']);

  const cj: KubeObject = { metadata: { name: 'c', creationTimestamp: ago(60) }, spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x', image: 'y' }] } } } } }, status: {} };
  const ct = printTable({ group: 'batch', resource: 'cronjobs', kind: 'CronJob' }, [cj], { now });
  assert.deepEqual(ct.columnDefinitions.slice(0, 7).map((c) => c.name), ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age']);
  assert.deepEqual(ct.rows[0]!.cells, ['c', '*/5 * * * *', '<none>', false, 0, '<none>', '60s', 'x', 'y', '<none>']);
});

test('service, node, configmap, secret and namespace rows', () => {
  const svc: KubeObject = { metadata: { name: 'web', creationTimestamp: ago(10) }, spec: { type: 'NodePort', clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } };
  assert.deepEqual(printTable(core('services', 'Service'), [svc], { now }).rows[0]!.cells, ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '10s', 'app=web']);
  const lb: KubeObject = { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.11', ports: [{ port: 443, protocol: 'TCP' }] }, status: { loadBalancer: {} } };
  assert.equal(printTable(core('services', 'Service'), [lb], { now }).rows[0]!.cells[3], '<pending>');

  const node: KubeObject = {
    metadata: { name: 'n1', creationTimestamp: ago(7200), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.0.2.10' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'berth://0.1.0' } },
  };
  assert.deepEqual(printTable(core('nodes', 'Node'), [node], { now }).rows[0]!.cells,
    ['n1', 'Ready,SchedulingDisabled', 'control-plane', '120m', 'v1.32.0', '192.0.2.10', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'berth://0.1.0']);

  assert.deepEqual(printTable(core('configmaps', 'ConfigMap'), [{ metadata: { name: 'c', creationTimestamp: ago(5) }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }], { now }).rows[0]!.cells, ['c', 3, '5s']);
  assert.deepEqual(printTable(core('secrets', 'Secret'), [{ metadata: { name: 's', creationTimestamp: ago(5) }, type: 'Opaque', data: { a: 'MQ==' } }], { now }).rows[0]!.cells, ['s', 'Opaque', 1, '5s']);
  assert.deepEqual(printTable(core('namespaces', 'Namespace'), [{ metadata: { name: 'default', creationTimestamp: ago(5) }, status: { phase: 'Active' } }], { now }).rows[0]!.cells, ['default', 'Active', '5s']);
});

test('events: LAST SEEN falls back to first timestamp, object is kind/name', () => {
  const ev: KubeObject = {
    metadata: { name: 'web-1.17a', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{a}' },
    reason: 'Pulled', type: 'Normal', message: ' Successfully pulled image ', firstTimestamp: ago(30), source: { component: 'kubelet', host: 'node1' },
  };
  assert.deepEqual(printTable(core('events', 'Event'), [ev], { now }).rows[0]!.cells,
    ['30s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{a}', 'kubelet, node1', 'Successfully pulled image', '30s', 1, 'web-1.17a']);
});

test('RBAC roles print Created At, kinds without printers get Name and Created At', () => {
  const role: KubeObject = { metadata: { name: 'r', creationTimestamp: '2024-05-01T10:00:00Z' } };
  const t = printTable({ group: 'rbac.authorization.k8s.io', resource: 'roles', kind: 'Role' }, [role], { now });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
  assert.deepEqual(t.rows[0]!.cells, ['r', '2024-05-01T10:00:00Z']);
  const other = printTable({ group: 'authentication.k8s.io', resource: 'tokenreviews', kind: 'TokenReview' }, [role], { now });
  assert.deepEqual(other.columnDefinitions.map((c) => c.name), ['Name', 'Created At']);
});

test('CRDs: additionalPrinterColumns via JSONPath, default Name + Age', () => {
  const obj: KubeObject = {
    metadata: { name: 'ct', creationTimestamp: ago(600) },
    spec: { cronSpec: '* * * * */5', replicas: 3 },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const t = printTable({
    group: 'stable.example.com', resource: 'crontabs', kind: 'CronTab', crd: 'crontabs.stable.example.com',
    printerColumns: [
      { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
      { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  }, [obj], { now });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Spec', 'string', 0], ['Replicas', 'integer', 1], ['Ready', 'string', 0], ['Missing', 'string', 0], ['Age', 'date', 0]]);
  assert.deepEqual(t.rows[0]!.cells, ['ct', '* * * * */5', 3, 'True', null, '10m']);
  const plain = printTable({ group: 'stable.example.com', resource: 'crontabs', kind: 'CronTab', crd: 'crontabs.stable.example.com', printerColumns: [] }, [obj], { now });
  assert.deepEqual(plain.columnDefinitions.map((c) => c.name), ['Name', 'Age']);
  assert.deepEqual(plain.rows[0]!.cells, ['ct', '10m']);
});

test('JSONPath subset', () => {
  const o = { a: [{ b: 1, n: 'x' }, { b: 2, n: 'y' }], m: { 'k.x/y': 'v' } };
  assert.deepEqual(evalJsonPath(o, '.a[*].b'), [1, 2]);
  assert.deepEqual(evalJsonPath(o, '.a[1].n'), ['y']);
  assert.deepEqual(evalJsonPath(o, "{.m['k.x/y']}"), ['v']);
  assert.deepEqual(evalJsonPath(o, '.a[?(@.n=="x")].b'), [1]);
  assert.deepEqual(evalJsonPath(o, '.z.q'), []);
});
