/**
 * Service-account tokens: RS256 JWTs with the claims kube-apiserver's
 * TokenRequest issues, signed with the key the PKI keeps in the data dir.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { UserInfo } from '../types.js';

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface TokenClaims {
  namespace: string;
  serviceAccountName: string;
  serviceAccountUid: string;
  audiences: string[];
  expirationSeconds: number;
  boundObject?: { kind: string; name: string; uid: string };
}

interface JwtPayload {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string }; [k: string]: unknown };
}

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export class ServiceAccountTokens {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;

  constructor(privateKeyPem: string, readonly issuer = DEFAULT_ISSUER) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = b64url(createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest());
  }

  issue(claims: TokenClaims, now = Date.now()): { token: string; expiresAt: Date } {
    const iat = Math.floor(now / 1000);
    const exp = iat + claims.expirationSeconds;
    const k8s: JwtPayload['kubernetes.io'] = {
      namespace: claims.namespace,
      serviceaccount: { name: claims.serviceAccountName, uid: claims.serviceAccountUid },
    };
    if (claims.boundObject !== undefined) k8s[claims.boundObject.kind.toLowerCase()] = { name: claims.boundObject.name, uid: claims.boundObject.uid };
    const payload: JwtPayload = {
      aud: claims.audiences.length > 0 ? claims.audiences : [this.issuer],
      exp, iat, nbf: iat, iss: this.issuer, jti: randomUUID(),
      sub: `system:serviceaccount:${claims.namespace}:${claims.serviceAccountName}`,
      'kubernetes.io': k8s,
    };
    const head = b64url(JSON.stringify({ alg: 'RS256', kid: this.kid }));
    const body = b64url(JSON.stringify(payload));
    const sig = sign('sha256', Buffer.from(`${head}.${body}`), this.privateKey);
    return { token: `${head}.${body}.${b64url(sig)}`, expiresAt: new Date(exp * 1000) };
  }

  /**
   * The user a token stands for, or undefined when it is not one of ours,
   * is expired, or is not meant for this API server.
   */
  verify(token: string, now = Date.now()): (UserInfo & { serviceAccount: { namespace: string; name: string; uid: string } }) | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head = '', body = '', sig = ''] = parts;
    let payload: JwtPayload;
    try {
      const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
      if (header.alg !== 'RS256') return undefined;
      if (!verify('sha256', Buffer.from(`${head}.${body}`), this.publicKey, Buffer.from(sig, 'base64url'))) return undefined;
      payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as JwtPayload;
    } catch {
      return undefined;
    }
    const secs = Math.floor(now / 1000);
    if (payload.iss !== this.issuer || typeof payload.exp !== 'number' || payload.exp < secs || payload.nbf > secs + 60) return undefined;
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes(this.issuer)) return undefined;
    const k8s = payload['kubernetes.io'];
    if (k8s === undefined || typeof k8s.namespace !== 'string') return undefined;
    const { name, uid } = k8s.serviceaccount;
    return {
      username: `system:serviceaccount:${k8s.namespace}:${name}`,
      uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${payload.jti}`] },
      serviceAccount: { namespace: k8s.namespace, name, uid },
    };
  }
}
