/**
 * Every `kubectl create <generator>`, `autoscale` and `auth whoami`: kubectl
 * 1.32 sends their bodies as protobuf, so each one checks the server's
 * decoding of that kind end to end, and the stored object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BerthServer } from '../harness/berth-server.js';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeKeyPair } from '../../../unit/cluster/protobuf/kubectl-captures.js';

export function kubectlGeneratorTests(server: () => BerthServer): void {
  test('create generators send protobuf bodies that the server decodes, validates and stores', async () => {
    const s = server();
    const ns = ['-n', 'gens'];
    await s.k(['create', 'namespace', 'gens']);
    const get = (args: string[], path: string) => s.k(['get', ...args, ...ns, '-o', `jsonpath=${path}`]);
    const made: [string[], RegExp][] = [
      [['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi'], /^job.batch\/j1 created/],
      [['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'], /^cronjob.batch\/cj1 created/],
      [['create', 'job', 'from-cj', '--from=cronjob/cj1'], /^job.batch\/from-cj created/],
      [['create', 'role', 'r1', '--verb=get,list', '--resource=pods,deployments.apps'], /^role.rbac.authorization.k8s.io\/r1 created/],
      [['create', 'rolebinding', 'rb1', '--role=r1', '--user=alice', '--serviceaccount=gens:default'], /^rolebinding.rbac.authorization.k8s.io\/rb1 created/],
      [['create', 'clusterrole', 'gens-reader', '--verb=get,list,watch', '--resource=pods'], /^clusterrole.rbac.authorization.k8s.io\/gens-reader created/],
      [['create', 'clusterrole', 'gens-logs', '--verb=get', '--non-resource-url=/logs/*'], /created/],
      [['create', 'clusterrolebinding', 'gens-crb', '--clusterrole=gens-reader', '--group=ops'], /^clusterrolebinding.rbac.authorization.k8s.io\/gens-crb created/],
      [['create', 'quota', 'q1', '--hard=cpu=2,memory=1Gi,pods=10', '--scopes=BestEffort'], /^resourcequota\/q1 created/],
      [['create', 'poddisruptionbudget', 'pdb1', '--selector=app=web', '--min-available=50%'], /^poddisruptionbudget.policy\/pdb1 created/],
      [['create', 'service', 'clusterip', 'svc-ip', '--tcp=80:8080'], /^service\/svc-ip created/],
      [['create', 'service', 'clusterip', 'svc-headless', '--clusterip=None'], /^service\/svc-headless created/],
      [['create', 'service', 'nodeport', 'svc-np', '--tcp=80:8080'], /^service\/svc-np created/],
      [['create', 'service', 'loadbalancer', 'svc-lb', '--tcp=443:8443'], /^service\/svc-lb created/],
      [['create', 'service', 'externalname', 'svc-ext', '--external-name=db.example.com'], /^service\/svc-ext created/],
      [['create', 'serviceaccount', 'sa1'], /^serviceaccount\/sa1 created/],
      [['create', 'secret', 'docker-registry', 'reg', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p'], /^secret\/reg created/],
      [['create', 'ingress', 'ing1', '--class=nginx', '--default-backend=svc-ip:80', '--rule=foo.example.com/=svc-ip:80,tls=tls1', '--rule=bar.example.com/api*=svc-np:http'], /^ingress.networking.k8s.io\/ing1 created/],
      [['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=1'], /^deployment.apps\/web created/],
      [['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80'], /^horizontalpodautoscaler.autoscaling\/web autoscaled/],
    ];
    for (const [args, want] of made) assert.match(await s.k([...ns, ...args]), want, args.join(" "));
    makeKeyPair(s.home, 'tls.crt', 'tls.key');
    assert.match(await s.k(['create', 'secret', 'tls', 'tls1', `--cert=${s.home}/tls.crt`, `--key=${s.home}/tls.key`, ...ns]), /^secret\/tls1 created/);
    assert.match(await s.k(['create', 'priorityclass', 'gens-high', '--value=1000', '--description=important', '--preemption-policy=Never']), /^priorityclass.scheduling.k8s.io\/gens-high created/);

    assert.equal(await get(['job', 'from-cj'], '{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}'), 'manual');
    assert.equal(await get(['rolebinding', 'rb1'], '{.roleRef.name} {.subjects[*].name}'), 'r1 alice default');
    assert.equal(await get(['clusterrole', 'gens-logs'], '{.rules[0].nonResourceURLs[0]}'), '/logs/*');
    assert.equal(await get(['quota', 'q1'], '{.spec.hard.memory} {.spec.scopes[0]}'), '1Gi BestEffort');
    assert.equal(await get(['pdb', 'pdb1'], '{.spec.minAvailable}'), '50%');
    assert.equal(await get(['svc', 'svc-headless'], '{.spec.clusterIP}'), 'None');
    assert.match(await get(['svc', 'svc-np'], '{.spec.type} {.spec.ports[0].nodePort}'), /^NodePort 3\d{4}$/);
    assert.equal(await get(['svc', 'svc-ext'], '{.spec.type} {.spec.externalName}'), 'ExternalName db.example.com');
    assert.equal(await get(['secret', 'tls1'], '{.type}'), 'kubernetes.io/tls');
    assert.equal(await get(['secret', 'reg'], '{.type}'), 'kubernetes.io/dockerconfigjson');
    assert.equal(await get(['ingress', 'ing1'], '{.spec.ingressClassName} {.spec.rules[1].http.paths[0].pathType} {.spec.tls[0].secretName}'), 'nginx Prefix tls1');
    assert.equal(await get(['horizontalpodautoscalers.v1.autoscaling', 'web'], '{.spec.maxReplicas} {.spec.targetCPUUtilizationPercentage}'), '5 80');
    assert.equal(await get(['hpa', 'web'], '{.spec.metrics[0].resource.target.averageUtilization}'), '80', 'stored as autoscaling/v2');
    assert.equal(await s.k(['get', 'priorityclass', 'gens-high', '-o', 'jsonpath={.value} {.preemptionPolicy}']), '1000 Never');
    const table = await s.k(['get', 'ingress,hpa,pdb,quota', ...ns]);
    assert.match(table, /^ingress.networking.k8s.io\/ing1\s+nginx\s+foo.example.com,bar.example.com\s+80, 443\s+\S+$/m);
    assert.match(table, /^horizontalpodautoscaler.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/80%\s+2\s+5\s+0\s+\S+$/m);
    await s.k(['delete', 'clusterrole', 'gens-reader', 'gens-logs']);
    await s.k(['delete', 'clusterrolebinding', 'gens-crb']);
    await s.k(['delete', 'priorityclass', 'gens-high']);
  });

  test('auth whoami posts a protobuf SelfSubjectReview', async () => {
    const s = server();
    const out = await s.k(['auth', 'whoami', '-o', 'json']);
    const review = JSON.parse(out) as { kind: string; apiVersion: string; status: { userInfo: { username: string; groups: string[] } } };
    assert.equal(review.kind, 'SelfSubjectReview');
    assert.equal(review.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(review.status.userInfo.username, 'admin');
    assert.ok(review.status.userInfo.groups.includes('system:masters'));
  });

  test('certificate approve and deny write the approval subresource (protobuf) and nothing else', async () => {
    const s = server();
    const csr = (name: string): string => {
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`,
        '-keyout', join(s.home, `${name}.key`), '-out', join(s.home, `${name}.csr`)], { stdio: 'ignore' });
      return JSON.stringify({
        apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
        spec: { request: readFileSync(join(s.home, `${name}.csr`)).toString('base64'), signerName: 'example.com/signer', usages: ['client auth'] },
      });
    };
    await s.k(['create', '-f', s.file('csr-a.json', csr('csr-a'))]);
    await s.k(['create', '-f', s.file('csr-b.json', csr('csr-b'))]);
    assert.match(await s.k(['certificate', 'approve', 'csr-a']), /certificatesigningrequest.certificates.k8s.io\/csr-a approved/);
    assert.match(await s.k(['certificate', 'deny', 'csr-b']), /certificatesigningrequest.certificates.k8s.io\/csr-b denied/);
    assert.equal(await s.k(['get', 'csr', 'csr-a', '-o', 'jsonpath={.status.conditions[0].type} {.status.conditions[0].status} {.status.conditions[0].reason}']), 'Approved True KubectlApprove');
    assert.match(await s.k(['get', 'csr', 'csr-a', '-o', 'jsonpath={.status.conditions[0].lastTransitionTime}']), /^\d{4}-\d\d-\d\dT/);
    const table = await s.k(['get', 'csr']);
    assert.match(table, /^csr-a\s+\S+\s+example.com\/signer\s+admin\s+<none>\s+Approved$/m);
    assert.match(table, /^csr-b\s+\S+\s+example.com\/signer\s+admin\s+<none>\s+Denied$/m);
    // The approval subresource keeps spec: a changed signer is ignored.
    const live = JSON.parse(await s.k(['get', 'csr', 'csr-a', '-o', 'json'])) as { spec: { signerName: string } };
    live.spec.signerName = 'example.com/other';
    await s.k(['replace', '--raw', '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr-a/approval', '-f', s.file('approval.json', JSON.stringify(live))]);
    assert.equal(await s.k(['get', 'csr', 'csr-a', '-o', 'jsonpath={.spec.signerName}']), 'example.com/signer');
    await s.k(['delete', 'csr', 'csr-a', 'csr-b']);
  });
}
