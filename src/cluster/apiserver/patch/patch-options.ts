/**
 * The request options around patches and writes: which manager a write is
 * recorded under, and PatchOptions validation (fieldManager is required for
 * apply, force only allowed there), worded like apimachinery's validation.
 */
import type { PatchType } from './index.js';
import { invalidPatchOptions } from './patch-errors.js';

const FIELD_MANAGER_MAX_LENGTH = 128;

function isPrintable(ch: string): boolean {
  // unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** The user agent up to its first "/", printable characters only, at most 128 bytes ("kubectl/v1.32 …" → "kubectl"). */
export function prefixFromUserAgent(userAgent: string): string {
  const head = userAgent.split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!isPrintable(ch)) continue;
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** ?fieldManager= when given, else the user agent prefix. */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager !== undefined && fieldManager !== '') return fieldManager;
  return prefixFromUserAgent(userAgent ?? '');
}

export interface PatchOptionsInput {
  patchType: PatchType;
  fieldManager?: string | undefined;
  /** Whether ?force= was given at all. */
  force?: boolean | undefined;
  dryRun?: readonly string[] | undefined;
  fieldValidation?: string | undefined;
}

/** Throws the 422 Kubernetes answers for invalid PatchOptions. */
export function validatePatchOptions(o: PatchOptionsInput): void {
  const causes: { field: string; reason: string; message: string }[] = [];
  const fm = o.fieldManager ?? '';
  if (o.patchType !== 'apply') {
    if (o.force !== undefined) causes.push({ field: 'force', reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch' });
  } else if (fm === '') {
    causes.push({ field: 'fieldManager', reason: 'FieldValueRequired', message: 'Required value: is required for apply patch' });
  }
  if (Buffer.byteLength(fm, 'utf8') > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({ field: 'fieldManager', reason: 'FieldValueTooLong', message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  let pos = 0;
  for (const ch of fm) {
    if (!isPrintable(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      causes.push({ field: 'fieldManager', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(fm)}: invalid character U+${hex} (at position ${pos})` });
    }
    pos += Buffer.byteLength(ch, 'utf8');
  }
  for (const d of o.dryRun ?? []) {
    if (d !== 'All') causes.push({ field: 'dryRun', reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(d)}: supported values: "All"` });
  }
  const fv = o.fieldValidation ?? '';
  if (fv !== '' && fv !== 'Ignore' && fv !== 'Warn' && fv !== 'Strict') {
    causes.push({ field: 'fieldValidation', reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"` });
  }
  if (causes.length > 0) throw invalidPatchOptions(causes);
}
