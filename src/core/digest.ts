import { createHash, type Hash } from 'node:crypto';
import { invalidArgument } from './errors.js';

/**
 * Content digests (`sha256:<64 hex>`), the identity of every blob, config,
 * manifest and layer. Only sha256 is produced; other algorithms are refused
 * on input because nothing here could verify them.
 */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const HEX64_RE = /^[a-f0-9]{64}$/;

export function isDigest(value: string): value is Digest {
  return DIGEST_RE.test(value);
}

export function isHex64(value: string): boolean {
  return HEX64_RE.test(value);
}

/** Validates a digest string; Docker's message for a malformed one. */
export function parseDigest(value: string): Digest {
  if (isDigest(value)) return value;
  if (/^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:/.test(value) && !value.startsWith('sha256:')) {
    throw invalidArgument(`unsupported digest algorithm: ${value}`);
  }
  throw invalidArgument(`invalid checksum digest format: ${value}`);
}

/** The 64 hex characters of a digest. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

export function sha256Digest(data: Buffer | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Docker's short ID: 12 hex characters, without the algorithm. */
export function shortId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice(7) : id;
  return hex.slice(0, 12);
}

/** Incremental sha256 that also counts bytes (for verify-while-writing). */
export class Digester {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.count += chunk.length;
  }

  get size(): number {
    return this.count;
  }

  digest(): Digest {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }
}

/** Digest of the empty layer tar (1024 zero bytes), Docker's "empty layer". */
export const EMPTY_LAYER_DIFF_ID: Digest = sha256Digest(Buffer.alloc(1024));
