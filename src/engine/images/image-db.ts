import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Digest } from '../../core/index.js';
import { writeFileAtomic } from '../content/index.js';

/** What Berth keeps per image beyond its config blob. */
export interface ImageRecord {
  /** Image ID: the config digest. */
  id: Digest;
  /** Manifest blob (in the content store) naming the config and layer blobs. */
  manifest: Digest;
  /** Parent image (commit, or a loaded archive's Parent link). */
  parent?: Digest;
  /** When a tag last pointed here (inspect's Metadata.LastTagTime). */
  lastTagTime?: string;
}

export interface DbState {
  images: Record<string, ImageRecord>;
  /** Full reference string (`docker.io/library/x:latest` or `…@sha256:…`) → image ID. */
  refs: Record<string, Digest>;
}

/**
 * Image records and the tag store in one JSON file, replaced atomically.
 * An image and its tags therefore appear together or not at all: a crash in
 * the middle of a load, import or commit leaves either the old state or the
 * new one. Blobs and layers written before the commit point and never
 * recorded are collected at start-up.
 */
export class ImageDb {
  private state: DbState = { images: {}, refs: {} };
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {}

  async load(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    try {
      this.state = JSON.parse(await readFile(this.path, 'utf8')) as DbState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  get(id: Digest): ImageRecord | undefined {
    return this.state.images[id];
  }

  images(): ImageRecord[] {
    return Object.values(this.state.images);
  }

  refTarget(ref: string): Digest | undefined {
    return this.state.refs[ref];
  }

  /** Full reference strings pointing at `id`, sorted like Docker's lexicalRefs. */
  refsOf(id: Digest): string[] {
    return Object.entries(this.state.refs)
      .filter(([, target]) => target === id)
      .map(([ref]) => ref)
      .sort();
  }

  allRefs(): [string, Digest][] {
    return Object.entries(this.state.refs);
  }

  children(id: Digest): ImageRecord[] {
    return this.images().filter((r) => r.parent === id);
  }

  /** Applies `fn` to a draft, persists it, then makes it current; serialised. */
  update<T>(fn: (draft: DbState) => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const draft = structuredClone(this.state);
      const result = await fn(draft);
      await writeFileAtomic(this.path, JSON.stringify(draft));
      this.state = draft;
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
