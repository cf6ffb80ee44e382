import { Readable } from 'node:stream';
import { BerthError, MediaType, notFound, sha256Digest, unavailable, type Digest } from '../../core/index.js';
import { basicHeader, fetchToken, parseChallenge, type AuthConfig } from './auth.js';

const MANIFEST_ACCEPT = [MediaType.DockerManifest, MediaType.DockerManifestList, MediaType.OciManifest, MediaType.OciIndex].join(', ');

export interface RepositoryOptions {
  auth?: AuthConfig;
  /** Hosts reached over plain HTTP (loopback is always insecure, as in Docker). */
  insecure?: readonly string[];
  signal?: AbortSignal;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: Digest;
}

/** Registry errors carry `{"errors":[{"code","message"}]}`; Docker shows `message`. */
async function registryError(resp: Response, what: string): Promise<BerthError> {
  let message = `${what}: ${resp.status} ${resp.statusText}`;
  try {
    const body = (await resp.json()) as { errors?: { code?: string; message?: string }[] };
    const first = body.errors?.[0];
    if (first?.message) message = first.message;
  } catch {
    // not JSON
  }
  const kind = resp.status === 404 ? 'NotFound' : resp.status === 401 || resp.status === 403 ? 'PermissionDenied' : 'Unavailable';
  return new BerthError(kind, message, { details: { registryStatus: resp.status } });
}

/**
 * One repository on a Docker Registry HTTP API v2 / OCI distribution
 * server: manifests by tag or digest, blobs, monolithic uploads. Auth
 * follows the `/v2/` ping challenge (Basic or Bearer token per scope).
 */
export class RegistryRepository {
  readonly base: string;
  private authorization: string | undefined;
  private authorized = false;

  constructor(
    readonly domain: string,
    readonly path: string,
    private readonly scope: 'pull' | 'pull,push',
    private readonly opts: RepositoryOptions = {},
  ) {
    const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
    const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const insecure = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '::1' || (opts.insecure ?? []).includes(host);
    this.base = `${insecure ? 'http' : 'https'}://${host}`;
  }

  /** Pings `/v2/` and obtains credentials for this repository's scope. */
  private async authorize(): Promise<void> {
    if (this.authorized) return;
    const resp = await this.raw('GET', '/v2/');
    await resp.body?.cancel();
    if (resp.status === 401) {
      const challenge = parseChallenge(resp.headers.get('www-authenticate'));
      const auth = this.opts.auth ?? {};
      if (challenge?.scheme === 'basic') this.authorization = basicHeader(auth);
      else if (challenge?.scheme === 'bearer') {
        const token = await fetchToken(challenge, `repository:${this.path}:${this.scope}`, auth, this.opts.signal).catch((err: Error) => {
          throw new BerthError('PermissionDenied', err.message, { cause: err });
        });
        this.authorization = `Bearer ${token}`;
      }
    } else if (!resp.ok && resp.status !== 404) throw await registryError(resp, `ping ${this.base}`);
    this.authorized = true;
  }

  private async raw(method: string, path: string, init: { headers?: Record<string, string>; body?: Readable } = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.authorization) headers['Authorization'] = this.authorization;
    try {
      return await fetch(url, {
        method,
        headers,
        redirect: 'follow',
        ...(init.body ? { body: Readable.toWeb(init.body) as ReadableStream, duplex: 'half' } : {}),
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
      } as RequestInit);
    } catch (err) {
      throw unavailable(`Get "${url}": ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, { cause: err });
    }
  }

  async request(method: string, path: string, init: { headers?: Record<string, string>; body?: Readable } = {}): Promise<Response> {
    await this.authorize();
    const resp = await this.raw(method, path, init);
    if (resp.status === 401) {
      await resp.body?.cancel();
      throw new BerthError('PermissionDenied', 'unauthorized: authentication required');
    }
    return resp;
  }

  async getManifest(reference: string): Promise<FetchedManifest | undefined> {
    const resp = await this.request('GET', `/v2/${this.path}/manifests/${reference}`, { headers: { Accept: MANIFEST_ACCEPT } });
    if (resp.status === 404) {
      await resp.body?.cancel();
      return undefined;
    }
    if (!resp.ok) throw await registryError(resp, 'manifest');
    const bytes = Buffer.from(await resp.arrayBuffer());
    const digest = sha256Digest(bytes);
    const mediaType = (resp.headers.get('content-type') ?? '').split(';')[0]!.trim() || (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType || '';
    if (reference.startsWith('sha256:') && reference !== digest) throw new BerthError('FailedPrecondition', `manifest verification failed for digest ${reference}`);
    return { bytes, mediaType, digest };
  }

  /** A blob's bytes as a stream (the caller verifies the digest while storing). */
  async getBlob(digest: Digest): Promise<{ stream: Readable; size: number }> {
    const resp = await this.request('GET', `/v2/${this.path}/blobs/${digest}`);
    if (resp.status === 404) throw notFound(`blob ${digest} unknown to registry`);
    if (!resp.ok || !resp.body) throw await registryError(resp, `blob ${digest}`);
    return { stream: Readable.fromWeb(resp.body as import('node:stream/web').ReadableStream<Uint8Array>), size: Number(resp.headers.get('content-length') ?? -1) };
  }

  async blobExists(digest: Digest): Promise<boolean> {
    const resp = await this.request('HEAD', `/v2/${this.path}/blobs/${digest}`);
    await resp.body?.cancel();
    return resp.ok;
  }

  /** Monolithic upload: POST for a session, PUT the whole blob with its digest. */
  async uploadBlob(digest: Digest, body: Readable): Promise<void> {
    const start = await this.request('POST', `/v2/${this.path}/blobs/uploads/`);
    await start.body?.cancel();
    if (start.status !== 202) throw await registryError(start, 'blob upload');
    const location = new URL(start.headers.get('location') ?? '', this.base);
    location.searchParams.set('digest', digest);
    const put = await this.request('PUT', location.toString(), { headers: { 'Content-Type': 'application/octet-stream' }, body });
    if (put.status !== 201) throw await registryError(put, 'blob upload');
    await put.body?.cancel();
  }

  async putManifest(reference: string, bytes: Buffer, mediaType: string): Promise<Digest> {
    const resp = await this.request('PUT', `/v2/${this.path}/manifests/${reference}`, { headers: { 'Content-Type': mediaType }, body: Readable.from([bytes]) });
    if (resp.status !== 201) throw await registryError(resp, 'manifest upload');
    await resp.body?.cancel();
    return (resp.headers.get('docker-content-digest') as Digest | null) ?? sha256Digest(bytes);
  }
}
