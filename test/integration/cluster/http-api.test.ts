/**
 * The API server at the HTTP level: authentication, Status codes and
 * reasons, limits, Table and watch encodings, object semantics that kubectl
 * does not expose directly, metrics and health endpoints.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from './harness/api-client.js';
import { BerthServer } from './harness/berth-server.js';

describe('berth server over HTTPS', { timeout: 300_000 }, () => {
  let server: BerthServer;
  let api: ApiClient;
  const tokenFile = join(process.env['TMPDIR'] ?? '/tmp', `berth-tokens-${process.pid}.csv`);
  before(async () => {
    writeFileSync(tokenFile, 'secret-token,alice,uid-alice,"dev,ops"\n');
    server = await BerthServer.start({ tokenAuthFile: tokenFile });
    api = new ApiClient(server.kubeconfig);
  });
  after(async () => {
    api?.close();
    await server?.stop();
    rmSync(tokenFile, { force: true });
  });
  const cmPath = '/api/v1/namespaces/default/configmaps';

  test('anonymous requests get a 401 Unauthorized Status; static tokens authenticate', async () => {
    const anon = new ApiClient(server.kubeconfig, { auth: 'none' });
    const r = await anon.request('GET', '/api/v1/namespaces');
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    assert.equal((await anon.request('GET', '/readyz')).status, 200, 'health stays public for probes');
    anon.close();
    const alice = new ApiClient(server.kubeconfig, { auth: { token: 'secret-token' } });
    const who = await alice.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    assert.equal(who.status, 201);
    assert.deepEqual(who.json.status.userInfo, { username: 'alice', uid: 'uid-alice', groups: ['dev', 'ops', 'system:authenticated'] });
    alice.close();
    const bad = new ApiClient(server.kubeconfig, { auth: { token: 'wrong' } });
    assert.equal((await bad.request('GET', '/api')).status, 401);
    bad.close();
  });

  test('create: generateName, uid, creationTimestamp, resourceVersion; dryRun stores nothing', async () => {
    const r = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' }, data: { a: 'b' } });
    assert.equal(r.status, 201);
    assert.match(r.json.metadata.name, /^gen-[a-z0-9]{5}$/);
    assert.match(r.json.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(r.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(r.json.metadata.resourceVersion, /^\d+$/);
    const dry = await api.request('POST', `${cmPath}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } });
    assert.equal(dry.status, 201);
    assert.equal((await api.request('GET', `${cmPath}/dry`)).status, 404);
    const mismatch = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other' } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
    const noNs = await api.request('POST', '/api/v1/namespaces/nope/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    assert.equal(noNs.status, 404);
    assert.equal(noNs.json.message, 'namespaces "nope" not found');
  });

  test('YAML bodies, deletecollection with a label selector, PartialObjectMetadataList', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n  labels: {batch: one}\ndata:\n  k: v\n';
    const y = await api.request('POST', cmPath, yaml, { 'Content-Type': 'application/yaml' });
    assert.equal(y.status, 201, y.text);
    assert.equal(y.json.data.k, 'v');
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'batch-2', labels: { batch: 'one' } } });
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-batch', labels: { batch: 'two' } } });
    const partial = await api.request('GET', `${cmPath}?labelSelector=batch`, undefined, { Accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(partial.json.kind, 'PartialObjectMetadataList');
    assert.deepEqual(partial.json.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort(), ['batch-2', 'from-yaml', 'other-batch']);
    assert.equal(partial.json.items[0].data, undefined);
    const dc = await api.request('DELETE', `${cmPath}?labelSelector=batch%3Done`);
    assert.equal(dc.status, 200);
    assert.equal(dc.json.kind, 'ConfigMapList');
    assert.deepEqual(dc.json.items.map((o: { metadata: { name: string } }) => o.metadata.name).sort(), ['batch-2', 'from-yaml']);
    const left = await api.request('GET', `${cmPath}?labelSelector=batch`);
    assert.deepEqual(left.json.items.map((o: { metadata: { name: string } }) => o.metadata.name), ['other-batch']);
  });

  test('optimistic concurrency: a stale resourceVersion is 409 Conflict', async () => {
    const c = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'occ' }, data: { v: '1' } });
    const first = await api.request('PUT', `${cmPath}/occ`, { ...c.json, data: { v: '2' } });
    assert.equal(first.status, 200, first.text);
    assert.notEqual(first.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
    const stale = await api.request('PUT', `${cmPath}/occ`, { ...c.json, data: { v: '3' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.reason, 'Conflict');
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again');
    const pre = await api.request('DELETE', `${cmPath}/occ`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'not-the-uid' } });
    assert.equal(pre.status, 409);
    assert.match(pre.json.message, /Precondition failed: UID in precondition: not-the-uid/);
    const del = await api.request('DELETE', `${cmPath}/occ`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'occ', kind: 'configmaps', uid: c.json.metadata.uid } });
  });

  test('limits: 3 MiB request body (413) and ~1.5 MiB objects', async () => {
    const huge = await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { a: 'x'.repeat(3 * 1024 * 1024 + 10) } });
    assert.equal(huge.status, 413, huge.text.slice(0, 500));
    assert.equal(huge.json.reason, 'RequestEntityTooLarge');
    // Under the body limit but over what the store takes (etcd's 1.5 MiB request limit).
    const big = await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'big' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'X', value: 'x'.repeat(2 * 1024 * 1024) }] }] } } },
    });
    assert.equal(big.status, 413, big.text.slice(0, 300));
    assert.match(big.json.message, /limit is 1572864/);
  });

  test('Table output and a Table watch with column definitions only on the first event', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const t = await api.request('GET', '/api/v1/namespaces', undefined, { Accept: accept });
    assert.equal(t.json.kind, 'Table');
    assert.deepEqual(t.json.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Status', 'Age']);
    assert.ok(t.json.rows.some((r: { cells: string[] }) => r.cells[0] === 'default' && r.cells[1] === 'Active'));
    const w = api.watch(`${cmPath}?watch=true&labelSelector=tw%3D1`, { Accept: accept });
    assert.equal(await w.status, 200);
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tw1', labels: { tw: '1' } } });
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tw2', labels: { tw: '1' } } });
    const events = await w.waitFor(2);
    w.stop();
    assert.equal(events[0].object.kind, 'Table');
    assert.ok(events[0].object.columnDefinitions.length > 0);
    assert.equal(events[0].object.rows[0].cells[0], 'tw1');
    assert.deepEqual(events[1].object.columnDefinitions ?? [], []);
  });

  test('watch: from a resourceVersion, the initial-events-end bookmark, timeoutSeconds', async () => {
    const list = await api.request('GET', cmPath);
    const rv = list.json.metadata.resourceVersion;
    const w = api.watch(`${cmPath}?watch=1&resourceVersion=${rv}&timeoutSeconds=2`);
    await api.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w1' } });
    await api.request('DELETE', `${cmPath}/w1`);
    const evs = await w.waitFor(2);
    assert.deepEqual(evs.map((e) => `${e.type}:${e.object.metadata.name}`), ['ADDED:w1', 'DELETED:w1']);
    await w.ended;
    const init = api.watch(`${cmPath}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1`);
    await init.ended;
    const end = init.events.find((e) => e.type === 'BOOKMARK');
    assert.equal(end?.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
  });

  test('pods: unscheduled ones go at once, scheduled ones terminate gracefully', async () => {
    const pod = (name: string, nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] } });
    const podsPath = '/api/v1/namespaces/default/pods';
    const created = await api.request('POST', podsPath, pod('loose'));
    assert.equal(created.json.status.phase, 'Pending');
    assert.equal(created.json.status.qosClass, 'BestEffort');
    const d1 = await api.request('DELETE', `${podsPath}/loose`);
    assert.equal(d1.status, 200, d1.text);
    assert.equal(d1.json.kind, 'Pod', 'pods answer DELETE with the object');
    assert.equal((await api.request('GET', `${podsPath}/loose`)).status, 404);
    await api.request('POST', podsPath, pod('bound', 'node-1'));
    const d2 = await api.request('DELETE', `${podsPath}/bound`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 20 });
    assert.equal(d2.status, 200);
    assert.equal(d2.json.metadata.deletionGracePeriodSeconds, 20);
    assert.ok(d2.json.metadata.deletionTimestamp);
    assert.equal((await api.request('GET', `${podsPath}/bound`)).status, 200);
    assert.equal((await api.request('DELETE', `${podsPath}/bound?gracePeriodSeconds=0`)).status, 200);
    assert.equal((await api.request('GET', `${podsPath}/bound`)).status, 404);
  });

  test('namespaces: terminating ones refuse new content with 403, then disappear', async () => {
    await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'term' } });
    await api.request('POST', '/api/v1/namespaces/term/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/x'] } });
    const d = await api.request('DELETE', '/api/v1/namespaces/term');
    assert.equal(d.json.status.phase, 'Terminating');
    const refused = await api.request('POST', '/api/v1/namespaces/term/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'configmaps "new" is forbidden: unable to create new content in namespace term because it is being terminated');
    assert.equal(refused.json.details.causes[0].reason, 'NamespaceTerminating');
    await api.request('PATCH', '/api/v1/namespaces/term/configmaps/held', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    for (let i = 0; i < 100 && (await api.request('GET', '/api/v1/namespaces/term')).status !== 404; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await api.request('GET', '/api/v1/namespaces/term')).status, 404);
    assert.equal((await api.request('DELETE', '/api/v1/namespaces/kube-system')).status, 403);
  });

  test('reviews: SelfSubjectAccessReview and SelfSubjectRulesReview (JSON)', async () => {
    const r = await api.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } } });
    assert.equal(r.status, 201);
    assert.equal(r.json.status.allowed, true);
    const rules = await api.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } });
    assert.deepEqual(rules.json.status.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
  });

  test('discovery, version, openapi, health and metrics endpoints', async () => {
    const agg = await api.request('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(agg.json.kind, 'APIGroupDiscoveryList');
    assert.equal((await api.request('GET', '/apis')).json.kind, 'APIGroupList');
    assert.equal((await api.request('GET', '/api/v1')).json.kind, 'APIResourceList');
    const v = (await api.request('GET', '/version')).json;
    assert.equal(v.major, '1');
    assert.equal(v.minor, '32');
    const idx = (await api.request('GET', '/openapi/v3')).json;
    const url = idx.paths['apis/apps/v1'].serverRelativeURL as string;
    const doc = await api.request('GET', url);
    assert.equal(doc.headers['cache-control'], 'public, immutable');
    assert.ok(doc.json.components.schemas['io.k8s.api.apps.v1.Deployment']);
    const ready = await api.request('GET', '/readyz?verbose');
    assert.match(ready.text, /\[\+\]etcd ok/);
    assert.match(ready.text, /readyz check passed/);
    assert.equal((await api.request('GET', '/livez')).text, 'ok');
    const metrics = (await api.request('GET', '/metrics')).text;
    assert.match(metrics, /apiserver_request_total\{verb="POST",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",code="201"\} \d+/);
    assert.match(metrics, /apiserver_request_duration_seconds_bucket\{.*le="\+Inf"\} \d+/);
    assert.match(metrics, /apiserver_storage_objects\{resource="namespaces"\} \d+/);
    assert.equal((await api.request('GET', '/apis/nope.example.com/v1/things')).status, 404);
  });

  test('compacted history: a watch gets an ERROR 410 event, a list continue token a 410', { timeout: 120_000 }, async () => {
    const compacting = await BerthServer.start({ extraArgs: ['--etcd-compaction-interval', '1s'] });
    const c = new ApiClient(compacting.kubeconfig);
    try {
      const first = await c.request('GET', '/api/v1/namespaces?limit=1');
      assert.ok(first.json.metadata.continue);
      // The store keeps the last 1000 revisions: write past them, then wait for a compaction tick.
      for (let i = 0; i < 1100; i++) await c.request('POST', cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `h-${i}` } });
      let expired: { status: number; json: any } = { status: 0, json: undefined };
      for (let i = 0; i < 50 && expired.status !== 410; i++) {
        await new Promise((r) => setTimeout(r, 200));
        expired = await c.request('GET', `/api/v1/namespaces?limit=1&continue=${encodeURIComponent(first.json.metadata.continue)}`);
      }
      assert.equal(expired.status, 410);
      assert.equal(expired.json.reason, 'Expired');
      assert.match(expired.json.message, /The provided continue parameter is too old/);
      const w = c.watch(`${cmPath}?watch=1&resourceVersion=1`);
      assert.equal(await w.status, 200);
      const [ev] = await w.waitFor(1);
      w.stop();
      assert.equal(ev.type, 'ERROR');
      assert.equal(ev.object.code, 410);
      assert.equal(ev.object.reason, 'Expired');
      assert.match(ev.object.message, /^too old resource version: 1 \(\d+\)$/);
    } finally {
      c.close();
      await compacting.stop();
    }
  });
});
