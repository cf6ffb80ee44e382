import { randomBytes } from 'node:crypto';
import { invalidArgument } from '../../core/index.js';

/** Docker's RestrictedNameChars, quoted in its error message. */
const RESTRICTED_CHARS = '[a-zA-Z0-9][a-zA-Z0-9_.-]';
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Docker's local driver rules for a volume name (messages as dockerd 20.10 words them). */
export function validateVolumeName(name: string): void {
  if (name.length === 1) throw invalidArgument('volume name is too short, names should be at least two alphanumeric characters');
  if (!NAME_RE.test(name)) {
    throw invalidArgument(`"${name}" includes invalid characters for a local volume name, only "${RESTRICTED_CHARS}" are allowed. If you intended to pass a host directory, use absolute path`);
  }
}

/** A name for an anonymous volume: 64 hex digits, like Docker's stringid.GenerateRandomID. */
export function generateVolumeName(): string {
  for (;;) {
    const id = randomBytes(32).toString('hex');
    // Docker avoids ids whose short form reads as a number.
    if (!/^[0-9]{12}$/.test(id.slice(0, 12))) return id;
  }
}

/** True for names that can never be volumes (Berth's own staging entries start with a dot). */
export function isReservedEntry(entry: string): boolean {
  return !NAME_RE.test(entry);
}
