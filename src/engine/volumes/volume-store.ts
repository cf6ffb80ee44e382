import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alreadyExists, errorMessage, logger } from '../../core/index.js';
import type { VolumeRecord } from './types.js';
import { isReservedEntry } from './volume-names.js';

const log = logger('engine.volumes');
const STAGING = '.staging';
const META = 'volume.json';

/**
 * Volumes on disk, in Docker's layout: `<dir>/<name>/_data` holds the data,
 * `<dir>/<name>/volume.json` Berth's metadata. A volume is assembled in
 * `<dir>/.staging/` and renamed into place, and removed by renaming it back
 * there first, so a daemon killed half-way leaves either the whole volume or
 * nothing (init() clears the staging area).
 */
export class VolumeStore {
  constructor(readonly dir: string) {}

  dataPath(name: string): string {
    return join(this.dir, name, '_data');
  }

  /** Prepares the directory, drops leftovers of interrupted work, loads every volume. */
  async init(): Promise<VolumeRecord[]> {
    await mkdir(this.dir, { recursive: true, mode: 0o701 });
    await chmod(this.dir, 0o701);
    await rm(join(this.dir, STAGING), { recursive: true, force: true });
    const records: VolumeRecord[] = [];
    for (const entry of await readdir(this.dir)) {
      if (isReservedEntry(entry)) continue;
      const rec = await this.read(entry);
      if (rec) records.push(rec);
    }
    return records;
  }

  private async read(name: string): Promise<VolumeRecord | undefined> {
    const dir = join(this.dir, name);
    try {
      if (!(await stat(dir)).isDirectory()) return undefined;
      const raw = await readFile(join(dir, META), 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (raw !== undefined) return { ...(JSON.parse(raw) as VolumeRecord), Name: name };
      // A volume directory without metadata (e.g. copied in by hand): a plain local volume.
      const info = await stat(join(dir, '_data'));
      return { Name: name, Driver: 'local', Labels: null, Options: null, CreatedAt: info.mtime.toISOString() };
    } catch (err) {
      log.warn('skipping unreadable volume', { name, err: errorMessage(err) });
      return undefined;
    }
  }

  /** Creates the volume's directories and metadata atomically; AlreadyExists if the name is taken on disk. */
  async create(rec: VolumeRecord): Promise<void> {
    const staging = await this.stagingPath('new');
    try {
      await mkdir(join(staging, '_data'), { recursive: true });
      await chmod(staging, 0o701);
      await chmod(join(staging, '_data'), 0o755);
      await writeFile(join(staging, META), JSON.stringify(rec) + '\n', { mode: 0o600 });
      try {
        await rename(staging, join(this.dir, rec.Name));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTEMPTY') throw alreadyExists(`volume ${rec.Name} already exists`);
        throw err;
      }
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Removes the volume's directory. The caller must have unmounted `_data`:
   * a recursive delete through a bind mount would delete the host's files.
   */
  async remove(name: string): Promise<void> {
    const trash = await this.stagingPath('rm');
    try {
      await rename(join(this.dir, name), trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await rm(trash, { recursive: true, force: true });
  }

  private async stagingPath(kind: string): Promise<string> {
    const base = join(this.dir, STAGING);
    await mkdir(base, { recursive: true, mode: 0o700 });
    return join(base, `${kind}-${randomBytes(8).toString('hex')}`);
  }
}
