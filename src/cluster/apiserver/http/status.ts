/**
 * The one place where errors become Kubernetes `Status` objects. BerthErrors
 * raised by errors.ts carry their Kubernetes reason/code; errors from other
 * modules (the store, the patch module) only carry a kind, which is mapped
 * here to the reason Kubernetes would use.
 */
import { isBerthError, errorMessage, logger } from '../../../core/index.js';

const log = logger('apiserver.status');

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code?: number;
}

const byKind: Record<string, { code: number; reason: string }> = {
  NotFound: { code: 404, reason: 'NotFound' },
  AlreadyExists: { code: 409, reason: 'AlreadyExists' },
  Conflict: { code: 409, reason: 'Conflict' },
  InvalidArgument: { code: 400, reason: 'BadRequest' },
  FailedPrecondition: { code: 400, reason: 'BadRequest' },
  Unavailable: { code: 503, reason: 'ServiceUnavailable' },
  PermissionDenied: { code: 403, reason: 'Forbidden' },
  NotImplemented: { code: 405, reason: 'MethodNotAllowed' },
  Internal: { code: 500, reason: 'InternalError' },
};

const detailKeys = ['name', 'group', 'kind', 'uid', 'causes', 'retryAfterSeconds'] as const;

export function toStatus(err: unknown): StatusObject {
  if (!isBerthError(err)) {
    log.error('unexpected error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return failure(500, 'InternalError', `Internal error occurred: ${errorMessage(err)}`, undefined);
  }
  const d = err.details ?? {};
  let { code, reason } = byKind[err.kind] ?? { code: 500, reason: 'InternalError' };
  if (typeof d['code'] === 'number') code = d['code'];
  if (typeof d['reason'] === 'string') reason = d['reason'];
  // The store reports a compacted revision as FailedPrecondition/Expired.
  if (err.kind === 'FailedPrecondition' && d['reason'] === 'Expired') code = 410;
  if (err.kind === 'FailedPrecondition' && d['reason'] === 'FutureRevision') {
    code = 504;
    reason = 'Timeout';
  }
  const details: Record<string, unknown> = {};
  for (const key of detailKeys) if (d[key] !== undefined && d[key] !== '') details[key] = d[key];
  return failure(code, reason, err.message, Object.keys(details).length === 0 ? undefined : details);
}

function failure(code: number, reason: string, message: string, details: Record<string, unknown> | undefined): StatusObject {
  const s: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details !== undefined) s.details = details;
  return s;
}

export function successStatus(details: Record<string, unknown> | undefined): StatusObject {
  // Like the generic registry's finalizeDelete: no code on success.
  const s: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details !== undefined) s.details = details;
  return s;
}
