import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaService, defaultPullPolicy, type KubeObject } from '../../../../src/cluster/apiserver/schema/index.js';

const s = createSchemaService();
const def = (group: string, version: string, resource: string, obj: KubeObject): KubeObject => {
  const r = s.registry.get(group, version, resource);
  assert.ok(r);
  s.validator.applyDefaults(r, obj);
  return obj;
};

const defaultedContainer = (name: string, image: string, pull: string): Record<string, unknown> => ({
  name, image, imagePullPolicy: pull, resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
});

test('imagePullPolicy follows the tag rule', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('localhost:5000/app'), 'Always');
  assert.equal(defaultPullPolicy('localhost:5000/app:v2'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('nginx@sha256:abcd'), 'IfNotPresent');
});

test('a bare pod gets what kubectl get -o yaml shows on Kubernetes', () => {
  const pod = def('', 'v1', 'pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { port: 80 } } }] },
  });
  const spec = pod['spec'] as Record<string, unknown>;
  assert.deepEqual(spec, {
    containers: [{
      ...defaultedContainer('web', 'nginx', 'Always'),
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      readinessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    }],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  });
  assert.deepEqual(pod['status'], { phase: 'Pending', qosClass: 'BestEffort' });
});

test('pod requests default to limits and QoS follows', () => {
  const pod = def('', 'v1', 'pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
  });
  const c = ((pod['spec'] as Record<string, unknown>)['containers'] as Array<Record<string, unknown>>)[0]!;
  assert.deepEqual(c['resources'], { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
  assert.equal((pod['status'] as Record<string, unknown>)['qosClass'], 'Guaranteed');
});

test('deployment defaults, including its pod template', () => {
  const d = def('apps', 'v1', 'deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  });
  assert.deepEqual(d['spec'], {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    template: {
      metadata: { labels: { app: 'web' }, creationTimestamp: null },
      spec: {
        containers: [defaultedContainer('nginx', 'nginx:1.27', 'IfNotPresent')],
        dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', securityContext: {}, terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler',
      },
    },
  });
});

test('Recreate deployments get no rollingUpdate block', () => {
  const d = def('apps', 'v1', 'deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { strategy: { type: 'Recreate' }, template: { spec: { containers: [] } } } });
  assert.deepEqual((d['spec'] as Record<string, unknown>)['strategy'], { type: 'Recreate' });
});

test('job, cronjob, statefulset and daemonset defaults', () => {
  const job = def('batch', 'v1', 'jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
  const js = job['spec'] as Record<string, unknown>;
  assert.equal(js['completions'], 1);
  assert.equal(js['parallelism'], 1);
  assert.equal(js['backoffLimit'], 6);
  assert.equal(js['completionMode'], 'NonIndexed');
  assert.equal(js['suspend'], false);
  assert.equal(js['podReplacementPolicy'], 'TerminatingOrFailed');
  assert.equal(((js['template'] as Record<string, unknown>)['spec'] as Record<string, unknown>)['restartPolicy'], 'Never');

  const cj = def('batch', 'v1', 'cronjobs', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } } } });
  const cs = cj['spec'] as Record<string, unknown>;
  assert.deepEqual([cs['concurrencyPolicy'], cs['suspend'], cs['successfulJobsHistoryLimit'], cs['failedJobsHistoryLimit']], ['Allow', false, 3, 1]);

  const sts = def('apps', 'v1', 'statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: { containers: [] } } } });
  const ss = sts['spec'] as Record<string, unknown>;
  assert.equal(ss['podManagementPolicy'], 'OrderedReady');
  assert.deepEqual(ss['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(ss['persistentVolumeClaimRetentionPolicy'], { whenDeleted: 'Retain', whenScaled: 'Retain' });

  const ds = def('apps', 'v1', 'daemonsets', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template: { spec: { containers: [] } } } });
  assert.deepEqual((ds['spec'] as Record<string, unknown>)['updateStrategy'], { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
});

test('service defaults: type, affinity, port protocol and targetPort, IP families', () => {
  const svc = def('', 'v1', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
  const spec = svc['spec'] as Record<string, unknown>;
  assert.equal(spec['type'], 'ClusterIP');
  assert.equal(spec['sessionAffinity'], 'None');
  assert.deepEqual(spec['ports'], [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }]);
  assert.deepEqual(spec['ipFamilies'], ['IPv4']);
  assert.equal(spec['ipFamilyPolicy'], 'SingleStack');
  assert.equal(spec['internalTrafficPolicy'], 'Cluster');
  assert.equal(spec['externalTrafficPolicy'], undefined);
  const np = def('', 'v1', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  assert.equal((np['spec'] as Record<string, unknown>)['externalTrafficPolicy'], 'Cluster');
});

test('secret type, namespace phase, PVC and HPA v2 defaults', () => {
  assert.equal(def('', 'v1', 'secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })['type'], 'Opaque');
  const ns = def('', 'v1', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  assert.deepEqual(ns['status'], { phase: 'Active' });
  assert.deepEqual(ns['spec'], { finalizers: ['kubernetes'] });
  const pvc = def('', 'v1', 'persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'] } });
  assert.equal((pvc['spec'] as Record<string, unknown>)['volumeMode'], 'Filesystem');
  assert.deepEqual(pvc['status'], { phase: 'Pending' });
  const hpa = def('autoscaling', 'v2', 'horizontalpodautoscalers', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'web' } } });
  const hs = hpa['spec'] as Record<string, unknown>;
  assert.equal(hs['minReplicas'], 1);
  assert.deepEqual(hs['metrics'], [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual((hs['behavior'] as Record<string, unknown>)['scaleDown'], { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
});

test('defaults never overwrite values the user set', () => {
  const d = def('apps', 'v1', 'deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 0, revisionHistoryLimit: 2, template: { spec: { restartPolicy: 'Always', dnsPolicy: 'None', containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }] } } } });
  const spec = d['spec'] as Record<string, unknown>;
  assert.equal(spec['replicas'], 0);
  assert.equal(spec['revisionHistoryLimit'], 2);
  const podSpec = (spec['template'] as Record<string, unknown>)['spec'] as Record<string, unknown>;
  assert.equal(podSpec['dnsPolicy'], 'None');
  assert.equal((podSpec['containers'] as Array<Record<string, unknown>>)[0]!['imagePullPolicy'], 'Never');
});
