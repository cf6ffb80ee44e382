/**
 * The kubectl 1.32 suite, part 2: delete with --cascade, wait, explain,
 * auth can-i, create token, and a CRD with its resources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BerthServer } from '../harness/berth-server.js';
import { crontab, crontabCrd, deployment } from './manifests.js';

export function kubectlMoreTests(server: () => BerthServer): void {
  test('delete --cascade records the propagation policy as finalizers', async () => {
    const s = server();
    for (const n of ['fg', 'orph', 'bg']) await s.k(['apply', '-f', s.file(`${n}.yaml`, deployment(n, 1))]);
    await s.k(['delete', 'deploy', 'fg', '--cascade=foreground', '--wait=false']);
    assert.equal(await s.k(['get', 'deploy', 'fg', '-o', 'jsonpath={.metadata.finalizers}']), '["foregroundDeletion"]');
    assert.notEqual(await s.k(['get', 'deploy', 'fg', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '');
    await s.k(['delete', 'deploy', 'orph', '--cascade=orphan', '--wait=false']);
    assert.equal(await s.k(['get', 'deploy', 'orph', '-o', 'jsonpath={.metadata.finalizers}']), '["orphan"]');
    assert.match(await s.k(['delete', 'deploy', 'bg', '--cascade=background']), /deployment.apps "bg" deleted/);
    assert.match((await s.kubectl(['get', 'deploy', 'bg'])).stderr, /Error from server \(NotFound\): deployments.apps "bg" not found/);
    // The garbage collector's part, by hand: removing the finalizer completes the deletion.
    for (const n of ['fg', 'orph']) await s.k(['patch', 'deploy', n, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    assert.equal(await s.k(['get', 'deploy', 'fg', 'orph', '--ignore-not-found', '-o', 'name']), '');
  });

  test('wait --for=delete and --for=jsonpath', async () => {
    const s = server();
    await s.k(['create', 'configmap', 'held', '--from-literal=a=b']);
    await s.k(['patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
    await s.k(['delete', 'cm', 'held', '--wait=false']);
    const waiting = s.kubectl(['wait', '--for=delete', 'cm/held', '--timeout=30s']);
    await new Promise((r) => setTimeout(r, 500));
    await s.k(['patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    const r = await waiting;
    assert.equal(r.code, 0, r.stderr);
    await s.k(['create', 'configmap', 'flag', '--from-literal=state=pending']);
    const waitJson = s.kubectl(['wait', '--for=jsonpath={.data.state}=done', 'cm/flag', '--timeout=30s']);
    await new Promise((r2) => setTimeout(r2, 500));
    await s.k(['patch', 'cm', 'flag', '--type=merge', '-p', '{"data":{"state":"done"}}']);
    const r2 = await waitJson;
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stdout, /configmap\/flag condition met/);
  });

  test('explain uses the OpenAPI v3 documents', async () => {
    const s = server();
    const out = await s.k(['explain', 'deployment.spec.replicas']);
    assert.match(out, /GROUP:\s+apps/);
    assert.match(out, /FIELD: replicas <integer>/);
    assert.match(await s.k(['explain', 'pods.spec.containers', '--recursive']), /livenessProbe\s+<Probe>/);
  });

  test('auth can-i and whoami answer from the authorize seam', async () => {
    const s = server();
    assert.equal((await s.k(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
    assert.match(await s.k(['auth', 'can-i', '--list']), /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    assert.match(await s.k(['auth', 'whoami']), /admin/);
  });

  test('create token issues a JWT that authenticates as the service account', async () => {
    const s = server();
    const token = (await s.k(['create', 'token', 'default'])).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const who = await s.kubectl(['auth', 'whoami', '--token', token, '-o', 'jsonpath={.status.userInfo.username}'], { env: {} });
    assert.equal(who.stdout, 'system:serviceaccount:default:default', who.stderr);
    const anon = await s.kubectl(['get', 'ns', '--token', 'not-a-token']);
    assert.match(anon.stderr, /Unauthorized|You must be logged in/);
  });

  test('a CRD: established, printer columns, status and scale subresources, cleanup on delete', async () => {
    const s = server();
    await s.k(['apply', '-f', s.file('crd.yaml', crontabCrd)]);
    await s.k(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    await s.k(['apply', '-f', s.file('ct.yaml', crontab('nightly', '0 3 * * *'))]);
    // A second client-side apply patches a custom resource with a merge patch.
    await s.k(['apply', '-f', s.file('ct.yaml', crontab('nightly', '0 4 * * *'))]);
    assert.equal(await s.k(['get', 'ct', 'nightly', '-o', 'jsonpath={.spec.cronSpec}']), '0 4 * * *');
    await s.k(['apply', '-f', s.file('ct.yaml', crontab('nightly', '0 3 * * *'))]);
    const table = await s.k(['get', 'ct']);
    assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/m);
    assert.match(table, /^nightly\s+0 3 \* \* \*\s+1\s+\S+$/m);
    // selectableFields make spec.image a field selector.
    assert.equal(await s.k(['get', 'ct', '--field-selector', 'spec.image=busybox', '-o', 'name']), 'crontab.stable.example.com/nightly\n');
    assert.equal(await s.k(['get', 'ct', '--field-selector', 'spec.image=other', '-o', 'name']), '');
    // Writes to the main resource ignore status; the status subresource only takes status.
    await s.k(['patch', 'ct', 'nightly', '--type=merge', '-p', '{"status":{"phase":"Main"}}']);
    assert.equal(await s.k(['get', 'ct', 'nightly', '-o', 'jsonpath={.status.phase}']), '');
    await s.k(['patch', 'ct', 'nightly', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running"},"spec":{"image":"ignored"}}']);
    assert.equal(await s.k(['get', 'ct', 'nightly', '-o', 'jsonpath={.status.phase}/{.spec.image}']), 'Running/busybox');
    await s.k(['scale', 'ct', 'nightly', '--replicas=3']);
    assert.equal(await s.k(['get', 'ct', 'nightly', '-o', 'jsonpath={.spec.replicas}']), '3');
    const invalid = await s.kubectl(['patch', 'ct', 'nightly', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    assert.match(invalid.stderr, /is invalid/);
    await s.k(['delete', 'crd', 'crontabs.stable.example.com']);
    const gone = await s.kubectl(['get', 'ct']);
    assert.notEqual(gone.code, 0);
  });

  test('namespace deletion removes its contents, then the namespace', async () => {
    const s = server();
    await s.k(['create', 'namespace', 'doomed']);
    await s.k(['create', 'configmap', 'inside', '-n', 'doomed', '--from-literal=a=b']);
    await s.k(['delete', 'namespace', 'doomed', '--timeout=30s']);
    assert.equal(await s.k(['get', 'ns', 'doomed', '--ignore-not-found', '-o', 'name']), '');
    assert.match((await s.kubectl(['create', 'configmap', 'x', '-n', 'doomed'])).stderr, /namespaces "doomed" not found/);
  });
}
