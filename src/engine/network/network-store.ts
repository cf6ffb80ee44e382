import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../../core/index.js';
import type { NetworkRecord, SandboxRecord } from './types.js';

const log = logger('engine.network');

/**
 * Persistence of the network model under `<root>`: `networks/<id>.json` and
 * `sandboxes/<container id>.json`, each written to a temp file and renamed,
 * so a crash leaves either the old or the new record. Address leases are not
 * stored separately: they are the addresses of the persisted sandboxes, so a
 * lease cannot outlive the sandbox that holds it.
 */
export class NetworkStore {
  private readonly networksDir: string;
  private readonly sandboxesDir: string;

  constructor(root: string) {
    this.networksDir = join(root, 'networks');
    this.sandboxesDir = join(root, 'sandboxes');
  }

  async load(): Promise<{ networks: NetworkRecord[]; sandboxes: SandboxRecord[] }> {
    await mkdir(this.networksDir, { recursive: true });
    await mkdir(this.sandboxesDir, { recursive: true });
    return {
      networks: await readAll<NetworkRecord>(this.networksDir),
      sandboxes: await readAll<SandboxRecord>(this.sandboxesDir),
    };
  }

  saveNetwork(n: NetworkRecord): Promise<void> {
    return writeAtomic(join(this.networksDir, `${n.Id}.json`), n);
  }

  deleteNetwork(id: string): Promise<void> {
    return rm(join(this.networksDir, `${id}.json`), { force: true });
  }

  saveSandbox(s: SandboxRecord): Promise<void> {
    return writeAtomic(join(this.sandboxesDir, `${s.containerId}.json`), s);
  }

  deleteSandbox(containerId: string): Promise<void> {
    return rm(join(this.sandboxesDir, `${containerId}.json`), { force: true });
  }
}

async function readAll<T>(dir: string): Promise<T[]> {
  const out: T[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) {
      if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
      continue;
    }
    try {
      out.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as T);
    } catch (err) {
      log.warn('skipping unreadable network state', { file: name, err });
    }
  }
  return out;
}

async function writeAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}
