import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../content/index.js';
import type { SnapshotInfo } from './types.js';

interface MetadataFile {
  nextId: number;
  snapshots: Record<string, SnapshotInfo>;
}

/**
 * Snapshot metadata in one JSON file, replaced atomically on every change:
 * the file is the commit point, so a directory it does not name is a
 * leftover from a crash and may be deleted.
 */
export class SnapshotMetadata {
  private data: MetadataFile = { nextId: 1, snapshots: {} };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

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
    const run = async (): Promise<T> => {
      const draft = structuredClone(this.data);
      const result = await fn(draft);
      await writeFileAtomic(this.path, JSON.stringify(draft));
      this.data = draft;
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
