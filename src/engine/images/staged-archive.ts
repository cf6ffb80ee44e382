import { posix } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { invalidArgument, notFound, type Digest } from '../../core/index.js';
import { decompressStream, type EntryBody } from '../archive/index.js';
import type { Lease, LocalContentStore } from '../content/index.js';

/** Files up to this size are kept in memory (manifests, configs, repositories). */
const MEMORY_FILE_LIMIT = 1024 * 1024;
const MEMORY_TOTAL_LIMIT = 64 * 1024 * 1024;

type StagedFile = { kind: 'memory'; data: Buffer } | { kind: 'blob'; digest: Digest; size: number };

/**
 * An image archive (`docker save` output or an OCI layout) read in one
 * pass: small files stay in memory, large ones (layers) go straight into
 * the content store, verified and leased, so nothing is unpacked to a
 * temporary directory and nothing half-written survives a crash.
 */
export class StagedArchive {
  private readonly files = new Map<string, StagedFile>();
  private readonly links = new Map<string, string>();

  private constructor(
    private readonly content: LocalContentStore,
    private readonly lease: Lease,
  ) {}

  static async read(content: LocalContentStore, lease: Lease, input: Readable): Promise<StagedArchive> {
    const staged = new StagedArchive(content, lease);
    const { stream } = await decompressStream(input);
    const extract = tar.extract();
    const failed = new Promise<never>((_, reject) => stream.on('error', reject));
    failed.catch(() => undefined);
    stream.pipe(extract as unknown as NodeJS.WritableStream);
    let memory = 0;
    try {
      for await (const entry of extract) {
        const h = entry.header;
        const name = clean(h.name);
        if (h.type === 'symlink' || h.type === 'link') {
          staged.links.set(name, h.type === 'symlink' ? posix.join(posix.dirname(name), h.linkname ?? '') : clean(h.linkname ?? ''));
          entry.resume();
        } else if (h.type === 'file' || h.type === 'contiguous-file') {
          if (h.size <= MEMORY_FILE_LIMIT && memory + h.size <= MEMORY_TOTAL_LIMIT) {
            memory += h.size;
            staged.files.set(name, { kind: 'memory', data: await Promise.race([readAll(entry), failed]) });
          } else {
            const info = await Promise.race([content.ingest(Readable.from(entry as AsyncIterable<Buffer>)), failed]);
            lease.add(info.digest);
            staged.files.set(name, { kind: 'blob', digest: info.digest, size: info.size });
          }
        } else entry.resume();
      }
    } catch (err) {
      stream.destroy();
      throw invalidArgument(`invalid image archive: ${(err as Error).message}`, { cause: err });
    }
    return staged;
  }

  has(path: string): boolean {
    return this.lookup(path) !== undefined;
  }

  private lookup(path: string): StagedFile | undefined {
    let p = clean(path);
    for (let hops = 0; hops < 32; hops++) {
      const f = this.files.get(p);
      if (f) return f;
      const target = this.links.get(p);
      if (target === undefined) return undefined;
      p = clean(target);
    }
    return undefined;
  }

  /** A small file's bytes (configs, manifests). */
  async read(path: string): Promise<Buffer> {
    const f = this.lookup(path);
    if (!f) throw notFound(`open ${clean(path)}: no such file or directory`);
    if (f.kind === 'memory') return f.data;
    return this.content.readBuffer(f.digest);
  }

  /** A file as a blob in the content store (layers), written there now if it was held in memory. */
  async blob(path: string, expected?: Digest): Promise<{ digest: Digest; size: number }> {
    const f = this.lookup(path);
    if (!f) throw notFound(`open ${clean(path)}: no such file or directory`);
    if (f.kind === 'blob') {
      if (expected !== undefined && f.digest !== expected) throw invalidArgument(`blob ${clean(path)} does not match its digest ${expected}`);
      return { digest: f.digest, size: f.size };
    }
    const info = await this.content.ingest(f.data, expected !== undefined ? { digest: expected } : {});
    this.lease.add(info.digest);
    return { digest: info.digest, size: info.size };
  }
}

/** Archive paths are compared cleaned: no leading `./` or `/`, no `..` escaping. */
function clean(p: string): string {
  const n = posix.normalize('/' + p).slice(1);
  return n.replace(/\/+$/, '');
}

async function readAll(entry: EntryBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of entry) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
