/** Every request goes through the one authorize() seam; a denial is a 403 with upstream's wording. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, buildCollaborators, type AuthorizationAttributes, type Authorizer } from '../../../../src/cluster/apiserver/index.js';
import { openStore } from '../../../../src/cluster/store/index.js';
import { ApiClient } from '../../../integration/cluster/harness/api-client.js';

class NoDeletesForAlice implements Authorizer {
  readonly seen: string[] = [];
  async authorize(a: AuthorizationAttributes) {
    this.seen.push(`${a.user.username}:${a.verb}:${a.resource || a.path}`);
    const denied = a.user.username === 'alice' && (a.verb === 'delete' || a.path === '/metrics');
    return denied ? { allowed: false, reason: '' } : { allowed: true, reason: '' };
  }
  async rulesFor() {
    return { resourceRules: [], nonResourceRules: [], incomplete: true };
  }
}

test('authorize() sees every request; denials are 403 Forbidden Status objects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-authz-'));
  const store = await openStore('sqlite://:memory:', { dataDir: dir });
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, 'alice-token,alice,u1\n');
  const authorizer = new NoDeletesForAlice();
  const server = new ApiServer({ store, collaborators: buildCollaborators(), dataDir: dir, bindAddress: '127.0.0.1', securePort: 0, tokenAuthFile: tokens, authorizer });
  const ac = new AbortController();
  const running = server.start(ac.signal);
  await server.ready;
  const alice = new ApiClient(server.kubeconfigPath, { auth: { token: 'alice-token' } });
  try {
    assert.equal((await alice.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).status, 201);
    const del = await alice.request('DELETE', '/api/v1/namespaces/default/configmaps/c');
    assert.equal(del.status, 403);
    assert.equal(del.json.reason, 'Forbidden');
    assert.equal(del.json.message, 'configmaps "c" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "default"');
    const metrics = await alice.request('GET', '/metrics');
    assert.equal(metrics.status, 403);
    assert.equal(metrics.json.message, 'forbidden: User "alice" cannot get path "/metrics"');
    assert.ok(authorizer.seen.includes('alice:create:configmaps'));
    const review = await alice.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'delete', resource: 'configmaps', namespace: 'default' } } });
    assert.equal(review.json.status.allowed, false, 'reviews answer from the same seam');
  } finally {
    alice.close();
    ac.abort();
    await running;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
