import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../content/index.js';
import type { SnapshotInfo } from './types.js';

export interface MetadataFile {
  nextId: number;
  snapshots: Record<string, SnapshotInfo>;
}

interface Pending {
  fn: (draft: MetadataFile) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Snapshot metadata in one JSON file, replaced atomically on every change:
 * the file is the commit point, so a directory it does not name is a
 * leftover from a crash and may be deleted.
 *
 * Updates are group-committed: those queued while a write is in flight are
 * applied one after another (each to its own copy, so a failing one changes
 * nothing) and persisted by a single write + fsync. Each caller still
 * resolves only once its change is durable. Under concurrent container
 * creates and removals this turns N serial fsyncs into a few.
 */
export class SnapshotMetadata {
  private data: MetadataFile = { nextId: 1, snapshots: {} };
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly path: string,
    private readonly write: (path: string, data: string) => Promise<void> = writeFileAtomic,
  ) {}

  async load(): Promise<void> {
    try {
      this.data = JSON.parse(await readFile(this.path, 'utf8')) as MetadataFile;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  get(key: string): SnapshotInfo | undefined {
    return this.data.snapshots[key];
  }

  all(): SnapshotInfo[] {
    return Object.values(this.data.snapshots);
  }

  /** Runs `fn` exclusively against a draft and persists it; the draft is discarded on error. */
  update<T>(fn: (draft: MetadataFile) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let state = this.data;
      const done: Array<{ p: Pending; result: unknown }> = [];
      for (const p of batch) {
        const draft = structuredClone(state);
        try {
          done.push({ p, result: await p.fn(draft) });
          state = draft;
        } catch (err) {
          p.reject(err);
        }
      }
      if (done.length === 0) continue;
      try {
        await this.write(this.path, JSON.stringify(state));
        this.data = state;
        for (const d of done) d.p.resolve(d.result);
      } catch (err) {
        for (const d of done) d.p.reject(err);
      }
    }
    this.flushing = false;
  }
}
