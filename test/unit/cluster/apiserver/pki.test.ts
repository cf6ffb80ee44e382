import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { adminKubeconfig, ensurePki } from '../../../../src/cluster/apiserver/pki/index.js';

test('first start makes a CA, serving and admin certificates; later starts reuse them and add new SANs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-pki-'));
  try {
    const first = await ensurePki({ dataDir: dir, sans: ['localhost', '127.0.0.1', 'node-a'] });
    const ca = new X509Certificate(first.caCertPem);
    const serving = new X509Certificate(first.servingCertPem);
    const admin = new X509Certificate(first.adminCertPem);
    assert.ok(ca.ca);
    assert.ok(serving.verify(ca.publicKey), 'serving certificate signed by the CA');
    assert.ok(admin.verify(ca.publicKey), 'admin certificate signed by the CA');
    assert.match(serving.subjectAltName ?? '', /DNS:localhost/);
    assert.match(serving.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(serving.subjectAltName ?? '', /DNS:node-a/);
    assert.match(admin.subject, /CN=admin/);
    assert.match(admin.subject, /O=system:masters/);
    const again = await ensurePki({ dataDir: dir, sans: ['localhost', '127.0.0.1', 'node-a'] });
    assert.equal(again.caCertPem, first.caCertPem);
    assert.equal(again.servingCertPem, first.servingCertPem);
    assert.equal(again.serviceAccountKeyPem, first.serviceAccountKeyPem);
    const widened = await ensurePki({ dataDir: dir, sans: ['localhost', '127.0.0.1', 'node-a', '10.1.2.3'] });
    assert.equal(widened.caCertPem, first.caCertPem, 'the CA stays');
    assert.match(new X509Certificate(widened.servingCertPem).subjectAltName ?? '', /IP Address:10\.1\.2\.3/);
    const kc = parse(adminKubeconfig(first, 'https://127.0.0.1:6443')) as { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }>; 'current-context': string };
    assert.equal(kc.clusters[0]?.cluster['server'], 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(kc.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString(), first.caCertPem);
    assert.equal(Buffer.from(kc.users[0]?.user['client-key-data'] ?? '', 'base64').toString(), first.adminKeyPem);
    assert.equal(kc['current-context'], 'berth');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
