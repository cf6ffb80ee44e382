/** Builds small tar archives in memory for snapshot and archive tests. */
import tar from 'tar-stream';

export interface TestEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device';
  content?: string;
  /** Binary content (takes precedence over `content`). */
  data?: Buffer;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
}

export async function buildTar(entries: TestEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer);
  })();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? e.data ?? Buffer.from(e.content ?? '') : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: e.name,
        type,
        mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        mtime: e.mtime ?? new Date(1_700_000_000_000),
        ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
        ...(body ? { size: body.length } : {}),
      };
      if (body) pack.entry(header, body, (err) => (err ? reject(err) : resolve()));
      else pack.entry(header, (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Lists a tar's entries as `type name[ -> link]`. */
export async function listTar(buf: Buffer): Promise<string[]> {
  const extract = tar.extract();
  const out: string[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const h = entry.header;
      out.push(`${h.type} ${h.name}${h.linkname ? ` -> ${h.linkname}` : ''}`);
      entry.resume();
    }
  })();
  extract.end(buf);
  await done;
  return out;
}

/** Reads a tar into a name → content map (files only). */
export async function readTarFiles(buf: Buffer): Promise<Map<string, string>> {
  const extract = tar.extract();
  const out = new Map<string, string>();
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (entry.header.type === 'file') out.set(entry.header.name, Buffer.concat(chunks).toString());
    }
  })();
  extract.end(buf);
  await done;
  return out;
}
