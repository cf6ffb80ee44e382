import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Digester, digestHex, isDigest, sha256Digest, type Digest } from '../../core/digest.js';
import { BerthError, failedPrecondition, invalidArgument, notFound } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { randomId, syncDir } from './fs-util.js';
import type { BlobInfo, ContentStore, ContentWriter, ExpectedContent, Lease } from './types.js';

const log = logger('engine.content');

/**
 * Blobs under `<root>/blobs/sha256/<hex>`, ingests under
 * `<root>/ingest/<random>/data`. A blob is written to its ingest file,
 * hashed on the way, fsynced and renamed into place: a blob path exists only
 * for complete, verified content. Ingests never outlive the process; `init`
 * removes the ones a crash left behind.
 */
export class LocalContentStore implements ContentStore {
  private readonly blobsDir: string;
  private readonly ingestDir: string;
  private readonly leases = new Map<number, Set<Digest>>();
  private nextLease = 1;

  constructor(readonly root: string) {
    this.blobsDir = join(root, 'blobs', 'sha256');
    this.ingestDir = join(root, 'ingest');
  }

  async init(): Promise<void> {
    await mkdir(this.blobsDir, { recursive: true });
    await rm(this.ingestDir, { recursive: true, force: true });
    await mkdir(this.ingestDir, { recursive: true });
  }

  blobPath(digest: Digest): string {
    if (!isDigest(digest)) throw invalidArgument(`invalid digest ${String(digest)}`);
    return join(this.blobsDir, digestHex(digest));
  }

  async has(digest: Digest): Promise<boolean> {
    try {
      await stat(this.blobPath(digest));
      return true;
    } catch {
      return false;
    }
  }

  async info(digest: Digest): Promise<BlobInfo> {
    try {
      const st = await stat(this.blobPath(digest));
      return { digest, size: st.size, createdAt: st.mtime };
    } catch (err) {
      throw notFound(`content digest ${digest}: not found`, { cause: err });
    }
  }

  readStream(digest: Digest): Readable {
    const out = new PassThrough();
    const src = createReadStream(this.blobPath(digest));
    src.on('error', (err: NodeJS.ErrnoException) => {
      out.destroy(err.code === 'ENOENT' ? notFound(`content digest ${digest}: not found`) : err);
    });
    return src.pipe(out);
  }

  async readBuffer(digest: Digest, limit = 16 * 1024 * 1024): Promise<Buffer> {
    const { size } = await this.info(digest);
    if (size > limit) throw invalidArgument(`blob ${digest} is too large (${size} bytes)`);
    const fd = await open(this.blobPath(digest), 'r');
    try {
      return await fd.readFile();
    } finally {
      await fd.close();
    }
  }

  async readHead(digest: Digest, length: number): Promise<Buffer> {
    const fd = await open(this.blobPath(digest), 'r').catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' ? notFound(`content digest ${digest}: not found`) : err;
    });
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fd.read(buf, 0, length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fd.close();
    }
  }

  async writer(): Promise<ContentWriter> {
    const dir = join(this.ingestDir, randomId());
    await mkdir(dir);
    const fd = await open(join(dir, 'data'), 'wx', 0o644);
    return new LocalWriter(this, dir, fd);
  }

  async ingest(source: Readable | Buffer, expected: ExpectedContent = {}): Promise<BlobInfo> {
    if (Buffer.isBuffer(source)) {
      const digest = sha256Digest(source);
      if (expected.digest !== undefined && expected.digest !== digest) throw failedPrecondition(`unexpected commit digest ${digest}, expected ${expected.digest}`);
      if (expected.size !== undefined && expected.size !== source.length) throw failedPrecondition(`unexpected commit size ${source.length}, expected ${expected.size}`);
      if (await this.has(digest)) return this.info(digest);
    }
    const w = await this.writer();
    try {
      if (Buffer.isBuffer(source)) await w.write(source);
      else for await (const chunk of source) await w.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return await w.commit(expected);
    } catch (err) {
      await w.abort();
      throw err;
    }
  }

  async list(): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    for (const name of await readdir(this.blobsDir)) {
      const digest = `sha256:${name}`;
      if (!isDigest(digest)) continue;
      try {
        out.push(await this.info(digest));
      } catch {
        // deleted meanwhile
      }
    }
    return out;
  }

  async delete(digest: Digest): Promise<boolean> {
    try {
      await rm(this.blobPath(digest));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  lease(): Lease {
    const id = this.nextLease++;
    const set = new Set<Digest>();
    this.leases.set(id, set);
    return { add: (d) => set.add(d), release: () => this.leases.delete(id) };
  }

  leased(): Set<Digest> {
    const all = new Set<Digest>();
    for (const set of this.leases.values()) for (const d of set) all.add(d);
    return all;
  }

  /** Called by a writer once its data file is complete and verified. */
  async place(ingestDir: string, digest: Digest, size: number): Promise<BlobInfo> {
    const target = this.blobPath(digest);
    if (await this.has(digest)) {
      await rm(ingestDir, { recursive: true, force: true });
    } else {
      await rename(join(ingestDir, 'data'), target);
      await syncDir(this.blobsDir);
      await rm(ingestDir, { recursive: true, force: true });
    }
    log.debug('blob committed', { digest, size });
    return { digest, size, createdAt: new Date() };
  }
}

class LocalWriter implements ContentWriter {
  private readonly digester = new Digester();
  private done = false;

  constructor(
    private readonly store: LocalContentStore,
    private readonly dir: string,
    private readonly fd: FileHandle,
  ) {}

  get size(): number {
    return this.digester.size;
  }

  digest(): Digest {
    return this.digester.digest();
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.done) throw failedPrecondition('content writer is closed');
    this.digester.update(chunk);
    let off = 0;
    while (off < chunk.length) {
      const { bytesWritten } = await this.fd.write(chunk, off, chunk.length - off);
      off += bytesWritten;
    }
  }

  async commit(expected: ExpectedContent = {}): Promise<BlobInfo> {
    if (this.done) throw failedPrecondition('content writer is closed');
    this.done = true;
    try {
      await this.fd.sync();
      await this.fd.close();
      const digest = this.digester.digest();
      const size = this.digester.size;
      if (expected.size !== undefined && expected.size !== size) {
        throw new BerthError('FailedPrecondition', `unexpected commit size ${size}, expected ${expected.size}`, { details: { mismatch: 'size' } });
      }
      if (expected.digest !== undefined && expected.digest !== digest) {
        throw new BerthError('FailedPrecondition', `unexpected commit digest ${digest}, expected ${expected.digest}`, { details: { mismatch: 'digest' } });
      }
      return await this.store.place(this.dir, digest, size);
    } catch (err) {
      await rm(this.dir, { recursive: true, force: true });
      throw err;
    }
  }

  async abort(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.fd.close().catch(() => {});
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Wraps a buffer as a stream (for APIs that take either). */
export function bufferStream(buf: Buffer): Readable {
  return Readable.from([buf]);
}
