/** Options common to create, update and patch, parsed from the query string. */
import { badRequestError } from '../errors.js';
import type { FieldValidation, UserInfo } from '../types.js';

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  /** "", "status", "finalize" or "scale" (main-resource rules, recorded as a scale write in managedFields). */
  subresource: string;
  /** The JSON body as sent (create/update) or the merge/strategic patch, where duplicate fields are looked for. */
  rawBody?: string;
  /** Who asks, for kinds that record it (CertificateSigningRequest spec.username). */
  requester?: UserInfo;
}

export function parseWriteOptions(query: URLSearchParams, userAgent: string | undefined, subresource: string): WriteOptions {
  const dryRun = query.getAll('dryRun');
  for (const d of dryRun) if (d !== 'All') throw badRequestError(`Invalid dry run value: "${d}": supported values: "All"`);
  const fv = query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') throw badRequestError(`fieldValidation: Unsupported value: "${fv}": supported values: "Ignore", "Strict", "Warn"`);
  let manager = query.get('fieldManager') ?? '';
  if (manager.length > 128) throw badRequestError('fieldManager: Too long: may not be longer than 128 characters');
  // Like upstream: the manager defaults to the user agent's program name.
  if (manager === '') manager = (userAgent ?? 'unknown').split('/')[0] ?? 'unknown';
  return { dryRun: dryRun.length > 0, fieldManager: manager, fieldValidation: fv, subresource };
}
