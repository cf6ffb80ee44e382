/**
 * Routes a resource request (already authenticated and authorized) to its
 * handler by verb and subresource.
 */
import type { IncomingMessage } from 'node:http';
import { handleReview, reviewResources } from './endpoints/reviews.js';
import { handleTokenRequest } from './endpoints/token-request.js';
import { handleBinding } from './endpoints/pod-binding.js';
import { handleEviction } from './endpoints/pod-eviction.js';
import { methodNotSupportedError, unknownResourceError } from './errors.js';
import { readBody, decodeObject, mediaType } from './http/body.js';
import { writeJson } from './http/respond.js';
import type { Call, ServerServices } from './rest/handler-context.js';
import { handleGet, handleList, handleWatch } from './rest/read-handlers.js';
import { handleScale } from './rest/scale-handlers.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './rest/write-handlers.js';
import { parseWriteOptions } from './rest/write-options.js';
import type { RequestInfo, ResourceType, UserInfo } from './types.js';

const reviewKinds: Record<string, string> = {
  selfsubjectaccessreviews: 'SelfSubjectAccessReview', selfsubjectrulesreviews: 'SelfSubjectRulesReview',
  subjectaccessreviews: 'SubjectAccessReview', localsubjectaccessreviews: 'LocalSubjectAccessReview',
  selfsubjectreviews: 'SelfSubjectReview', tokenreviews: 'TokenReview',
};

/** Review resources are answered even when the schema does not list them. */
function virtualType(info: RequestInfo): ResourceType | undefined {
  if (!reviewResources.has(`${info.group}/${info.resource}`) || info.version !== 'v1') return undefined;
  const kind = reviewKinds[info.resource] ?? '';
  return {
    group: info.group, version: 'v1', resource: info.resource, kind, listKind: `${kind}List`, singular: info.resource.slice(0, -1),
    namespaced: info.resource === 'localsubjectaccessreviews', shortNames: [], categories: [], verbs: ['create'], hasStatus: false,
  };
}

export interface RouteArgs {
  req: IncomingMessage;
  res: Call['res'];
  info: RequestInfo;
  user: UserInfo;
  query: URLSearchParams;
  authenticateToken: (token: string) => Promise<UserInfo | undefined>;
  /** The request's abort signal, created on first call. */
  signal: () => AbortSignal;
}

export function resolveType(s: ServerServices, info: RequestInfo): ResourceType {
  const type = s.collab.schema.lookup(info.group, info.version, info.resource) ?? virtualType(info);
  if (type === undefined) throw unknownResourceError();
  // Namespaced resources need a namespace for single objects and creates; cluster ones must not have one.
  const isNamespaceObject = type.group === '' && type.resource === 'namespaces';
  if (!type.namespaced && info.namespace !== '' && !isNamespaceObject) throw unknownResourceError();
  if (type.namespaced && info.namespace === '' && !['list', 'watch'].includes(info.verb)) throw unknownResourceError();
  return type;
}

export async function routeResource(s: ServerServices, a: RouteArgs): Promise<void> {
  const type = resolveType(s, a.info);
  const info = type.namespaced ? a.info : { ...a.info, namespace: '' };
  const c: Call = { req: a.req, res: a.res, info, user: a.user, query: a.query, type, get signal() { return a.signal(); } };
  const verb = info.verb;
  if (reviewResources.has(`${type.group}/${type.resource}`)) return handleReview(s, c, a.authenticateToken);
  if (type.group === '' && type.resource === 'bindings' && verb === 'create') {
    const pods = s.collab.schema.lookup('', 'v1', 'pods');
    if (pods !== undefined) return handleBinding(s, c, pods);
  }
  const gr = { group: type.group, resource: type.resource };
  switch (info.subresource) {
    case '':
      if (!type.verbs.includes(verb) && !(verb === 'watch' && type.verbs.includes('list'))) throw methodNotSupportedError(gr, verb);
      switch (verb) {
        case 'get': return handleGet(s, c);
        case 'list': return handleList(s, c);
        case 'watch': return handleWatch(s, c);
        case 'create': return handleCreate(s, c);
        case 'update': return handleUpdate(s, c, '');
        case 'patch': return handlePatch(s, c, '');
        case 'delete': return handleDelete(s, c);
        case 'deletecollection': return handleDeleteCollection(s, c);
      }
      throw methodNotSupportedError(gr, verb);
    case 'status':
      if (!type.hasStatus) throw unknownResourceError();
      if (verb === 'get') return handleGet(s, c);
      if (verb === 'update') return handleUpdate(s, c, 'status');
      if (verb === 'patch') return handlePatch(s, c, 'status');
      throw methodNotSupportedError(gr, verb);
    case 'scale':
      return handleScale(s, c);
    case 'eviction':
      if (type.group === '' && type.resource === 'pods' && verb === 'create') return handleEviction(s, c);
      break;
    case 'binding':
      if (type.group === '' && type.resource === 'pods' && verb === 'create') return handleBinding(s, c, type);
      break;
    case 'token':
      if (type.group === '' && type.resource === 'serviceaccounts') return handleTokenRequest(s, c);
      break;
    case 'approval':
      if (type.group === 'certificates.k8s.io' && type.resource === 'certificatesigningrequests') {
        if (verb === 'get') return handleGet(s, c);
        if (verb === 'update') return handleUpdate(s, c, 'approval');
        if (verb === 'patch') return handlePatch(s, c, 'approval');
      }
      break;
    case 'finalize':
      if (type.group === '' && type.resource === 'namespaces' && verb === 'update') return finalizeNamespace(s, c);
      break;
  }
  throw unknownResourceError();
}

async function finalizeNamespace(s: ServerServices, c: Call): Promise<void> {
  const body = decodeObject(await readBody(c.req), mediaType(c.req), s.collab.protobuf);
  const options = parseWriteOptions(c.query, c.req.headers['user-agent'], 'finalize');
  const r = await s.writer.mutate(c.type, '', c.info.name, options, () => body);
  writeJson(c.res, 200, r.object);
}
