import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { parseTokenFile, ServiceAccountTokens } from '../../../../src/cluster/apiserver/auth/index.js';

test('static token file: quoted group lists, optional groups, comments', () => {
  const tokens = parseTokenFile('# comment\nt1,alice,u1,"dev,ops"\nt2,bob,u2\n\nt3,carol,,admins\n');
  assert.deepEqual(tokens.get('t1'), { username: 'alice', uid: 'u1', groups: ['dev', 'ops'] });
  assert.deepEqual(tokens.get('t2'), { username: 'bob', uid: 'u2', groups: [] });
  assert.deepEqual(tokens.get('t3'), { username: 'carol', groups: ['admins'] });
  assert.throws(() => parseTokenFile('onlytoken\n'), /line 1/);
});

test('service-account JWTs: claims, verification, expiry, tampering and foreign keys', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sa = new ServiceAccountTokens(pem);
  const now = Math.floor(Date.now() / 1000) * 1000;
  const { token, expiresAt } = sa.issue({ namespace: 'ns', serviceAccountName: 'robot', serviceAccountUid: 'uid-1', audiences: [], expirationSeconds: 600 }, now);
  assert.equal(Math.round((expiresAt.getTime() - now) / 1000), 600);
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
  assert.equal(payload['sub'], 'system:serviceaccount:ns:robot');
  assert.deepEqual(payload['kubernetes.io'], { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'uid-1' } });
  const user = sa.verify(token, now);
  assert.equal(user?.username, 'system:serviceaccount:ns:robot');
  assert.deepEqual(user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns']);
  assert.equal(sa.verify(token, now + 601_000), undefined, 'expired');
  const [h, p, s] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...payload, sub: 'system:serviceaccount:ns:admin' })).toString('base64url');
  assert.equal(sa.verify(`${h}.${forged}.${s}`, now), undefined, 'tampered');
  assert.equal(sa.verify(`${h}.${p}`, now), undefined);
  const other = new ServiceAccountTokens(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  assert.equal(other.verify(token, now), undefined, 'signed by another key');
  const foreign = sa.issue({ namespace: 'ns', serviceAccountName: 'robot', serviceAccountUid: 'uid-1', audiences: ['vault'], expirationSeconds: 600 }, now);
  assert.equal(sa.verify(foreign.token, now), undefined, 'audience is not the API server');
});
