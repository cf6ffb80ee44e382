/**
 * The store-specific error shapes the API server relies on: it turns
 * 'Expired' into 410 Expired and 'FutureRevision' into a "too large resource
 * version" answer. Both backends build them here so they look identical.
 */
import { BerthError, failedPrecondition, isBerthError } from '../../core/index.js';

export type RevisionErrorReason = 'Expired' | 'FutureRevision';

export function expired(requestedRevision: number, compactedRevision: number): BerthError {
  return failedPrecondition(
    `required revision ${requestedRevision} has been compacted (oldest available revision ${compactedRevision})`,
    { details: { reason: 'Expired', requestedRevision, compactedRevision } },
  );
}

export function futureRevision(requestedRevision: number, currentRevision: number): BerthError {
  return failedPrecondition(
    `required revision ${requestedRevision} is a future revision (current revision ${currentRevision})`,
    { details: { reason: 'FutureRevision', requestedRevision, currentRevision } },
  );
}

/** True for a FailedPrecondition carrying the given reason. */
export function isRevisionError(err: unknown, reason: RevisionErrorReason): err is BerthError {
  return isBerthError(err, 'FailedPrecondition') && err.details?.['reason'] === reason;
}
