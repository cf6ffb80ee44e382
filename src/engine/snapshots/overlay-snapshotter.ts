import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import type { Mount } from '../../platform/linux/mount.js';
import { dirUsage } from './dir-usage.js';
import { SnapshotMetadata } from './metadata-store.js';
import { upperChanges, upperDiffTar } from './upper-diff.js';
import type { Change, DiffOptions, SnapshotInfo, Snapshotter, Usage } from './types.js';

const log = logger('engine.snapshots');

/** The kernel copies mount options into one page. */
const MAX_MOUNT_DATA = 4000;

/**
 * Overlayfs snapshots under `<root>/snapshots/<n>/{fs,work}`. Numeric
 * directory names keep `lowerdir=` short (its option string must fit in a
 * page), each committed layer is one directory shared by every image and
 * container above it, and mounts are only described, never performed here.
 */
export class OverlaySnapshotter implements Snapshotter {
  private readonly meta: SnapshotMetadata;
  private readonly snapshotsDir: string;
  /** `index=off` lets the same lower dirs be mounted under many upper dirs (Docker sets it too). */
  private readonly indexOff = existsSync('/sys/module/overlay/parameters/index');

  constructor(readonly root: string) {
    this.meta = new SnapshotMetadata(join(root, 'metadata.json'));
    this.snapshotsDir = join(root, 'snapshots');
  }

  /** Loads metadata and deletes snapshot directories a crash left unrecorded. */
  async init(): Promise<void> {
    await mkdir(this.snapshotsDir, { recursive: true });
    await this.meta.load();
    const known = new Set(this.meta.all().map((s) => String(s.id)));
    for (const name of await readdir(this.snapshotsDir)) {
      if (known.has(name)) continue;
      log.info('removing orphaned snapshot dir', { name });
      await rm(join(this.snapshotsDir, name), { recursive: true, force: true });
    }
  }

  stat(key: string): SnapshotInfo | undefined {
    return this.meta.get(key);
  }

  list(): SnapshotInfo[] {
    return this.meta.all();
  }

  private need(key: string): SnapshotInfo {
    const info = this.meta.get(key);
    if (!info) throw notFound(`snapshot ${key} does not exist`);
    return info;
  }

  dir(key: string): string {
    return join(this.snapshotsDir, String(this.need(key).id), 'fs');
  }

  lowerDirs(key: string): string[] {
    const out: string[] = [];
    let parent = this.need(key).parent;
    while (parent !== undefined) {
      const p = this.need(parent);
      out.push(join(this.snapshotsDir, String(p.id), 'fs'));
      parent = p.parent;
    }
    return out;
  }

  async prepare(key: string, parent?: string, labels: Record<string, string> = {}): Promise<Mount[]> {
    await this.meta.update(async (draft) => {
      if (draft.snapshots[key]) throw alreadyExists(`snapshot ${key} already exists`);
      if (parent !== undefined) {
        const p = draft.snapshots[parent];
        if (!p) throw notFound(`parent snapshot ${parent} does not exist`);
        if (p.kind !== 'committed') throw invalidArgument(`parent snapshot ${parent} is not committed`);
      }
      const id = draft.nextId++;
      const base = join(this.snapshotsDir, String(id));
      await rm(base, { recursive: true, force: true });
      await mkdir(join(base, 'fs'), { recursive: true, mode: 0o755 });
      await mkdir(join(base, 'work'), { mode: 0o700 });
      draft.snapshots[key] = { key, kind: 'active', id, labels, created: new Date().toISOString(), ...(parent !== undefined ? { parent } : {}) };
    });
    return this.mounts(key);
  }

  mounts(key: string): Mount[] {
    const info = this.need(key);
    const base = join(this.snapshotsDir, String(info.id));
    const lowers = this.lowerDirs(key);
    if (info.kind === 'committed') {
      const all = [join(base, 'fs'), ...lowers];
      if (all.length === 1) return [{ type: 'bind', source: all[0]!, options: ['ro', 'rbind'] }];
      return [this.overlay([`lowerdir=${all.join(':')}`])];
    }
    if (lowers.length === 0) return [{ type: 'bind', source: join(base, 'fs'), options: ['rw', 'rbind'] }];
    return [this.overlay([`lowerdir=${lowers.join(':')}`, `upperdir=${join(base, 'fs')}`, `workdir=${join(base, 'work')}`])];
  }

  private overlay(options: string[]): Mount {
    const all = this.indexOff ? ['index=off', ...options] : options;
    if (all.join(',').length > MAX_MOUNT_DATA) throw failedPrecondition('too many layers: overlay mount options exceed the kernel page size');
    return { type: 'overlay', source: 'overlay', options: all };
  }

  async commit(name: string, key: string, labels: Record<string, string> = {}): Promise<SnapshotInfo> {
    const info = this.need(key);
    if (info.kind !== 'active') throw failedPrecondition(`snapshot ${key} is not active`);
    const usage = await dirUsage(this.dir(key));
    const committed = await this.meta.update((draft) => {
      if (draft.snapshots[name]) throw alreadyExists(`snapshot ${name} already exists`);
      const current = draft.snapshots[key];
      if (!current) throw notFound(`snapshot ${key} does not exist`);
      delete draft.snapshots[key];
      const next: SnapshotInfo = { ...current, key: name, kind: 'committed', labels: { ...current.labels, ...labels }, size: usage.size };
      draft.snapshots[name] = next;
      return next;
    });
    await rm(join(this.snapshotsDir, String(committed.id), 'work'), { recursive: true, force: true });
    return committed;
  }

  async remove(key: string): Promise<void> {
    const removed = await this.meta.update((draft) => {
      const info = draft.snapshots[key];
      if (!info) throw notFound(`snapshot ${key} does not exist`);
      const child = Object.values(draft.snapshots).find((s) => s.parent === key);
      if (child) throw failedPrecondition(`cannot remove snapshot ${key}: snapshot ${child.key} depends on it`);
      delete draft.snapshots[key];
      return info;
    });
    // The metadata no longer names it: should rm be interrupted, init() finishes the job.
    await rm(join(this.snapshotsDir, String(removed.id)), { recursive: true, force: true });
  }

  async usage(key: string): Promise<Usage> {
    const info = this.need(key);
    if (info.kind === 'committed' && info.size !== undefined) return { size: info.size, inodes: 0 };
    return dirUsage(this.dir(key));
  }

  diff(key: string, options: DiffOptions = {}): Readable {
    return upperDiffTar(this.dir(key), options);
  }

  changes(key: string, options: DiffOptions = {}): Promise<Change[]> {
    return upperChanges(this.dir(key), this.lowerDirs(key), options);
  }
}
