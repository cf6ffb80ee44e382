/**
 * Continue tokens as kube-apiserver encodes them: base64 of
 * {"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<next key, relative to the prefix>"}.
 */
import { badRequestError } from '../errors.js';

export interface ContinueToken {
  rv: number;
  /** Key suffix (after the list prefix) to resume from, inclusive. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}

export function decodeContinue(text: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: string; rv?: number; start?: string };
    if (raw.v !== 'meta.k8s.io/v1' || typeof raw.rv !== 'number' || typeof raw.start !== 'string') throw new Error('bad token');
    if (raw.start.includes('..') || raw.start.startsWith('/')) throw new Error('bad token');
    return { rv: raw.rv, start: raw.start };
  } catch {
    throw badRequestError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}
