/** The admin kubeconfig written next to the PKI, like k3s' k3s.yaml. */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { Pki } from './ensure-pki.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function adminKubeconfig(pki: Pki, server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'berth', cluster: { server, 'certificate-authority-data': b64(pki.caCertPem) } }],
    users: [{ name: 'admin', user: { 'client-certificate-data': b64(pki.adminCertPem), 'client-key-data': b64(pki.adminKeyPem) } }],
    contexts: [{ name: 'berth', context: { cluster: 'berth', user: 'admin' } }],
    'current-context': 'berth',
    preferences: {},
  });
}

export async function writeAdminKubeconfig(path: string, pki: Pki, server: string): Promise<void> {
  await writeFile(path, adminKubeconfig(pki, server), { mode: 0o600 });
}
