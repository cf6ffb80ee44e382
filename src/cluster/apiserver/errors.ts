/**
 * Builders for the Kubernetes errors the server raises. They are plain
 * BerthErrors whose details carry the Kubernetes reason, code and
 * StatusDetails; http/status.ts turns any BerthError into a Status.
 * Messages follow k8s.io/apimachinery/pkg/api/errors word for word.
 */
import { BerthError, type ErrorKind } from '../../core/index.js';
import type { FieldCause } from './types.js';

/** Group and plural as Kubernetes qualifies them ("deployments.apps", "pods"). */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualified(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

interface K8sDetails {
  reason: string;
  code: number;
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: FieldCause[] | Array<{ reason?: string; message?: string; field?: string }>;
  retryAfterSeconds?: number;
}

function k8sError(kind: ErrorKind, message: string, details: K8sDetails): BerthError {
  return new BerthError(kind, message, { details: { ...details } });
}

export function notFoundError(gr: GroupResource, name: string): BerthError {
  return k8sError('NotFound', `${qualified(gr)} "${name}" not found`, { reason: 'NotFound', code: 404, name, group: gr.group, kind: gr.resource });
}

export function alreadyExistsError(gr: GroupResource, name: string): BerthError {
  return k8sError('AlreadyExists', `${qualified(gr)} "${name}" already exists`, { reason: 'AlreadyExists', code: 409, name, group: gr.group, kind: gr.resource });
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflictError(gr: GroupResource, name: string, why: string = OBJECT_MODIFIED): BerthError {
  return k8sError('Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, { reason: 'Conflict', code: 409, name, group: gr.group, kind: gr.resource });
}

/** 422 Invalid: `Kind.group "name" is invalid: <causes>`. */
export function invalidError(groupKind: { group: string; kind: string }, name: string, causes: FieldCause[]): BerthError {
  const qk = groupKind.group === '' ? groupKind.kind : `${groupKind.kind}.${groupKind.group}`;
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const agg = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  return k8sError('InvalidArgument', `${qk} "${name}" is invalid: ${agg}`, { reason: 'Invalid', code: 422, name, group: groupKind.group, kind: groupKind.kind, causes });
}

export function badRequestError(message: string, causes?: FieldCause[]): BerthError {
  return k8sError('InvalidArgument', message, causes === undefined ? { reason: 'BadRequest', code: 400 } : { reason: 'BadRequest', code: 400, causes });
}

export function forbiddenError(gr: GroupResource, name: string, why: string, causes?: K8sDetails['causes']): BerthError {
  const target = name === '' ? qualified(gr) : `${qualified(gr)} "${name}"`;
  const details: K8sDetails = { reason: 'Forbidden', code: 403, name, group: gr.group, kind: gr.resource };
  if (causes !== undefined) details.causes = causes;
  return k8sError('PermissionDenied', `${target} is forbidden: ${why}`, details);
}

/** 403 for a non-resource path: `forbidden: User "u" cannot get path "/metrics"`. */
export function forbiddenPathError(why: string): BerthError {
  return k8sError('PermissionDenied', `forbidden: ${why}`, { reason: 'Forbidden', code: 403 });
}

/** 410 Expired, used for too-old resource versions and continue tokens. */
export function expiredError(message: string): BerthError {
  return k8sError('FailedPrecondition', message, { reason: 'Expired', code: 410 });
}

export function methodNotSupportedError(gr: GroupResource, action: string): BerthError {
  return k8sError('NotImplemented', `${action} is not supported on resources of kind "${qualified(gr)}"`, { reason: 'MethodNotAllowed', code: 405, group: gr.group, kind: gr.resource });
}

export function unsupportedMediaTypeError(contentType: string): BerthError {
  return k8sError('InvalidArgument', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`
    + (contentType === '' ? '' : ` (got ${contentType})`), { reason: 'UnsupportedMediaType', code: 415 });
}

export function notAcceptableError(accept: string): BerthError {
  return k8sError('InvalidArgument', `only the following media types are accepted: application/json, application/yaml (got ${accept})`, { reason: 'NotAcceptable', code: 406 });
}

export function requestEntityTooLargeError(message: string): BerthError {
  return k8sError('InvalidArgument', message, { reason: 'RequestEntityTooLarge', code: 413 });
}

export function unauthorizedError(): BerthError {
  return k8sError('PermissionDenied', 'Unauthorized', { reason: 'Unauthorized', code: 401 });
}

export function timeoutError(message: string, retryAfterSeconds: number): BerthError {
  return k8sError('Unavailable', message, { reason: 'Timeout', code: 504, retryAfterSeconds });
}

export function internalError(message: string): BerthError {
  return k8sError('Internal', `Internal error occurred: ${message}`, { reason: 'InternalError', code: 500 });
}

/** What kube-apiserver answers for a resource or path it does not serve. */
export function unknownResourceError(): BerthError {
  return k8sError('NotFound', 'the server could not find the requested resource', { reason: 'NotFound', code: 404, causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }] });
}
