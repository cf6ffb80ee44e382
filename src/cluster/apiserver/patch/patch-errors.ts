/**
 * The Kubernetes errors the patch engines raise. Like apiserver/errors.ts,
 * each is a BerthError whose details carry the Status `reason`, `code` and
 * `causes`, so the API edge renders them without knowing this module.
 */
import { BerthError, type ErrorKind } from '../../../core/index.js';

export interface StatusCause {
  type?: string;
  message: string;
  field?: string;
}

function k8s(kind: ErrorKind, message: string, reason: string, code: number, extra: Record<string, unknown> = {}, cause?: unknown): BerthError {
  return new BerthError(kind, message, { details: { reason, code, ...extra }, ...(cause === undefined ? {} : { cause }) });
}

/** 400 BadRequest with the message as is. */
export function badRequest(message: string): BerthError {
  return k8s('InvalidArgument', message, 'BadRequest', 400);
}

/**
 * 422 built by NewGenericServerResponse: Kubernetes replaces the underlying
 * message with a fixed sentence (kubectl prints "The request is invalid: ...").
 * The original message stays on the error's cause for logs.
 */
export function genericUnprocessable(underlying: string): BerthError {
  return k8s('InvalidArgument', 'the server rejected our request due to an error in our request', 'Invalid', 422, {}, new Error(underlying));
}

/** 422 Invalid with one field cause, as errors.NewInvalid(GroupKind{}, "", ...) renders it. */
export function invalidField(field: string, badValue: string, detail: string): BerthError {
  const message = ` "" is invalid: ${field}: Invalid value: ${JSON.stringify(badValue)}: ${detail}`;
  return k8s('InvalidArgument', message, 'Invalid', 422, {
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(badValue)}: ${detail}`, field }],
  });
}

export function unsupportedMediaType(accepted: readonly string[]): BerthError {
  return k8s('InvalidArgument', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, 'UnsupportedMediaType', 415);
}

export function entityTooLarge(message: string): BerthError {
  return k8s('InvalidArgument', `Request entity too large: ${message}`, 'RequestEntityTooLarge', 413);
}

/** 409 from server-side apply; causes are FieldManagerConflict entries. */
export function applyConflict(message: string, causes: StatusCause[]): BerthError {
  return k8s('Conflict', message, 'Conflict', 409, { causes });
}

/**
 * What Kubernetes answers for a plain Go error reaching the handler:
 * code 500, no reason, the error text as message.
 */
export function plainServerError(message: string): BerthError {
  return k8s('Internal', message, '', 500);
}

/** 422 Invalid for PatchOptions ("PatchOptions.meta.k8s.io "" is invalid: ..."). */
export function invalidPatchOptions(causes: { field: string; reason: string; message: string }[]): BerthError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const agg = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  return k8s('InvalidArgument', `PatchOptions.meta.k8s.io "" is invalid: ${agg}`, 'Invalid', 422, {
    group: 'meta.k8s.io',
    kind: 'PatchOptions',
    causes,
  });
}
