/**
 * Runs the real kubectl 1.32 against FakeKubeServer and returns the request
 * bodies it sent, one per scenario. Used live by the capture tests (when a
 * kubectl binary is available) and to refresh test/fixtures/protobuf/.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeKubeServer, type CapturedRequest } from './fake-kube-server.js';
import { kubeTools } from '../../../integration/cluster/harness/kube-tools.js';
import { RICH_CRONJOB } from './rich-objects.js';

export interface Scenario {
  name: string;
  args: string[];
  /** Objects the fake server returns for GETs (path → object), e.g. live objects for apply. */
  objects?: Record<string, object>;
  /** Files written into the scratch directory before running (name → content). */
  files?: Record<string, string | Buffer>;
  /** Also run with `--dry-run=client -o json`: kubectl's own JSON of the object it sends (default true). */
  dryRunJson?: boolean;
  /** Prepares the scratch directory (e.g. generates a key pair) before running. */
  setup?: (dir: string) => void;
}

export interface ScenarioCapture {
  name: string;
  exitCode: number | null;
  stderr: string;
  requests: CapturedRequest[];
  /** stdout of the dry-run, when asked for. */
  json?: string;
}

/** The binaries of the npm lambda layer as the integration harness unpacks them, if that works here. */
function layerTools(): { kubectl: string; helm: string } | undefined {
  try {
    return kubeTools();
  } catch {
    return undefined;
  }
}

/** Candidates for kubectl 1.32: $KUBECTL, an unpacked lambda layer, the gcloud dispatcher's versioned binary. */
export function findKubectl(): string | undefined {
  const candidates = [process.env['KUBECTL'], '/tmp/k8sbin/kubectl/kubectl', layerTools()?.kubectl, '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(bin, args, { env, cwd });
    let stderr = '';
    let stdout = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

async function runAgainst(kubectl: string, s: Scenario, home: string, extra: string[]): Promise<{ code: number | null; stderr: string; stdout: string; requests: CapturedRequest[] }> {
  const server = new FakeKubeServer();
  for (const [path, obj] of Object.entries(s.objects ?? {})) server.objects.set(path, obj);
  const url = await server.start();
  for (const [name, content] of Object.entries(s.files ?? {})) writeFileSync(join(home, name), content);
  s.setup?.(home);
  const r = await run(kubectl, [`--server=${url}`, '--cache-dir', join(home, 'cache'), ...extra, ...s.args], { HOME: home, PATH: process.env['PATH'] ?? '' }, home);
  await server.stop();
  return { ...r, requests: server.captured };
}

export async function captureScenarios(kubectl: string, scenarios: readonly Scenario[]): Promise<ScenarioCapture[]> {
  const home = mkdtempSync(join(tmpdir(), 'berth-kubectl-'));
  const out: ScenarioCapture[] = [];
  try {
    for (const s of scenarios) {
      const r = await runAgainst(kubectl, s, home, []);
      const capture: ScenarioCapture = { name: s.name, exitCode: r.code, stderr: r.stderr, requests: r.requests };
      if (s.dryRunJson !== false) capture.json = (await runAgainst(kubectl, s, home, ['--dry-run=client', '-o', 'json'])).stdout;
      out.push(capture);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return out;
}

/** The create/auth commands kubectl 1.32 sends protobuf bodies for. */
export const PROTOBUF_SCENARIOS: Scenario[] = [
  { name: 'configmap', args: ['create', 'configmap', 'cm1', '-n', 'default', '--from-literal=a=1', '--from-literal=b=two', '--from-file=bin=blob.bin'], files: { 'blob.bin': Buffer.from([0xff, 0x00, 0xfe, 0x80]) } },
  { name: 'secret', args: ['create', 'secret', 'generic', 's1', '-n', 'default', '--from-literal=user=admin', '--from-literal=pass=p@ss w0rd', '--type=Opaque'] },
  { name: 'secret-docker-registry', args: ['create', 'secret', 'docker-registry', 'reg', '-n', 'default', '--docker-server=registry.example.com', '--docker-username=u', '--docker-password=p', '--docker-email=e@example.com'] },
  { name: 'namespace', args: ['create', 'namespace', 'ns1'] },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'sa1', '-n', 'default'] },
  { name: 'deployment', args: ['create', 'deployment', 'web', '-n', 'default', '--image=nginx:1.27', '--port=80', '--replicas=0'] },
  { name: 'deployment-command', args: ['create', 'deployment', 'sleeper', '-n', 'default', '--image=busybox:1.36', '--replicas=3', '--', 'sleep', '3600'] },
  { name: 'quota', args: ['create', 'quota', 'q1', '-n', 'default', '--hard=cpu=2,memory=1Gi,pods=10', '--scopes=BestEffort'] },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'rb1', '-n', 'default', '--role=r1', '--user=alice', '--serviceaccount=default:sa1', '--group=devs'] },
  { name: 'clusterrole-aggregate', args: ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate=true'] },
  { name: 'job-from-rich-cronjob', args: ['create', 'job', 'manual-run', '-n', 'default', '--from=cronjob/rich'], objects: { '/apis/batch/v1/namespaces/default/cronjobs/rich': RICH_CRONJOB } },
  { name: 'token', dryRunJson: false, args: ['create', 'token', 'sa1', '-n', 'default', '--duration=1h', '--audience=https://kubernetes.default.svc', '--audience=vault'] },
  { name: 'can-i', dryRunJson: false, args: ['auth', 'can-i', 'get', 'pods', '-n', 'default'] },
  { name: 'can-i-subresource', dryRunJson: false, args: ['auth', 'can-i', 'create', 'deployments.apps', '--subresource=scale', '-n', 'default'] },
  { name: 'can-i-nonresource', dryRunJson: false, args: ['auth', 'can-i', 'get', '/healthz'] },
  { name: 'can-i-list', dryRunJson: false, args: ['auth', 'can-i', '--list', '-n', 'default'] },
  { name: 'job', args: ['create', 'job', 'j1', '-n', 'default', '--image=busybox', '--', 'echo', 'hi'] },
  { name: 'cronjob', args: ['create', 'cronjob', 'cj1', '-n', 'default', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'] },
  { name: 'service', args: ['create', 'service', 'clusterip', 'svc1', '-n', 'default', '--tcp=80:8080', '--tcp=443:https'] },
  { name: 'role', args: ['create', 'role', 'r1', '-n', 'default', '--verb=get', '--verb=list', '--resource=pods,deployments.apps'] },
  { name: 'pdb', args: ['create', 'poddisruptionbudget', 'pdb1', '-n', 'default', '--selector=app=web', '--min-available=50%'] },
  { name: 'pdb-max', args: ['create', 'poddisruptionbudget', 'pdb2', '-n', 'default', '--selector=app=web', '--max-unavailable=1'] },
  {
    name: 'ingress',
    args: ['create', 'ingress', 'ing1', '-n', 'default', '--class=nginx', '--default-backend=defsvc:http',
      '--rule=foo.example.com/=svc1:8080,tls=my-cert', '--rule=bar.example.com/api*=svc2:https', '--annotation=a=b'],
  },
  { name: 'priorityclass', args: ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--global-default=true', '--preemption-policy=Never'] },
  {
    name: 'autoscale', args: ['autoscale', 'deployment', 'web', '-n', 'default', '--min=2', '--max=5', '--cpu-percent=80'],
    objects: { '/apis/apps/v1/namespaces/default/deployments/web': { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } },
  },
  { name: 'whoami', dryRunJson: false, args: ['auth', 'whoami'] },
  { name: 'clusterrole', args: ['create', 'clusterrole', 'reader', '--verb=get,list,watch', '--resource=pods,pods/log'] },
  { name: 'clusterrole-nonresource', args: ['create', 'clusterrole', 'logs', '--verb=get', '--non-resource-url=/logs/*'] },
  { name: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'crb1', '--clusterrole=reader', '--user=bob', '--group=ops', '--serviceaccount=kube-system:default'] },
  { name: 'service-nodeport', args: ['create', 'service', 'nodeport', 'np1', '-n', 'default', '--tcp=80:8080', '--node-port=30080'] },
  { name: 'service-loadbalancer', args: ['create', 'service', 'loadbalancer', 'lb1', '-n', 'default', '--tcp=443:8443'] },
  { name: 'service-externalname', args: ['create', 'service', 'externalname', 'ext1', '-n', 'default', '--external-name=db.example.com', '--tcp=5432'] },
  { name: 'service-headless', args: ['create', 'service', 'clusterip', 'headless', '-n', 'default', '--clusterip=None'] },
  {
    name: 'secret-tls', args: ['create', 'secret', 'tls', 'tls1', '-n', 'default', '--cert=tls.crt', '--key=tls.key'],
    setup: (dir) => makeKeyPair(dir, 'tls.crt', 'tls.key'),
  },
  {
    name: 'certificate-approve', dryRunJson: false, args: ['certificate', 'approve', 'csr1'],
    objects: { '/apis/certificates.k8s.io/v1/certificatesigningrequests/csr1': {
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'csr1', uid: 'u1', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n').toString('base64'), signerName: 'example.com/signer', usages: ['client auth'], username: 'alice', groups: ['dev', 'system:authenticated'] },
      status: {},
    } },
  },
  { name: 'serviceaccount-rbac-role', args: ['create', 'role', 'r2', '-n', 'default', '--verb=*', '--resource=deployments.apps', '--resource-name=web'] },
];

/** A self-signed certificate and its key, as `kubectl create secret tls` wants them. */
export function makeKeyPair(dir: string, certFile: string, keyFile: string): void {
  if (existsSync(join(dir, certFile))) return; // the dry run must see the same pair
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=berth-test', '-keyout', join(dir, keyFile), '-out', join(dir, certFile)], { stdio: 'ignore' });
}

export interface FixtureEntry {
  scenario: string;
  method: string;
  path: string;
  query: string;
  contentType: string;
  file: string;
  /** kubectl's `--dry-run=client -o json` output for the same command, when it has one. */
  expected?: unknown;
}

/** Writes the first request body of each capture as <dir>/kubectl-<name>.bin plus an index. */
export function writeFixtures(dir: string, captures: readonly ScenarioCapture[], client: string): FixtureEntry[] {
  const index: FixtureEntry[] = [];
  for (const c of captures) {
    const r = c.requests[0];
    if (r === undefined) continue;
    const file = `kubectl-${c.name}.bin`;
    writeFileSync(join(dir, file), r.body);
    const entry: FixtureEntry = { scenario: c.name, method: r.method, path: r.path, query: r.query, contentType: r.contentType, file };
    if (c.json !== undefined && c.json.trim() !== '') entry.expected = JSON.parse(c.json) as unknown;
    index.push(entry);
  }
  writeFileSync(join(dir, 'kubectl-captures.json'), `${JSON.stringify({ client, captures: index }, null, 2)}\n`);
  return index;
}

/** helm 3.17 from the unpacked lambda layer, or $HELM. */
export function findHelm(): string | undefined {
  const candidates = [process.env['HELM'], '/tmp/k8sbin/helm/helm', layerTools()?.helm];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

/**
 * Installs and uninstalls a one-ConfigMap chart with helm against a fake
 * server that keeps what it is sent (decoded with `decode`), so helm finds
 * its release Secret again. Returns every write helm made.
 */
export async function captureHelm(helm: string, decode: (body: Buffer, contentType: string) => Record<string, unknown> | undefined): Promise<CapturedRequest[]> {
  const home = mkdtempSync(join(tmpdir(), 'berth-helm-'));
  const server = new FakeKubeServer(decode);
  try {
    const chart = join(home, 'chart');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo-cm\ndata:\n  key: value\n');
    const url = await server.start();
    const env = { HOME: home, PATH: process.env['PATH'] ?? '', HELM_CACHE_HOME: join(home, 'c'), HELM_CONFIG_HOME: join(home, 'cfg'), HELM_DATA_HOME: join(home, 'd') };
    const common = [`--kube-apiserver=${url}`, '-n', 'default'];
    const install = await run(helm, ['install', 'rel1', chart, '--disable-openapi-validation', ...common], env, home);
    if (install.code !== 0) throw new Error(`helm install failed: ${install.stderr}`);
    const uninstall = await run(helm, ['uninstall', 'rel1', ...common], env, home);
    if (uninstall.code !== 0) throw new Error(`helm uninstall failed: ${uninstall.stderr}`);
    return server.captured;
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
