/**
 * Composition root of `berth server`: opens the datastore chosen by URL,
 * builds the API server's collaborators from the schema, printers, patch
 * and protobuf modules, and runs the API server until the signal aborts.
 */
import { mkdir } from 'node:fs/promises';
import { logger } from '../core/index.js';
import { ApiServer, buildCollaborators } from '../cluster/apiserver/index.js';
import { openStore, type Store } from '../cluster/store/index.js';

const log = logger('cluster-server');

export interface ClusterServerOptions {
  dataDir: string;
  /** sqlite://… (default: under dataDir) or etcd://host:port[,…]. */
  datastore?: string;
  bindAddress?: string;
  securePort?: number;
  tokenAuthFile?: string;
  advertiseAddress?: string;
  compactIntervalMs?: number;
}

export class ClusterServer {
  readonly ready: Promise<void>;
  private resolveReady!: (api: ApiServer) => void;
  private rejectReady!: (err: unknown) => void;
  private readonly apiReady: Promise<ApiServer>;

  constructor(private readonly options: ClusterServerOptions) {
    this.apiReady = new Promise((resolve, reject) => { this.resolveReady = resolve; this.rejectReady = reject; });
    this.ready = this.apiReady.then(() => undefined);
    this.ready.catch(() => undefined);
  }

  /** The running API server (after ready). */
  get api(): Promise<ApiServer> {
    return this.apiReady;
  }

  async start(signal: AbortSignal): Promise<void> {
    const o = this.options;
    let store: Store | undefined;
    try {
      await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
      store = await openStore(o.datastore, { dataDir: o.dataDir });
      await store.ready;
      const api = new ApiServer({
        store, collaborators: buildCollaborators(), dataDir: o.dataDir,
        ...(o.bindAddress === undefined ? {} : { bindAddress: o.bindAddress }),
        ...(o.securePort === undefined ? {} : { securePort: o.securePort }),
        ...(o.tokenAuthFile === undefined ? {} : { tokenAuthFile: o.tokenAuthFile }),
        ...(o.advertiseAddress === undefined ? {} : { advertiseAddress: o.advertiseAddress }),
        ...(o.compactIntervalMs === undefined ? {} : { compactIntervalMs: o.compactIntervalMs }),
      });
      const running = api.start(signal);
      api.ready.then(() => this.resolveReady(api), (err: unknown) => this.rejectReady(err));
      await running;
    } catch (err) {
      this.rejectReady(err);
      throw err;
    } finally {
      await store?.close().catch((err: unknown) => log.warn('closing the store failed', { error: String(err) }));
    }
  }
}
