import { Transform, type Readable } from 'node:stream';
import { BerthError, logger, sha256Digest, type Descriptor, type Digest } from '../../core/index.js';
import type { ContentWriter, LocalContentStore } from '../content/index.js';
import { decompressStream } from '../archive/index.js';
import { applyLayer, type OverlaySnapshotter } from '../snapshots/index.js';

const log = logger('engine.images.layers');

export const DIFF_ID_LABEL = 'berth.layer.diffid';
export const EXTRACT_LABEL = 'berth.extract';
const EXTRACT_PREFIX = 'extract-';

export interface LayerInfo {
  chainId: Digest;
  diffId: Digest;
  /** Docker's DiffSize: bytes of this layer's own files. */
  size: number;
}

/** Thrown when a layer's content does not hash to the DiffID its image config names. */
export class DiffIdMismatch extends BerthError {
  constructor(readonly expected: Digest, readonly actual: Digest) {
    super('FailedPrecondition', `layer diffID mismatch: expected "${expected}", got "${actual}"`);
  }
}

/**
 * Image layers as committed overlay snapshots keyed by chain ID: a layer is
 * unpacked once, whoever asks for it next (another image, a concurrent
 * load) shares it. Unpacking happens in a temporary `extract-*` snapshot
 * that becomes the layer only once complete, so a crash never leaves a
 * half-made layer under a chain ID.
 */
export class LayerStore {
  private readonly inflight = new Map<Digest, Promise<LayerInfo>>();
  private readonly pins = new Map<Digest, number>();

  constructor(
    private readonly snapshots: OverlaySnapshotter,
    private readonly content: LocalContentStore,
  ) {}

  get(chainId: Digest): LayerInfo | undefined {
    const s = this.snapshots.stat(chainId);
    if (!s || s.kind !== 'committed') return undefined;
    return { chainId, diffId: (s.labels[DIFF_ID_LABEL] ?? chainId) as Digest, size: s.size ?? 0 };
  }

  /** Keeps chains from being collected while an operation builds on them. */
  pin(chains: Iterable<Digest>): () => void {
    const list = [...chains];
    for (const c of list) this.pins.set(c, (this.pins.get(c) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const c of list) {
        const n = (this.pins.get(c) ?? 1) - 1;
        if (n <= 0) this.pins.delete(c);
        else this.pins.set(c, n);
      }
    };
  }

  /**
   * Unpacks an uncompressed layer tar on top of `parent`. With a known
   * `expectedDiffId` an existing layer is reused without reading `input`
   * (the caller then discards it), and a mismatch is a DiffIdMismatch.
   */
  async register(parent: Digest | undefined, input: Readable, expectedDiffId?: Digest): Promise<LayerInfo> {
    const expectedChain = expectedDiffId === undefined ? undefined : chainFrom(parent, expectedDiffId);
    if (expectedChain !== undefined) {
      const existing = this.get(expectedChain);
      if (existing) return existing;
      const running = this.inflight.get(expectedChain);
      if (running) return running;
      const p = this.unpack(parent, input, expectedDiffId).finally(() => this.inflight.delete(expectedChain));
      this.inflight.set(expectedChain, p);
      return p;
    }
    return this.unpack(parent, input, undefined);
  }

  private async unpack(parent: Digest | undefined, input: Readable, expectedDiffId: Digest | undefined): Promise<LayerInfo> {
    const key = `${EXTRACT_PREFIX}${Date.now()}-${Math.random().toString(16).slice(2)}`;
    await this.snapshots.prepare(key, parent, { [EXTRACT_LABEL]: '1' });
    try {
      const applied = await applyLayer(this.snapshots.dir(key), input);
      if (expectedDiffId !== undefined && applied.diffId !== expectedDiffId) throw new DiffIdMismatch(expectedDiffId, applied.diffId);
      const chainId = chainFrom(parent, applied.diffId);
      const existing = this.get(chainId);
      if (existing) {
        await this.snapshots.remove(key);
        return existing;
      }
      const info = await this.snapshots.commit(chainId, key, { [DIFF_ID_LABEL]: applied.diffId });
      log.debug('layer registered', { chainId, diffId: applied.diffId, size: info.size });
      return { chainId, diffId: applied.diffId, size: info.size ?? applied.size };
    } catch (err) {
      input.destroy();
      await this.snapshots.remove(key).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Makes sure every layer of an image is unpacked, reading the layer blobs
   * (gzip or plain) from the content store for those that are missing.
   */
  async ensure(diffIds: readonly Digest[], blobs: readonly Descriptor[]): Promise<LayerInfo[]> {
    const out: LayerInfo[] = [];
    let parent: Digest | undefined;
    for (let i = 0; i < diffIds.length; i++) {
      const diffId = diffIds[i]!;
      const chain = chainFrom(parent, diffId);
      let info = this.get(chain);
      if (!info) {
        const blob = blobs[i];
        if (!blob) throw new BerthError('NotFound', `layer ${diffId} is neither unpacked nor available as a blob`);
        info = await this.register(parent, await this.openUncompressed(blob), diffId);
      }
      out.push(info);
      parent = chain;
    }
    return out;
  }

  /** A layer blob's uncompressed tar (whose sha256 is the DiffID). */
  async openUncompressed(blob: Descriptor): Promise<Readable> {
    // Detect from the bytes rather than trust the media type (archives mislabel layers).
    return (await decompressStream(this.content.readStream(blob.digest))).stream;
  }

  /**
   * Removes layers nobody needs: not in `keep` (chains of existing images),
   * not pinned, no snapshot built on them. Returns removed chain IDs, top
   * layers first; also clears extraction leftovers when `startup`.
   */
  async collect(keep: Set<Digest>, startup = false): Promise<LayerInfo[]> {
    const removed: LayerInfo[] = [];
    if (startup) {
      for (const s of this.snapshots.list()) {
        if (s.kind === 'active' && s.key.startsWith(EXTRACT_PREFIX)) await this.snapshots.remove(s.key).catch(() => undefined);
      }
    }
    for (;;) {
      const all = this.snapshots.list();
      const parents = new Set(all.map((s) => s.parent).filter((p): p is string => p !== undefined));
      const victim = all.find((s) => s.kind === 'committed' && s.labels[DIFF_ID_LABEL] !== undefined && !keep.has(s.key as Digest) && !this.pins.has(s.key as Digest) && !parents.has(s.key));
      if (!victim) break;
      const info = this.get(victim.key as Digest)!;
      await this.snapshots.remove(victim.key);
      removed.push(info);
    }
    return removed;
  }

  /** Sum of all layers' own sizes (system df's LayersSize). */
  totalSize(): number {
    return this.snapshots.list().reduce((n, s) => n + (s.kind === 'committed' && s.labels[DIFF_ID_LABEL] !== undefined ? s.size ?? 0 : 0), 0);
  }
}

/** chain(n) = sha256(chain(n-1) + " " + diff(n)), chain(0) = diff(0). */
export function chainFrom(parent: Digest | undefined, diffId: Digest): Digest {
  return parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`);
}

/** Passes a stream through while writing every chunk to a content writer (import, commit). */
export function teeToWriter(input: Readable, writer: ContentWriter): Readable {
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      writer.write(chunk).then(() => cb(null, chunk), (err: Error) => cb(err));
    },
  });
  input.on('error', (err) => t.destroy(err));
  return input.pipe(t);
}
