/**
 * First-start PKI, like k3s: a self-signed CA, a serving certificate for the
 * API server, an admin client certificate (CN=admin, O=system:masters) and
 * an RSA key that signs service-account tokens. Files live under
 * `<dataDir>/tls/` and are reused on later starts; the serving certificate
 * is re-issued when the wanted SANs change.
 */
import { webcrypto, generateKeyPairSync, X509Certificate as NodeX509 } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export interface Pki {
  caCertPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  adminCertPem: string;
  adminKeyPem: string;
  /** RSA private key (PKCS#8 PEM) signing service-account JWTs. */
  serviceAccountKeyPem: string;
}

export interface PkiOptions {
  dataDir: string;
  /** DNS names and IP addresses for the serving certificate. */
  sans: string[];
}

const keyAlg = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const sigAlg = { name: 'ECDSA', hash: 'SHA-256' } as const;
const TEN_YEARS = 10 * 365 * 24 * 3600 * 1000;
const ONE_YEAR = 365 * 24 * 3600 * 1000;

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(() => true, () => false);
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(keyAlg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decode(pem)[0] ?? new ArrayBuffer(0), keyAlg, true, ['sign']);
}

interface Issued {
  certPem: string;
  keyPem: string;
}

async function issue(ca: { cert: x509.X509Certificate; key: CryptoKey }, subject: x509.JsonName, extensions: x509.Extension[]): Promise<Issued> {
  const keys = await newKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    subject: subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + ONE_YEAR),
    signingAlgorithm: sigAlg,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
      ...extensions,
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

function sanNames(sans: string[]): x509.JsonGeneralName[] {
  const seen = new Set<string>();
  const out: x509.JsonGeneralName[] = [];
  for (const s of sans) {
    if (s === '' || seen.has(s)) continue;
    seen.add(s);
    out.push({ type: /^[0-9.]+$/.test(s) || s.includes(':') ? 'ip' : 'dns', value: s });
  }
  return out;
}

/** The SANs the serving certificate at `path` carries, or undefined. */
function servingSans(pem: string): string[] {
  const alt = new NodeX509(pem).subjectAltName ?? '';
  return alt.split(', ').map((s) => s.replace(/^(DNS|IP Address):/, '')).filter((s) => s !== '');
}

export async function ensurePki(options: PkiOptions): Promise<Pki> {
  const dir = join(options.dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: string) => join(dir, name);
  const write = (name: string, text: string, mode = 0o600) => writeFile(path(name), text, { mode });

  if (!(await exists(path('server-ca.crt')))) {
    const keys = await newKeys();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: [{ CN: [`berth-server-ca@${Math.floor(now / 1000)}`] }],
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + TEN_YEARS),
      signingAlgorithm: sigAlg,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    await write('server-ca.key', await keyPem(keys.privateKey));
    await write('server-ca.crt', cert.toString('pem'), 0o644);
  }
  const caCertPem = await readFile(path('server-ca.crt'), 'utf8');
  const ca = { cert: new x509.X509Certificate(caCertPem), key: await importKey(await readFile(path('server-ca.key'), 'utf8')) };

  const wanted = sanNames(options.sans);
  const haveServing = await exists(path('serving.crt'));
  const current = haveServing ? servingSans(await readFile(path('serving.crt'), 'utf8')) : [];
  if (!haveServing || wanted.some((n) => !current.includes(n.value))) {
    const s = await issue(ca, [{ CN: ['berth-apiserver'] }], [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(wanted),
    ]);
    await write('serving.key', s.keyPem);
    await write('serving.crt', s.certPem, 0o644);
  }
  if (!(await exists(path('client-admin.crt')))) {
    const c = await issue(ca, [{ CN: ['admin'] }, { O: ['system:masters'] }], [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ]);
    await write('client-admin.key', c.keyPem);
    await write('client-admin.crt', c.certPem, 0o644);
  }
  if (!(await exists(path('service-account.key')))) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await write('service-account.key', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const read = (name: string) => readFile(path(name), 'utf8');
  return {
    caCertPem,
    servingCertPem: await read('serving.crt'),
    servingKeyPem: await read('serving.key'),
    adminCertPem: await read('client-admin.crt'),
    adminKeyPem: await read('client-admin.key'),
    serviceAccountKeyPem: await read('service-account.key'),
  };
}
