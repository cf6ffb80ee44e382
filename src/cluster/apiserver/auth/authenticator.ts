/**
 * Authentication: a verified client certificate (CN = user, O = groups), a
 * bearer token from the static token file, or a service-account JWT. No
 * credentials, or bad ones, means 401 (anonymous access is off).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from '../types.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export interface AuthenticatorOptions {
  tokens: Map<string, UserInfo>;
  serviceAccountTokens: ServiceAccountTokens;
  /** Current uid of a service account, to reject tokens of deleted accounts. */
  serviceAccountUid(namespace: string, name: string): Promise<string | undefined>;
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function withAuthenticated(user: UserInfo): UserInfo {
  const groups = user.groups.includes('system:authenticated') ? user.groups : [...user.groups, 'system:authenticated'];
  return { ...user, groups };
}

export class Authenticator {
  /** A verified client certificate holds for its whole TLS connection: decode it once per socket. */
  private readonly certUsers = new WeakMap<TLSSocket, UserInfo | null>();

  constructor(private readonly options: AuthenticatorOptions) {}

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const auth = req.headers.authorization;
    if (auth !== undefined && /^bearer /i.test(auth)) return this.authenticateToken(auth.slice(7).trim());
    const socket = req.socket as TLSSocket;
    if (socket.authorized !== true) return undefined;
    let user = this.certUsers.get(socket);
    if (user === undefined) {
      const cert = socket.getPeerCertificate();
      const cn = asList(cert.subject?.CN)[0];
      user = cn !== undefined && cn !== '' ? withAuthenticated({ username: cn, groups: asList(cert.subject?.O) }) : null;
      this.certUsers.set(socket, user);
    }
    return user ?? undefined;
  }

  /** A bearer token: static token file first, then service-account JWTs. */
  async authenticateToken(token: string): Promise<UserInfo | undefined> {
    const user = this.options.tokens.get(token);
    if (user !== undefined) return withAuthenticated(user);
    const sa = this.options.serviceAccountTokens.verify(token);
    if (sa === undefined) return undefined;
    const uid = await this.options.serviceAccountUid(sa.serviceAccount.namespace, sa.serviceAccount.name);
    if (uid === undefined || uid !== sa.serviceAccount.uid) return undefined;
    const { serviceAccount: _sa, ...info } = sa;
    return withAuthenticated(info);
  }
}
