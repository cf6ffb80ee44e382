/**
 * Registry authentication as the Docker client and daemon do it: the
 * `X-Registry-Auth` header carries base64url JSON credentials; registries
 * answer 401 with a `WWW-Authenticate` challenge, either Basic (send the
 * credentials) or Bearer (trade them for a token at the realm, per scope).
 */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Decodes `X-Registry-Auth` (base64url or base64 JSON; `e30=` is `{}`); bad input means anonymous, as in Docker. */
export function decodeRegistryAuth(header: string | undefined): AuthConfig {
  if (!header) return {};
  try {
    const json = Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const cfg = JSON.parse(json) as AuthConfig;
    if (cfg.auth && !cfg.username) {
      const [user, ...rest] = Buffer.from(cfg.auth, 'base64').toString('utf8').split(':');
      if (user) cfg.username = user;
      cfg.password = rest.join(':');
    }
    return cfg && typeof cfg === 'object' ? cfg : {};
  } catch {
    return {};
  }
}

/** Parses `Bearer realm="…",service="…",scope="…"` / `Basic realm="…"`. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme, params };
}

export function basicHeader(auth: AuthConfig): string | undefined {
  if (!auth.username && !auth.password) return undefined;
  return `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`).toString('base64')}`;
}

/** Fetches a bearer token for `scope` from the challenge's realm. */
export async function fetchToken(challenge: Challenge, scope: string, auth: AuthConfig, signal?: AbortSignal): Promise<string> {
  if (auth.registrytoken) return auth.registrytoken;
  const realm = challenge.params['realm'];
  if (!realm) throw new Error('bearer challenge without realm');
  const url = new URL(realm);
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
  if (scope) url.searchParams.set('scope', scope);
  const headers: Record<string, string> = {};
  const basic = basicHeader(auth);
  if (basic) headers['Authorization'] = basic;
  let resp: Response;
  if (auth.identitytoken) {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.identitytoken, service: challenge.params['service'] ?? '', scope, client_id: 'berth' });
    resp = await fetch(realm, { method: 'POST', body, ...(signal ? { signal } : {}) });
  } else {
    resp = await fetch(url, { headers, ...(signal ? { signal } : {}) });
  }
  if (resp.status === 401 || resp.status === 403) throw Object.assign(new Error('unauthorized: authentication required'), { status: 401 });
  if (!resp.ok) throw new Error(`token request to ${url.origin} failed: ${resp.status}`);
  const body = (await resp.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error('token response carried no token');
  return token;
}
