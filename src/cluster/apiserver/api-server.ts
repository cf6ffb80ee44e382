/**
 * The Kubernetes API server component: PKI and kubeconfig on first start,
 * HTTPS with client-certificate and bearer-token authentication, the
 * request pipeline, the bootstrap objects and the in-server controllers
 * (namespace lifecycle, service accounts, CRDs) and store compaction.
 * `start(signal)` runs until the signal aborts; `ready` resolves once it
 * serves requests with every CRD registered.
 */
import { createServer, type Server } from 'node:https';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { errorMessage, logger } from '../../core/index.js';
import { startCompactor, type Store } from '../store/index.js';
import { AllowAuthenticated, Authenticator, loadTokenFile, ServiceAccountTokens, type Authorizer } from './auth/index.js';
import type { Collaborators } from './collaborators.js';
import { bootstrapCluster, CrdController, NamespaceController } from './controllers/index.js';
import type { HealthCheck } from './endpoints/health.js';
import { Metrics } from './metrics/index.js';
import { ensurePki, writeAdminKubeconfig } from './pki/index.js';
import { RequestHandler } from './request-handler.js';
import type { ServerServices } from './rest/handler-context.js';
import { readyToGo, ResourceDeleter } from './rest/resource-deleter.js';
import { ResourceWriter } from './rest/resource-writer.js';
import { targetOf } from './rest/versioning.js';
import { ObjectStore, resourcePrefix } from './storage/index.js';
import type { UserInfo } from './types.js';

const log = logger('apiserver');

export interface ApiServerOptions {
  store: Store;
  collaborators: Collaborators;
  dataDir: string;
  /** Default 0.0.0.0. */
  bindAddress?: string;
  /** Default 6443; 0 picks a free port. */
  securePort?: number;
  tokenAuthFile?: string;
  /** Address put into the `kubernetes` Endpoints; default: the bind address, or 127.0.0.1 for a wildcard. */
  advertiseAddress?: string;
  /** Store compaction interval; default 5 minutes. */
  compactIntervalMs?: number;
  /** Where the admin kubeconfig goes; default `<dataDir>/kubeconfig.yaml`. */
  kubeconfigPath?: string;
  /** Replaces the allow-all authorizer (RBAC later). */
  authorizer?: Authorizer;
}

export class ApiServer {
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private failReady!: (err: unknown) => void;
  private server: Server | undefined;
  private isReady = false;
  readonly metrics = new Metrics();

  constructor(private readonly options: ApiServerOptions) {
    this.ready = new Promise((resolve, reject) => { this.markReady = resolve; this.failReady = reject; });
    this.ready.catch(() => undefined);
  }

  get kubeconfigPath(): string {
    return this.options.kubeconfigPath ?? join(this.options.dataDir, 'kubeconfig.yaml');
  }

  /** The bound port (after ready). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get url(): string {
    return `https://${clientHost(this.options.bindAddress ?? '0.0.0.0')}:${this.port}`;
  }

  async start(signal: AbortSignal): Promise<void> {
    try {
      await this.run(signal);
    } catch (err) {
      this.failReady(err);
      throw err;
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    const o = this.options;
    const bind = o.bindAddress ?? '0.0.0.0';
    await o.store.ready;
    const host = hostname();
    log.debug('store ready');
    const pki = await ensurePki({ dataDir: o.dataDir, sans: ['localhost', '127.0.0.1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', '10.43.0.1', host, ...(isWildcard(bind) ? [] : [bind])] });
    const objects = new ObjectStore(o.store);
    const writer = new ResourceWriter(objects, o.collaborators);
    const deleter = new ResourceDeleter(objects);
    writer.afterUpdate = async (type, obj) => (readyToGo(type, obj) ? (await deleter.delete(type, obj.metadata.namespace ?? '', obj.metadata.name ?? '', { dryRun: false })).object : obj);
    const tokens = new ServiceAccountTokens(pki.serviceAccountKeyPem);
    const services: ServerServices = {
      store: o.store, objects, collab: o.collaborators, writer, deleter, tokens, metrics: this.metrics,
      authorizer: o.authorizer ?? new AllowAuthenticated(),
    };
    this.metrics.storageObjects = () => storageCounts(services);
    const staticTokens = o.tokenAuthFile === undefined ? new Map<string, UserInfo>() : await loadTokenFile(o.tokenAuthFile);
    const authenticator = new Authenticator({
      tokens: staticTokens, serviceAccountTokens: tokens,
      serviceAccountUid: async (ns, name) => (await objects.tryGet({ group: '', resource: 'serviceaccounts', namespaced: true }, ns, name))?.object.metadata.uid,
    });

    const stopping = new AbortController();
    const inner = stopping.signal;
    signal.addEventListener('abort', () => stopping.abort(), { once: true });
    const advertise = o.advertiseAddress ?? (isWildcard(bind) ? '127.0.0.1' : bind);

    // Controllers first, so that existing CRDs are served from the first request on.
    // Resolves (with the running loop, wrapped so that it is not awaited) once the first list is handled.
    const synced = (start: (s: AbortSignal, onSynced: () => void) => Promise<void>) => new Promise<{ loop: Promise<void> }>((resolve, reject) => {
      const loop: Promise<void> = start(inner, () => resolve({ loop }));
      loop.then(() => resolve({ loop }), (err: unknown) => {
        log.error('controller failed', { error: errorMessage(err) });
        reject(err);
      });
    });
    const crdLoop = await synced((s, cb) => new CrdController(services).start(s, cb));
    log.debug('CRDs registered');
    await bootstrapCluster(services, { advertiseAddress: advertise, securePort: o.securePort ?? 6443 });
    log.debug('bootstrap objects in place');
    const nsLoop = await synced((s, cb) => new NamespaceController(services).start(s, cb));
    const compactor = startCompactor(o.store, { signal: inner, ...(o.compactIntervalMs === undefined ? {} : { intervalMs: o.compactIntervalMs }) });

    const healthChecks: HealthCheck[] = [
      { name: 'ping', check: async () => undefined },
      { name: 'log', check: async () => undefined },
      { name: 'etcd', check: async () => { await o.store.currentRevision(); } },
    ];
    const readyChecks: HealthCheck[] = [
      { name: 'informer-sync', check: async () => { if (!this.isReady) throw new Error('not synced'); } },
      { name: 'shutdown', check: async () => { if (inner.aborted) throw new Error('shutting down'); } },
    ];
    const handler = new RequestHandler(services, authenticator, { collab: o.collaborators, metrics: this.metrics, healthChecks, readyChecks }, inner);
    const server = createServer({ key: pki.servingKeyPem, cert: pki.servingCertPem, ca: pki.caCertPem, requestCert: true, rejectUnauthorized: false }, handler.handle);
    server.keepAliveTimeout = 65_000;
    server.requestTimeout = 0;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.securePort ?? 6443, bind, () => { server.off('error', reject); resolve(); });
    });
    await writeAdminKubeconfig(this.kubeconfigPath, pki, this.url);
    this.isReady = true;
    log.info('serving', { url: this.url });
    this.markReady();

    await new Promise<void>((resolve) => (inner.aborted ? resolve() : inner.addEventListener('abort', () => resolve(), { once: true })));
    this.isReady = false;
    // Stop accepting, end watches (handlers see the aborted signal), give in-flight requests a moment.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 5000);
    await closed;
    clearTimeout(force);
    await Promise.allSettled([crdLoop.loop, nsLoop.loop, compactor.done]);
  }
}

function isWildcard(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::' || addr === '';
}

function clientHost(bind: string): string {
  if (isWildcard(bind)) return '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}

async function storageCounts(s: ServerServices): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of s.collab.schema.resources()) {
    const name = t.group === '' ? t.resource : `${t.resource}.${t.group}`;
    if (out.has(name)) continue;
    const page = await s.store.list(resourcePrefix(targetOf(t)), { limit: 1 });
    out.set(name, page.count);
  }
  return out;
}
