/**
 * The decoder against bytes written field by field (test/wire.ts), for the
 * kinds kubectl does not send but kubelets and controllers do, and for the
 * wire-level corner cases.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { decodeProtobufObject, formatDuration, isProtobufContentType } from '../../../../src/cluster/apiserver/protobuf/index.js';
import { bool, bytes, entry, envelope, int, msg, packed, str } from './wire.js';

const T2024 = 1704067200; // 2024-01-01T00:00:00Z

function expectStatus(fn: () => unknown, code: number, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isBerthError(err));
    assert.equal(err.details?.['code'], code);
    assert.match(err.message, message);
    return true;
  });
}

describe('protobuf envelope', () => {
  it('rejects a body without the k8s\\0 prefix with upstream wording (400)', () => {
    expectStatus(() => decodeProtobufObject(Buffer.from('{"kind":"ConfigMap"}')), 400, /does not appear to be a protobuf message, expected prefix \[107 56 115 0\]/);
  });

  it('rejects kinds it cannot decode with 415', () => {
    expectStatus(() => decodeProtobufObject(envelope('stable.example.com/v1', 'CronTab', [])), 415, /unknown format/);
  });

  it('rejects truncated messages with 400', () => {
    const body = envelope('v1', 'ConfigMap', msg(1, str(1, 'cm')));
    expectStatus(() => decodeProtobufObject(body.subarray(0, body.length - 6)), 400, /ConfigMap|truncated|index out of range/);
  });

  it('recognizes the content type with parameters', () => {
    assert.equal(isProtobufContentType('application/vnd.kubernetes.protobuf; charset=utf-8'), true);
    assert.equal(isProtobufContentType('application/json'), false);
  });
});

describe('protobuf message decoding', () => {
  it('Lease: MicroTime with microseconds, pointer fields kept at zero', () => {
    const raw = [
      ...msg(1, str(1, 'node-1'), str(3, 'kube-node-lease')),
      ...msg(2, str(1, ''), int(2, 0), msg(3, int(1, T2024), int(2, 123456789)), msg(4, int(1, T2024 + 40)), int(5, 0)),
    ];
    assert.deepStrictEqual(decodeProtobufObject(envelope('coordination.k8s.io/v1', 'Lease', raw)), {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'node-1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: '2024-01-01T00:00:00.123456Z', renewTime: '2024-01-01T00:00:40.000000Z', leaseTransitions: 0 },
    });
  });

  it('Node status from a kubelet: quantities, conditions, addresses, non-omitempty strings and Port', () => {
    const q = (v: string): number[] => msg(2, str(1, v));
    const raw = [
      ...msg(1, str(1, 'worker-1'), str(2, ''), int(7, 0), msg(8, int(1, T2024)), entry(11, 'kubernetes.io/hostname', str(2, 'worker-1'))),
      ...msg(2, str(1, '10.244.1.0/24'), str(7, '10.244.1.0/24'), bool(4, false)),
      ...msg(
        3,
        entry(1, 'cpu', q('4')),
        entry(1, 'memory', q('16393940Ki')),
        entry(2, 'pods', q('110')),
        msg(4, str(1, 'Ready'), str(2, 'True'), msg(3, int(1, T2024 + 5)), msg(4, int(1, T2024)), str(5, 'KubeletReady'), str(6, 'kubelet is posting ready status')),
        msg(5, str(1, 'InternalIP'), str(2, '10.0.0.5')),
        msg(6, msg(1, int(1, 0))),
        msg(7, str(1, ''), str(9, 'linux'), str(10, 'amd64')),
        msg(8, str(1, 'busybox:1.36'), int(2, 4_300_000)),
      ),
      ...int(99, 7), // a field from a newer API: skipped
    ];
    assert.deepStrictEqual(decodeProtobufObject(envelope('v1', 'Node', raw)), {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'worker-1', creationTimestamp: '2024-01-01T00:00:00Z', labels: { 'kubernetes.io/hostname': 'worker-1' } },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
      status: {
        capacity: { cpu: '4', memory: '16393940Ki' },
        allocatable: { pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:05Z', lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
        nodeInfo: { machineID: '', operatingSystem: 'linux', architecture: 'amd64' },
        images: [{ names: ['busybox:1.36'], sizeBytes: 4300000 }],
      },
    });
  });

  it('Pod status: negative exit codes, packed and unpacked int64 lists, int-or-string ports', () => {
    const raw = [
      ...msg(1, str(1, 'p')),
      ...msg(
        2,
        msg(14, packed(4, [1000, 2000]), int(4, 3000)),
        msg(2, str(1, 'c'), msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 1), str(3, 'http'))))), msg(11, msg(1, msg(3, msg(1, int(1, 0), int(2, 8080)))))),
      ),
      ...msg(3, str(1, 'Failed'), msg(8, str(1, 'c'), msg(2, msg(3, int(1, -1), str(3, 'Error'))), bool(4, false), int(5, 0), str(6, 'img'), str(7, ''))),
    ];
    const pod = decodeProtobufObject(envelope('v1', 'Pod', raw)) as unknown as {
      spec: { securityContext: { supplementalGroups: number[] }; containers: { livenessProbe: unknown; readinessProbe: unknown }[] };
      status: unknown;
    };
    assert.deepStrictEqual(pod.spec.securityContext, { supplementalGroups: [1000, 2000, 3000] });
    assert.deepStrictEqual(pod.spec.containers[0]?.livenessProbe, { httpGet: { path: '/healthz', port: 'http' } });
    assert.deepStrictEqual(pod.spec.containers[0]?.readinessProbe, { tcpSocket: { port: 8080 } });
    assert.deepStrictEqual(pod.status, {
      phase: 'Failed',
      containerStatuses: [{ name: 'c', state: { terminated: { exitCode: -1, reason: 'Error' } }, ready: false, restartCount: 0, image: 'img', imageID: '' }],
    });
  });

  it('managedFields carry FieldsV1 as JSON; map entries without a value decode to ""', () => {
    const fields = Buffer.from('{"f:data":{"f:a":{}}}');
    const raw = [
      ...msg(1, str(1, 'cm'), msg(17, str(1, 'kubectl'), str(2, 'Apply'), str(3, 'v1'), msg(4, int(1, T2024)), str(6, 'FieldsV1'), msg(7, bytes(1, fields)))),
      ...msg(2, str(1, 'a')),
    ];
    assert.deepStrictEqual(decodeProtobufObject(envelope('v1', 'ConfigMap', raw)), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }] },
      data: { a: '' },
    });
  });

  it('SubjectAccessReview extra values become string lists', () => {
    const raw = [...msg(2, msg(2, str(1, '/metrics'), str(2, 'get')), str(3, 'alice'), str(4, 'devs'), entry(5, 'scopes', msg(2, str(1, 'a'), str(1, 'b'))))];
    assert.deepStrictEqual(decodeProtobufObject(envelope('authorization.k8s.io/v1', 'SubjectAccessReview', raw))['spec'], {
      nonResourceAttributes: { path: '/metrics', verb: 'get' },
      user: 'alice',
      groups: ['devs'],
      extra: { scopes: ['a', 'b'] },
    });
  });

  it('EndpointSlice: pointer booleans keep false, events.k8s.io Event maps to its own message', () => {
    const slice = [
      ...msg(1, str(1, 'svc-abc')),
      ...str(4, 'IPv4'),
      ...msg(2, str(1, '10.0.0.7'), msg(2, bool(1, true), bool(2, true), bool(3, false)), str(6, 'worker-1')),
      ...msg(3, str(1, 'http'), str(2, 'TCP'), int(3, 80)),
    ];
    assert.deepStrictEqual(decodeProtobufObject(envelope('discovery.k8s.io/v1', 'EndpointSlice', slice)), {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'svc-abc' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.7'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'worker-1' }],
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
    });
    const ev = [...msg(1, str(1, 'e1')), ...msg(2, int(1, T2024), int(2, 5000)), ...str(4, 'kubelet'), ...str(7, 'Started'), ...msg(8, str(1, 'Pod'), str(3, 'p')), ...str(10, 'started container'), ...str(11, 'Normal')];
    assert.deepStrictEqual(decodeProtobufObject(envelope('events.k8s.io/v1', 'Event', ev)), {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      eventTime: '2024-01-01T00:00:00.000005Z',
      reportingController: 'kubelet',
      reason: 'Started',
      regarding: { kind: 'Pod', name: 'p' },
      note: 'started container',
      type: 'Normal',
    });
  });

  it('formats Go durations', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(1.5e9), '1.5s');
    assert.equal(formatDuration(3.6e12 + 6e10 * 2 + 3e9), '1h2m3s');
    assert.equal(formatDuration(250e6), '250ms');
  });
});
