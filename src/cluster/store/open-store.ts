/**
 * Chooses the datastore by URL, as k3s/kine do:
 *   undefined / ''               → sqlite://<dataDir>/state.db
 *   sqlite://<path>[?synchronous=full|normal]   (relative paths are under dataDir; sqlite://:memory: for tests)
 *   etcd://host:port[,host:port…]               (plain HTTP to etcd)
 *   http://host:port[,http://host:port…]         (the same, as an endpoint list)
 * The returned store may still be connecting: await store.ready before serving.
 */
import { isAbsolute, join } from 'node:path';
import { errorMessage, invalidArgument, unavailable } from '../../core/index.js';
import { EtcdStore } from './etcd-store.js';
import type { SqliteSynchronous } from './sqlite-revision-log.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Where the default SQLite database lives. */
  dataDir: string;
}

export type StoreLocation =
  | { kind: 'sqlite'; path: string; synchronous: SqliteSynchronous }
  | { kind: 'etcd'; endpoints: string[] };

const USAGE = 'expected sqlite://<path>, etcd://host:port[,host:port...] or http://host:port[,...]';

export async function openStore(url: string | undefined, options: OpenStoreOptions): Promise<Store> {
  const location = parseStoreUrl(url, options);
  if (location.kind === 'etcd') return new EtcdStore({ endpoints: location.endpoints });
  try {
    return new SqliteStore({ path: location.path, synchronous: location.synchronous });
  } catch (err) {
    throw unavailable(`cannot open SQLite store at ${location.path}: ${errorMessage(err)}`, { cause: err });
  }
}

/** Parses a store URL without opening anything; InvalidArgument with the reason when it is bad. */
export function parseStoreUrl(url: string | undefined, options: OpenStoreOptions): StoreLocation {
  const raw = url?.trim() ?? '';
  if (raw === '') return { kind: 'sqlite', path: join(options.dataDir, 'state.db'), synchronous: 'full' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return parseSqlite(raw.slice('sqlite://'.length), options);
  if (scheme === 'etcd' || scheme === 'http') return { kind: 'etcd', endpoints: parseEndpoints(raw) };
  if (scheme === 'https' || scheme === 'etcds') {
    throw invalidArgument(`store URL ${JSON.stringify(raw)}: TLS to etcd is not supported yet; ${USAGE}`);
  }
  throw invalidArgument(`unsupported store URL ${JSON.stringify(raw)}: ${USAGE}`);
}

function parseSqlite(rest: string, options: OpenStoreOptions): StoreLocation {
  const [pathPart = '', query = ''] = rest.split('?', 2);
  const params = new URLSearchParams(query);
  const synchronous = (params.get('synchronous') ?? 'full').toLowerCase();
  if (synchronous !== 'full' && synchronous !== 'normal') {
    throw invalidArgument(`sqlite store URL: synchronous must be full or normal, got ${JSON.stringify(synchronous)}`);
  }
  for (const key of params.keys()) {
    if (key !== 'synchronous') throw invalidArgument(`sqlite store URL: unknown parameter ${JSON.stringify(key)}`);
  }
  const path = decodeURIComponent(pathPart);
  const resolved =
    path === '' ? join(options.dataDir, 'state.db') : path === ':memory:' || isAbsolute(path) ? path : join(options.dataDir, path);
  return { kind: 'sqlite', path: resolved, synchronous };
}

function parseEndpoints(raw: string): string[] {
  const items = raw.replace(/^etcd:\/\//i, '').split(',').map((s) => s.trim());
  return items.map((item) => {
    const hostPort = item.replace(/^http:\/\//i, '').replace(/\/+$/, '');
    const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})$/i.exec(hostPort);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) {
      throw invalidArgument(`store URL ${JSON.stringify(raw)}: bad etcd endpoint ${JSON.stringify(item)}, want host:port`);
    }
    return `http://${hostPort}`;
  });
}
