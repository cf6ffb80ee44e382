/**
 * Splits a request path into the parts Kubernetes authorizes and routes on
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}/{name}
 * Anything else is a non-resource request.
 */
import type { RequestInfo } from '../types.js';

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), prefix: '', group: '', version: '',
    namespace: '', resource: '', subresource: '', name: '',
  };
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  let rest: string[];
  if (prefix === 'api') {
    if (parts.length < 3) return info;
    info.version = parts[1] ?? '';
    rest = parts.slice(2);
  } else {
    if (parts.length < 4) return info;
    info.group = parts[1] ?? '';
    info.version = parts[2] ?? '';
    rest = parts.slice(3);
  }
  info.prefix = prefix;
  info.isResourceRequest = true;

  // /namespaces/{ns}/{resource}... except /namespaces/{name}[/status|finalize]
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    info.namespace = rest[1] ?? '';
    if (rest.length >= 3 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  if (rest.length > 3) info.subresource = rest.slice(2).join('/');

  const watch = query.get('watch');
  const isWatch = watch === 'true' || watch === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name === '' ? (isWatch ? 'watch' : 'list') : isWatch ? 'watch' : 'get';
      break;
    case 'POST': info.verb = 'create'; break;
    case 'PUT': info.verb = 'update'; break;
    case 'PATCH': info.verb = 'patch'; break;
    case 'DELETE': info.verb = info.name === '' ? 'deletecollection' : 'delete'; break;
    default: info.verb = method.toLowerCase();
  }
  // A single-object watch (?watch=true on /name) is a watch of the collection filtered by name.
  return info;
}
