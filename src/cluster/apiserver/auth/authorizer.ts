/**
 * The authorization seam. Every request goes through authorize(); today any
 * authenticated user may do anything (RBAC comes later and replaces the
 * body of this class, not its callers). Reviews (SelfSubjectAccessReview,
 * SelfSubjectRulesReview, `kubectl auth can-i`) answer from here too.
 */
import type { UserInfo } from '../types.js';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  namespace: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  name: string;
  path: string;
}

export interface Decision {
  allowed: boolean;
  /** Why: rendered into 403 messages and review status. */
  reason: string;
}

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): Promise<Decision>;
  rulesFor(user: UserInfo, namespace: string): Promise<{ resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean }>;
}

export class AllowAuthenticated implements Authorizer {
  async authorize(attributes: AuthorizationAttributes): Promise<Decision> {
    const ok = attributes.user.groups.includes('system:authenticated');
    return ok ? { allowed: true, reason: '' } : { allowed: false, reason: 'not authenticated' };
  }

  async rulesFor(user: UserInfo): Promise<{ resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean }> {
    if (!user.groups.includes('system:authenticated')) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
}
