import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { invalidArgument, BerthError, parseFilters, type Filters } from '../../core/index.js';

export { parseFilters, checkFilterKeys, type Filters } from '../../core/index.js';

/** JSON bodies larger than this are refused (tar uploads are streamed instead). */
export const MAX_JSON_BODY = 8 * 1024 * 1024;


export class ApiRequest {
  private bodyPromise: Promise<Buffer> | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly method: string,
    /** Path without the version prefix. */
    readonly path: string,
    readonly query: URLSearchParams,
    readonly version: string,
    readonly params: Record<string, string>,
    /** Request body source: the message itself, or the hijacked socket's body part. */
    private readonly bodySource: Readable,
  ) {}

  header(name: string): string | undefined {
    const v = this.raw.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  param(name: string): string {
    const v = this.params[name];
    if (v === undefined) throw invalidArgument(`missing path parameter ${name}`);
    return v;
  }

  /** The body as a stream (for tar uploads). */
  stream(): Readable {
    return this.bodySource;
  }

  /** Reads the whole body, refusing more than MAX_JSON_BODY bytes. */
  body(): Promise<Buffer> {
    this.bodyPromise ??= readLimited(this.bodySource, MAX_JSON_BODY);
    return this.bodyPromise;
  }

  /** Parses a JSON body; an empty body gives `fallback`. */
  async json<T>(fallback?: T): Promise<T> {
    const buf = await this.body();
    if (buf.length === 0 || buf.toString('utf8').trim() === '') {
      if (fallback !== undefined) return fallback;
      throw invalidArgument('request body is empty');
    }
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } catch (err) {
      throw invalidArgument(`invalid JSON: ${(err as Error).message}`);
    }
  }

  string(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  /** Docker accepts 1/true/True and 0/false/False (CLI, dockerode and docker-py differ). */
  bool(name: string, fallback = false): boolean {
    const v = this.query.get(name);
    if (v === null || v === '') return fallback;
    if (['1', 'true', 'True', 'TRUE', 'yes'].includes(v)) return true;
    if (['0', 'false', 'False', 'FALSE', 'no'].includes(v)) return false;
    throw invalidArgument(`invalid boolean value for ${name}: ${v}`);
  }

  int(name: string): number | undefined {
    const v = this.query.get(name);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw invalidArgument(`invalid integer value for ${name}: ${v}`);
    return n;
  }

  filters(): Filters {
    return parseFilters(this.query.get('filters'));
  }
}

function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Not destroyed here: the 413 must still reach the client (the response closes the connection).
        stream.off('data', onData);
        stream.pause();
        reject(new BerthError('InvalidArgument', `request body too large (limit ${limit} bytes)`, { details: { status: 413 } }));
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
