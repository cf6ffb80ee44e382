/**
 * Virtual, create-only review resources answered from the authorize seam
 * and the authenticator: SelfSubjectAccessReview, SelfSubjectRulesReview,
 * SubjectAccessReview, LocalSubjectAccessReview (authorization.k8s.io/v1),
 * SelfSubjectReview and TokenReview (authentication.k8s.io/v1).
 */
import type { AuthorizationAttributes } from '../auth/index.js';
import { readBody, decodeObject, mediaType } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { badRequestError, methodNotSupportedError } from '../errors.js';
import type { KubeObject, UserInfo } from '../types.js';
import type { Call, ServerServices } from '../rest/handler-context.js';

export const reviewResources = new Set([
  'authorization.k8s.io/selfsubjectaccessreviews', 'authorization.k8s.io/selfsubjectrulesreviews',
  'authorization.k8s.io/subjectaccessreviews', 'authorization.k8s.io/localsubjectaccessreviews',
  'authentication.k8s.io/selfsubjectreviews', 'authentication.k8s.io/tokenreviews',
]);

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function attributesFor(user: UserInfo, spec: Rec): AuthorizationAttributes {
  const ra = spec['resourceAttributes'];
  const nra = rec(spec['nonResourceAttributes']);
  if (ra !== undefined && ra !== null) {
    const r = rec(ra);
    return {
      user, verb: str(r['verb']), isResourceRequest: true, namespace: str(r['namespace']), group: str(r['group']), version: str(r['version']),
      resource: str(r['resource']), subresource: str(r['subresource']), name: str(r['name']), path: '',
    };
  }
  return { user, verb: str(nra['verb']), isResourceRequest: false, namespace: '', group: '', version: '', resource: '', subresource: '', name: '', path: str(nra['path']) };
}

function userFromSpec(spec: Rec): UserInfo {
  const groups = Array.isArray(spec['groups']) ? (spec['groups'] as unknown[]).map(str) : [];
  const u: UserInfo = { username: str(spec['user']), groups };
  if (str(spec['uid']) !== '') u.uid = str(spec['uid']);
  return u;
}

function userInfoJson(u: UserInfo): Rec {
  const out: Rec = { username: u.username, groups: u.groups };
  if (u.uid !== undefined) out['uid'] = u.uid;
  if (u.extra !== undefined) out['extra'] = u.extra;
  return out;
}

export async function handleReview(s: ServerServices, c: Call, authenticateToken: (token: string) => Promise<UserInfo | undefined>): Promise<void> {
  const key = `${c.type.group}/${c.type.resource}`;
  if (c.info.verb !== 'create') throw methodNotSupportedError({ group: c.type.group, resource: c.type.resource }, c.info.verb);
  const body = await readBody(c.req);
  // A SelfSubjectReview has no spec: its body (JSON or protobuf) needs no decoding.
  const bodyless = key === 'authentication.k8s.io/selfsubjectreviews' || body.length === 0;
  const obj: KubeObject = bodyless ? { metadata: {} } : decodeObject(body, mediaType(c.req), s.collab.protobuf);
  const spec = rec(obj['spec']);
  let status: Rec;
  switch (key) {
    case 'authorization.k8s.io/selfsubjectaccessreviews':
    case 'authorization.k8s.io/subjectaccessreviews':
    case 'authorization.k8s.io/localsubjectaccessreviews': {
      const user = key.endsWith('/selfsubjectaccessreviews') ? c.user : userFromSpec(spec);
      const attrs = attributesFor(user, spec);
      if (key.endsWith('/localsubjectaccessreviews') && attrs.namespace !== c.info.namespace) {
        throw badRequestError('spec.resourceAttributes.namespace must match metadata.namespace');
      }
      const d = await s.authorizer.authorize(attrs);
      status = { allowed: d.allowed };
      if (d.reason !== '') status['reason'] = d.reason;
      if (!d.allowed) status['denied'] = false;
      break;
    }
    case 'authorization.k8s.io/selfsubjectrulesreviews': {
      const rules = await s.authorizer.rulesFor(c.user, str(spec['namespace']));
      status = { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
      break;
    }
    case 'authentication.k8s.io/selfsubjectreviews':
      status = { userInfo: userInfoJson(c.user) };
      break;
    default: {
      const user = await authenticateToken(str(spec['token']));
      status = user === undefined ? { authenticated: false, user: {}, error: 'invalid bearer token' } : { authenticated: true, user: userInfoJson(user), audiences: ['https://kubernetes.default.svc.cluster.local'] };
    }
  }
  const meta: Rec = { ...obj.metadata };
  if (meta['creationTimestamp'] === undefined) meta['creationTimestamp'] = null;
  writeJson(c.res, 201, { kind: c.type.kind, apiVersion: `${c.type.group}/${c.type.version}`, metadata: meta, spec, status });
}
