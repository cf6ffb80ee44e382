import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, invalidArgument, logger, notFound } from '../../core/index.js';
import type { ContainerRecord } from './types.js';

const log = logger('engine.containers');
const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * Containers in memory, each persisted as `<dir>/<id>/container.json`
 * (written to a temp file and renamed, so a crash never leaves half a record).
 * Lookups accept a full id, a unique id prefix or a name, like Docker.
 */
export class ContainerStore {
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, string>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Loads every record; skips (and logs) unreadable ones. A directory without
   * a record is what a removal (or a create) interrupted by a crash left: removed.
   */
  load(): ContainerRecord[] {
    for (const id of readdirSync(this.dir)) {
      try {
        const rec = JSON.parse(readFileSync(join(this.dir, id, 'container.json'), 'utf8')) as ContainerRecord;
        this.byId.set(rec.Id, rec);
        this.byName.set(rec.Name, rec.Id);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') rmSync(join(this.dir, id), { recursive: true, force: true });
        else log.warn('skipping unreadable container record', { id, err });
      }
    }
    return [...this.byId.values()];
  }

  containerDir(id: string): string {
    return join(this.dir, id);
  }

  /** Throws Docker's conflict message when the name is taken. */
  checkName(name: string): void {
    if (!NAME_RE.test(name)) throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const bare = name.replace(/^\//, '');
    const owner = this.byName.get(bare);
    if (owner !== undefined) {
      throw conflict(`Conflict. The container name "/${bare}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
  }

  nameTaken(name: string): boolean {
    return this.byName.has(name);
  }

  async add(rec: ContainerRecord): Promise<void> {
    this.checkName(rec.Name);
    this.byId.set(rec.Id, rec);
    this.byName.set(rec.Name, rec.Id);
    try {
      await mkdir(this.containerDir(rec.Id), { recursive: true });
      await this.save(rec);
    } catch (err) {
      this.byId.delete(rec.Id);
      this.byName.delete(rec.Name);
      throw err;
    }
  }

  async save(rec: ContainerRecord): Promise<void> {
    if (!this.byId.has(rec.Id)) return;
    const file = join(this.containerDir(rec.Id), 'container.json');
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(rec));
    await rename(tmp, file);
  }

  rename(rec: ContainerRecord, newName: string): void {
    this.checkName(newName);
    this.byName.delete(rec.Name);
    rec.Name = newName.replace(/^\//, '');
    this.byName.set(rec.Name, rec.Id);
  }

  async remove(rec: ContainerRecord): Promise<void> {
    await this.forget(rec);
    await this.removeFiles(rec.Id);
  }

  /** The container is gone for every lookup and from disk (its record); its other files stay for removeFiles(). */
  async forget(rec: ContainerRecord): Promise<void> {
    this.byId.delete(rec.Id);
    if (this.byName.get(rec.Name) === rec.Id) this.byName.delete(rec.Name);
    await rm(join(this.containerDir(rec.Id), 'container.json'), { force: true });
  }

  /** Removes a forgotten container's directory (logs, /etc files). */
  async removeFiles(id: string): Promise<void> {
    if (this.byId.has(id)) return;
    await rm(this.containerDir(id), { recursive: true, force: true });
  }

  find(idOrName: string): ContainerRecord | undefined {
    const bare = idOrName.replace(/^\//, '');
    const exact = this.byId.get(bare);
    if (exact) return exact;
    const named = this.byName.get(bare);
    if (named !== undefined) return this.byId.get(named);
    if (!/^[0-9a-f]+$/.test(bare)) return undefined;
    const matches = [...this.byId.keys()].filter((id) => id.startsWith(bare));
    if (matches.length > 1) throw invalidArgument(`multiple IDs found with provided prefix: ${bare}`);
    return matches[0] === undefined ? undefined : this.byId.get(matches[0]);
  }

  get(idOrName: string): ContainerRecord {
    const rec = this.find(idOrName);
    if (!rec) throw notFound(`No such container: ${idOrName}`);
    return rec;
  }

  list(): ContainerRecord[] {
    return [...this.byId.values()];
  }
}
