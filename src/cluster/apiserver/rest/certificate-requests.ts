/**
 * CertificateSigningRequest rules from upstream's csr strategies: a create
 * records who asks (spec.username, uid, groups, extra; never what the client
 * claims) and cannot be pre-approved; the `approval` subresource (`kubectl
 * certificate approve|deny`) changes only status.conditions, whose
 * timestamps it fills in.
 */
import type { KubeObject, UserInfo } from '../types.js';
import { nowTimestamp } from './object-meta.js';

type Condition = Record<string, unknown>;

function conditionsOf(obj: KubeObject): Condition[] {
  const status = obj['status'] as { conditions?: unknown } | undefined;
  return Array.isArray(status?.conditions) ? (status.conditions as Condition[]) : [];
}

/** The approval write of `next` over `old` (metadata as the caller prepared it). */
export function approvalUpdate(next: KubeObject, old: KubeObject): KubeObject {
  const now = nowTimestamp();
  const previous = conditionsOf(old);
  const conditions = conditionsOf(next).map((c) => {
    const before = previous.find((p) => p['type'] === c['type']);
    const out = { ...c };
    if (out['lastUpdateTime'] === undefined || out['lastUpdateTime'] === null) out['lastUpdateTime'] = now;
    if (out['lastTransitionTime'] === undefined || out['lastTransitionTime'] === null) {
      out['lastTransitionTime'] = before !== undefined && before['status'] === c['status'] && typeof before['lastTransitionTime'] === 'string' ? before['lastTransitionTime'] : now;
    }
    return out;
  });
  const oldStatus = (old['status'] ?? {}) as Record<string, unknown>;
  const status: Record<string, unknown> = { ...oldStatus };
  if (conditions.length > 0) status['conditions'] = conditions;
  else delete status['conditions'];
  const out: KubeObject = { ...next, status };
  if (old['spec'] === undefined) delete out['spec'];
  else out['spec'] = old['spec'];
  return out;
}

export function isCertificateRequests(type: { group: string; resource: string }): boolean {
  return type.group === 'certificates.k8s.io' && type.resource === 'certificatesigningrequests';
}

/** Create: the requester from the request's authenticated user, and no status. */
export function stampRequester(obj: KubeObject, user: UserInfo | undefined): void {
  const spec = { ...((obj['spec'] ?? {}) as Record<string, unknown>) };
  for (const k of ['username', 'uid', 'groups', 'extra']) delete spec[k];
  if (user !== undefined) {
    spec['username'] = user.username;
    if (user.uid !== undefined && user.uid !== '') spec['uid'] = user.uid;
    if (user.groups.length > 0) spec['groups'] = [...user.groups];
    if (user.extra !== undefined && Object.keys(user.extra).length > 0) spec['extra'] = user.extra;
  }
  obj['spec'] = spec;
  obj['status'] = {};
}
