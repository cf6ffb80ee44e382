/**
 * A minimal Kubernetes API server for capturing what real clients send:
 * legacy discovery for a handful of resources, GET of objects it was given,
 * and every write recorded (method, path, content type, raw body) and
 * answered with a small JSON object so kubectl prints success.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  query: string;
  contentType: string;
  body: Buffer;
}

interface ResourceDef {
  group: string;
  version: string;
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

const ALL_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', name: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ALL_VERBS },
  { group: '', version: 'v1', name: 'secrets', kind: 'Secret', namespaced: true, verbs: ALL_VERBS },
  { group: '', version: 'v1', name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ALL_VERBS },
  { group: '', version: 'v1', name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, verbs: ALL_VERBS },
  { group: '', version: 'v1', name: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true, verbs: ['create'] },
  { group: '', version: 'v1', name: 'services', kind: 'Service', namespaced: true, verbs: ALL_VERBS },
  { group: '', version: 'v1', name: 'pods', kind: 'Pod', namespaced: true, verbs: ALL_VERBS },
  { group: 'apps', version: 'v1', name: 'deployments', kind: 'Deployment', namespaced: true, verbs: ALL_VERBS },
  { group: 'apps', version: 'v1', name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get', 'patch', 'update'] },
  { group: 'batch', version: 'v1', name: 'jobs', kind: 'Job', namespaced: true, verbs: ALL_VERBS },
  { group: 'batch', version: 'v1', name: 'cronjobs', kind: 'CronJob', namespaced: true, verbs: ALL_VERBS },
  { group: 'authorization.k8s.io', version: 'v1', name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
  { group: 'coordination.k8s.io', version: 'v1', name: 'leases', kind: 'Lease', namespaced: true, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'roles', kind: 'Role', namespaced: true, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'rolebindings', kind: 'RoleBinding', namespaced: true, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterroles', kind: 'ClusterRole', namespaced: false, verbs: ALL_VERBS },
  { group: 'rbac.authorization.k8s.io', version: 'v1', name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, verbs: ALL_VERBS },
  { group: '', version: 'v1', name: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, verbs: ALL_VERBS },
  { group: 'policy', version: 'v1', name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, verbs: ALL_VERBS },
  { group: 'networking.k8s.io', version: 'v1', name: 'ingresses', kind: 'Ingress', namespaced: true, verbs: ALL_VERBS },
  { group: 'scheduling.k8s.io', version: 'v1', name: 'priorityclasses', kind: 'PriorityClass', namespaced: false, verbs: ALL_VERBS },
  { group: 'autoscaling', version: 'v1', name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: ALL_VERBS },
  { group: 'authentication.k8s.io', version: 'v1', name: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
  { group: 'certificates.k8s.io', version: 'v1', name: 'certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false, verbs: ALL_VERBS },
  { group: 'certificates.k8s.io', version: 'v1', name: 'certificatesigningrequests/approval', kind: 'CertificateSigningRequest', namespaced: false, verbs: ['get', 'patch', 'update'] },
];

export class FakeKubeServer {
  readonly captured: CapturedRequest[] = [];
  /** Objects served by GET, keyed by request path. */
  readonly objects = new Map<string, object>();
  private server: Server | undefined;

  /** When set, written bodies are decoded and kept, so later GETs and lists see them. */
  constructor(private readonly decode?: (body: Buffer, contentType: string) => Record<string, unknown> | undefined) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const json = (code: number, body: unknown): void => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (method === 'GET') {
      if (path === '/api') return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
      if (path === '/apis') return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groups() });
      const list = resourceList(path);
      if (list !== undefined) return json(200, list);
      if (path === '/version') return json(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
      const obj = this.objects.get(path);
      if (obj !== undefined) return json(200, obj);
      const items = this.list(path, url.searchParams.get('labelSelector') ?? '');
      if (items !== undefined) {
        const def = RESOURCES.find((r) => path.endsWith(`/${r.name}`));
        const apiVersion = def === undefined || def.group === '' ? 'v1' : `${def.group}/${def.version}`;
        return json(200, { kind: `${def?.kind ?? ''}List`, apiVersion, metadata: { resourceVersion: '1' }, items });
      }
      return json(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${path} not found`, reason: 'NotFound', code: 404 });
    }
    const body = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    this.captured.push({ method, path, query: url.search, contentType, body });
    if (method === 'DELETE') {
      const existing = this.objects.get(path);
      this.objects.delete(path);
      return json(200, existing ?? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
    }
    const decoded = this.decode?.(body, contentType);
    if (decoded !== undefined) {
      const meta = (decoded['metadata'] ?? {}) as Record<string, unknown>;
      const key = method === 'POST' ? `${path}/${String(meta['name'] ?? '')}` : path;
      const stored = { ...decoded, metadata: { ...meta, resourceVersion: String(this.captured.length), uid: `uid-${this.captured.length}` } };
      this.objects.set(key, stored);
      return json(method === 'POST' ? 201 : 200, stored);
    }
    return json(method === 'POST' ? 201 : 200, reply(path, this.objects.get(path)));
  }

  /** Objects directly below a collection path that match an equality label selector. */
  private list(path: string, selector: string): object[] | undefined {
    const wanted = selector.split(',').filter((s) => s !== '').map((s) => s.split('=') as [string, string]);
    const out: object[] = [];
    let any = false;
    for (const [key, obj] of this.objects) {
      if (!key.startsWith(`${path}/`) || key.slice(path.length + 1).includes('/')) continue;
      any = true;
      const labels = ((obj as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {});
      if (wanted.every(([k, v]) => labels[k] === v)) out.push(obj);
    }
    return any || RESOURCES.some((r) => path.endsWith(`/${r.name}`)) ? out : undefined;
  }
}

function groups(): object[] {
  const byGroup = new Map<string, string>();
  for (const r of RESOURCES) if (r.group !== '') byGroup.set(r.group, r.version);
  return [...byGroup].map(([name, version]) => ({
    name,
    versions: [{ groupVersion: `${name}/${version}`, version }],
    preferredVersion: { groupVersion: `${name}/${version}`, version },
  }));
}

function resourceList(path: string): object | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (m === null) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3] ?? '';
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: resources.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: r.verbs })),
  };
}

/** A plausible answer for a write: the kind from the path, a name, and review statuses clients read. */
function reply(path: string, existing: object | undefined): object {
  if (existing !== undefined) return existing;
  const parts = path.split('/').filter((p) => p !== '');
  if (path.endsWith('/token')) {
    return { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: {}, spec: { audiences: [] }, status: { token: 'fake-token', expirationTimestamp: '2030-01-01T00:00:00Z' } };
  }
  if (path.endsWith('/selfsubjectaccessreviews')) {
    return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {}, status: { allowed: true } };
  }
  if (path.endsWith('/selfsubjectreviews')) {
    return { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: 'admin', groups: ['system:masters'] } } };
  }
  if (path.endsWith('/selfsubjectrulesreviews')) {
    return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: {}, spec: {}, status: { resourceRules: [], nonResourceRules: [], incomplete: false } };
  }
  const resource = parts.length >= 2 ? (parts[parts.length - 1] ?? '') : '';
  const def = RESOURCES.find((r) => r.name === resource || r.name === parts[parts.length - 2]);
  const apiVersion = def === undefined || def.group === '' ? 'v1' : `${def.group}/${def.version}`;
  return { kind: def?.kind ?? 'Status', apiVersion, metadata: { name: 'captured', namespace: 'default' } };
}
