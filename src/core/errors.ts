/**
 * The closed set of error kinds Berth uses everywhere below the API edges.
 * Each edge (engine/api, cluster/apiserver, registry/server) maps a kind to
 * its protocol's status code and body in exactly one place.
 */
export type ErrorKind =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'InvalidArgument'
  | 'FailedPrecondition'
  | 'Unavailable'
  | 'PermissionDenied'
  | 'NotImplemented'
  | 'Internal';

export interface BerthErrorOptions {
  cause?: unknown;
  /** Extra structured detail an edge may render (e.g. Kubernetes field causes). */
  details?: Record<string, unknown>;
}

export class BerthError extends Error {
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, options: BerthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BerthError';
    this.kind = kind;
    this.details = options.details;
  }
}

const make = (kind: ErrorKind) => (message: string, options?: BerthErrorOptions) =>
  new BerthError(kind, message, options);

export const notFound = make('NotFound');
export const alreadyExists = make('AlreadyExists');
export const conflict = make('Conflict');
export const invalidArgument = make('InvalidArgument');
export const failedPrecondition = make('FailedPrecondition');
export const unavailable = make('Unavailable');
export const permissionDenied = make('PermissionDenied');
export const notImplemented = make('NotImplemented');
export const internal = make('Internal');

export function isBerthError(err: unknown, kind?: ErrorKind): err is BerthError {
  return err instanceof BerthError && (kind === undefined || err.kind === kind);
}

/** Message of any thrown value, for logs and for wrapping. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
