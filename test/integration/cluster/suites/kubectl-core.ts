/**
 * The kubectl 1.32 suite, part 1: discovery, get/describe/apply/create/
 * edit/patch/label/annotate/scale against one `berth server`. Registered by
 * the per-datastore test files so that it runs on SQLite and on etcd.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamKubectl, type BerthServer } from '../harness/berth-server.js';
import { configMap, deployment } from './manifests.js';

export function kubectlCoreTests(server: () => BerthServer): void {
  test('discovery: api-resources, api-versions, version', async () => {
    const s = server();
    const res = await s.k(['api-resources']);
    for (const want of [/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m, /^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false/m]) {
      assert.match(res, want);
    }
    const versions = await s.k(['api-versions']);
    for (const gv of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'apiextensions.k8s.io/v1']) assert.match(versions, new RegExp(`^${gv.replace('.', '\\.')}$`, 'm'));
    assert.match(await s.k(['version']), /Server Version: v1\.32\.\d+-berth/);
  });

  test('default namespaces, kubernetes service and default service accounts exist', async () => {
    const s = server();
    const ns = await s.k(['get', 'ns', '-o', 'name']);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(ns, new RegExp(`^namespace/${n}$`, 'm'));
    assert.match(await s.k(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']), /^10\.43\.0\.1$/);
    assert.equal(await s.k(['get', 'sa', 'default', '-n', 'kube-system', '-o', 'name']), 'serviceaccount/default\n');
  });

  test('apply client-side twice (create, then a strategic merge patch), get -o yaml and -o wide', async () => {
    const s = server();
    const f = s.file('web.yaml', deployment('web', 2));
    assert.match(await s.k(['apply', '-f', f]), /deployment.apps\/web created/);
    assert.match(await s.k(['apply', '-f', f]), /deployment.apps\/web unchanged/);
    s.file('web.yaml', deployment('web', 3, 'nginx:1.26'));
    assert.match(await s.k(['apply', '-f', f]), /deployment.apps\/web configured/);
    const yaml = await s.k(['get', 'deploy', 'web', '-o', 'yaml']);
    assert.match(yaml, /replicas: 3/);
    assert.match(yaml, /image: nginx:1\.26/);
    assert.match(yaml, /generation: 2/);
    assert.match(yaml, /kubectl.kubernetes.io\/last-applied-configuration/);
    assert.match(await s.k(['get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields']), /manager: kubectl-client-side-apply/);
    const wide = await s.k(['get', 'deploy', 'web', '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
    assert.match(wide, /^web\s+0\/3\s+0\s+0\s+\S+\s+main\s+nginx:1\.26\s+app=web$/m);
  });

  test('apply --server-side, a conflict, and --force-conflicts', async () => {
    const s = server();
    const f = s.file('ssa.json', configMap('ssa', { a: '1' }));
    assert.match(await s.k(['apply', '--server-side', '-f', f]), /configmap\/ssa serverside-applied/);
    s.file('ssa.json', configMap('ssa', { a: '2' }));
    const conflict = await s.kubectl(['apply', '--server-side', '--field-manager', 'other', '-f', f]);
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict/i);
    assert.match(conflict.stderr, /\.data\.a/);
    assert.match(await s.k(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', f]), /serverside-applied/);
    assert.equal(await s.k(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}']), '2');
    const managers = await s.k(['get', 'cm', 'ssa', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    assert.match(managers, /other/);
  });

  test('create from a file and with the generators (protobuf bodies)', async () => {
    const s = server();
    assert.match(await s.k(['create', '-f', s.file('c1.json', configMap('from-file', { k: 'v' }))]), /configmap\/from-file created/);
    assert.match(await s.k(['create', 'configmap', 'gen-cm', '--from-literal=a=b', '--from-literal=c=d']), /configmap\/gen-cm created/);
    assert.equal(await s.k(['get', 'cm', 'gen-cm', '-o', 'jsonpath={.data.a}{.data.c}']), 'bd');
    assert.match(await s.k(['create', 'secret', 'generic', 'gen-secret', '--from-literal=password=s3cret']), /secret\/gen-secret created/);
    assert.equal(Buffer.from(await s.k(['get', 'secret', 'gen-secret', '-o', 'jsonpath={.data.password}']), 'base64').toString(), 's3cret');
    assert.match(await s.k(['create', 'namespace', 'gen-ns']), /namespace\/gen-ns created/);
    assert.match(await s.k(['create', 'deployment', 'gen-deploy', '--image=busybox', '--replicas=2']), /deployment.apps\/gen-deploy created/);
    assert.equal(await s.k(['get', 'deploy', 'gen-deploy', '-o', 'jsonpath={.spec.replicas}']), '2');
    const dup = await s.kubectl(['create', 'configmap', 'gen-cm']);
    assert.match(dup.stderr, /failed to create configmap: configmaps "gen-cm" already exists/);
  });

  test('fieldValidation: Strict rejects unknown fields, Warn answers with a Warning header', async () => {
    const s = server();
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fv' }, data: { a: 'b' }, bogus: 1 });
    const strict = await s.kubectl(['create', '-f', s.file('fv.json', manifest)]);
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /strict decoding error: unknown field "bogus"/);
    const warn = await s.kubectl(['create', '--validate=warn', '-f', s.file('fv.json', manifest)]);
    assert.equal(warn.code, 0, warn.stderr);
    assert.match(warn.stderr, /Warning: unknown field "bogus"/);
  });

  test('get -w sees an update', async () => {
    const s = server();
    await s.k(['create', 'configmap', 'watched', '--from-literal=v=1']);
    const w = streamKubectl(s, ['get', 'cm', 'watched', '-w', '--output-watch-events']);
    try {
      await w.waitFor(/ADDED\s+watched/);
      await s.k(['patch', 'cm', 'watched', '--type=merge', '-p', '{"data":{"v":"2"}}']);
      await w.waitFor(/MODIFIED\s+watched/);
    } finally {
      await w.stop();
    }
  });

  test('describe a deployment', async () => {
    const s = server();
    await s.k(['apply', '-f', s.file('desc.yaml', deployment('described', 1))]);
    const out = await s.k(['describe', 'deployment', 'described']);
    assert.match(out, /^Name:\s+described$/m);
    assert.match(out, /^Namespace:\s+default$/m);
    assert.match(out, /^Selector:\s+app=described$/m);
    assert.match(out, /^Replicas:\s+1 desired/m);
  });

  test('edit with a scripted EDITOR', async () => {
    const s = server();
    await s.k(['create', 'configmap', 'edited', '--from-literal=color=red']);
    const editor = s.file('editor.sh', '#!/bin/sh\nsed -i "s/color: red/color: blue/" "$1"\n');
    await import('node:fs').then((fs) => fs.chmodSync(editor, 0o755));
    const r = await s.kubectl(['edit', 'cm', 'edited'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /configmap\/edited edited/);
    assert.equal(await s.k(['get', 'cm', 'edited', '-o', 'jsonpath={.data.color}']), 'blue');
  });

  test('patch: json, merge and strategic', async () => {
    const s = server();
    await s.k(['apply', '-f', s.file('p.yaml', deployment('patched', 1))]);
    await s.k(['patch', 'deploy', 'patched', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":4}]']);
    assert.equal(await s.k(['get', 'deploy', 'patched', '-o', 'jsonpath={.spec.replicas}']), '4');
    await s.k(['patch', 'deploy', 'patched', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}']);
    assert.equal(await s.k(['get', 'deploy', 'patched', '-o', 'jsonpath={.metadata.labels.tier}']), 'web');
    // Strategic: the env list merges by name instead of being replaced.
    await s.k(['patch', 'deploy', 'patched', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]}]}}}}']);
    const names = (await s.k(['get', 'deploy', 'patched', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].name}'])).split(' ').sort();
    assert.deepEqual(names, ['A', 'B']);
    const bad = await s.kubectl(['patch', 'deploy', 'patched', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":-1}]']);
    assert.match(bad.stderr, /The Deployment "patched" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0/);
  });

  test('label, annotate and scale', async () => {
    const s = server();
    await s.k(['apply', '-f', s.file('l.yaml', deployment('scaled', 1))]);
    assert.match(await s.k(['label', 'deploy', 'scaled', 'tier=front']), /deployment.apps\/scaled labeled/);
    assert.match(await s.k(['annotate', 'deploy', 'scaled', 'note=hello']), /deployment.apps\/scaled annotated/);
    assert.match(await s.k(['get', 'deploy', '-l', 'tier=front', '-o', 'name']), /deployment.apps\/scaled/);
    assert.equal(await s.k(['get', 'deploy', '-l', 'tier in (back)', '-o', 'name']), '');
    assert.equal(await s.k(['get', 'deploy', 'scaled', '-o', 'jsonpath={.metadata.annotations.note}']), 'hello');
    assert.match(await s.k(['scale', 'deploy', 'scaled', '--replicas=5']), /deployment.apps\/scaled scaled/);
    assert.equal(await s.k(['get', 'deploy', 'scaled', '-o', 'jsonpath={.spec.replicas}']), '5');
    assert.equal(await s.k(['get', 'deploy', 'scaled', '--subresource=scale', '-o', 'jsonpath={.spec.replicas} {.status.selector}']), '5 app=scaled');
    // A PUT with an old resourceVersion is a 409 Conflict with Kubernetes' message.
    const old = await s.k(['get', 'deploy', 'scaled', '-o', 'json']);
    await s.k(['label', 'deploy', 'scaled', 'bump=1']);
    const stale = await s.kubectl(['replace', '-f', '-'], { input: old });
    assert.match(stale.stderr, /Operation cannot be fulfilled on deployments.apps "scaled": the object has been modified; please apply your changes to the latest version and try again/);
  });
}
