import { BerthError, errorMessage, logger, type ErrorKind } from '../../core/index.js';
import type { ApiResponse } from './response.js';

const log = logger('engine.api');

/** The one place where Berth's error kinds become Docker API status codes. */
const statusOf: Record<ErrorKind, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  InvalidArgument: 400,
  FailedPrecondition: 409,
  Unavailable: 503,
  PermissionDenied: 403,
  NotImplemented: 501,
  Internal: 500,
};

export function statusForError(err: unknown): number {
  if (err instanceof BerthError) {
    const override = err.details?.['status'];
    return typeof override === 'number' ? override : statusOf[err.kind];
  }
  return 500;
}

/** Renders any error as Docker's `{"message": "..."}`. */
export function renderError(res: ApiResponse, err: unknown): void {
  const status = statusForError(err);
  if (status >= 500) log.error('request failed', { err: errorMessage(err) });
  if (res.headersSent) return;
  // An unread oversized body cannot be skipped on a kept-alive connection.
  res.json(status, { message: errorMessage(err) }, status === 413 ? { Connection: 'close' } : {});
}
