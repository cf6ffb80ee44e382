import type { Readable } from 'node:stream';
import type { Digest } from '../../core/digest.js';

/**
 * The content store, split like containerd's: a Provider reads blobs, an
 * Ingester writes them (verified while written, visible only once
 * complete), a Manager lists and deletes them.
 */
export interface BlobInfo {
  digest: Digest;
  size: number;
  createdAt: Date;
}

export interface Provider {
  has(digest: Digest): Promise<boolean>;
  info(digest: Digest): Promise<BlobInfo>;
  /** Streams a blob; NotFound when absent. */
  readStream(digest: Digest): Readable;
  /** Reads a whole blob (small ones: configs, manifests); refuses more than `limit` bytes. */
  readBuffer(digest: Digest, limit?: number): Promise<Buffer>;
  /** The first `length` bytes of a blob (compression sniffing). */
  readHead(digest: Digest, length: number): Promise<Buffer>;
  /** Where a committed blob lives (read-only use, e.g. sendfile-like copies). */
  blobPath(digest: Digest): string;
}

export interface ExpectedContent {
  digest?: Digest;
  size?: number;
}

/** One in-progress write; nothing is visible until commit succeeds. */
export interface ContentWriter {
  write(chunk: Buffer): Promise<void>;
  readonly size: number;
  /** Digest of the bytes written so far. */
  digest(): Digest;
  /** fsyncs, verifies against `expected`, then renames into place. */
  commit(expected?: ExpectedContent): Promise<BlobInfo>;
  abort(): Promise<void>;
}

export interface Ingester {
  writer(): Promise<ContentWriter>;
  /** Writes a whole stream or buffer as one blob. */
  ingest(source: Readable | Buffer, expected?: ExpectedContent): Promise<BlobInfo>;
}

export interface Manager {
  list(): Promise<BlobInfo[]>;
  delete(digest: Digest): Promise<boolean>;
}

/** Protects blobs that an operation is still assembling from garbage collection. */
export interface Lease {
  add(digest: Digest): void;
  release(): void;
}

export interface ContentStore extends Provider, Ingester, Manager {
  lease(): Lease;
  /** Digests currently protected by a lease. */
  leased(): Set<Digest>;
}
