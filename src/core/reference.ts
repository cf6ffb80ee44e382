import { invalidArgument } from './errors.js';
import { isHex64, type Digest } from './digest.js';

/**
 * Image references as Docker parses them (distribution/reference):
 * `busybox` is `docker.io/library/busybox`, shown back as `busybox`;
 * `localhost:5000/a/b:t` keeps its registry; `name@sha256:…` pins a
 * manifest. Parsing failures carry Docker's exact messages.
 */
export interface Reference {
  /** Registry host (with port), `docker.io` by default. */
  domain: string;
  /** Repository path inside the registry, `library/x` for official images. */
  path: string;
  tag?: string;
  digest?: Digest;
}

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
const NAME_TOTAL_LENGTH_MAX = 255;

const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]*)';
const nameComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const namePattern = `(?:${domain}/)?${nameComponent}(?:/${nameComponent})*`;
const REFERENCE_RE = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const TAG_RE = new RegExp(`^${tagPattern}$`);

/** The full name without tag or digest: `docker.io/library/busybox`. */
export function referenceName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** Full string form: `docker.io/library/busybox:latest`. */
export function referenceString(ref: Reference): string {
  return referenceName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** The name as the Docker UI shows it: `busybox`, `user/app`, `localhost:5000/a`. */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return referenceName(ref);
  return ref.path.startsWith(OFFICIAL_PREFIX) ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
}

export function familiarString(ref: Reference): string {
  return familiarName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** Adds `:latest` when neither a tag nor a digest is given (reference.TagNameOnly). */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

export function isNameOnly(ref: Reference): boolean {
  return ref.tag === undefined && ref.digest === undefined;
}

function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  if (i === -1 || (!/[.:]/.test(name.slice(0, i)) && name.slice(0, i) !== 'localhost')) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = name.slice(0, i);
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

/** reference.Parse on an already-qualified string. */
function parseQualified(s: string): Reference {
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (s === '') throw invalidArgument('repository name must have at least one component');
    if (REFERENCE_RE.test(s.toLowerCase())) throw invalidArgument('repository name must be lowercase');
    throw invalidArgument('invalid reference format');
  }
  const name = m[1] ?? '';
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw invalidArgument(`repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  const slash = name.indexOf('/');
  const ref: Reference = { domain: name.slice(0, slash), path: name.slice(slash + 1) };
  if (m[2] !== undefined) ref.tag = m[2];
  if (m[3] !== undefined) {
    const d = m[3];
    if (!d.startsWith('sha256:')) throw invalidArgument('unsupported digest algorithm');
    if (!/^sha256:[a-f0-9]{64}$/.test(d)) throw invalidArgument('invalid checksum digest length');
    ref.digest = d as Digest;
  }
  return ref;
}

/** reference.ParseNormalizedNamed: a familiar or full name to a qualified reference. */
export function parseNormalizedNamed(s: string): Reference {
  if (isHex64(s)) throw invalidArgument(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const { domain: d, remainder } = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName) throw invalidArgument('invalid reference format: repository name must be lowercase');
  return parseQualified(`${d}/${remainder}`);
}

/** A reference, or an image ID given as a full digest or 64 hex characters. */
export type AnyReference = { kind: 'named'; ref: Reference } | { kind: 'digest'; digest: Digest };

/** reference.ParseAnyReference. */
export function parseAnyReference(s: string): AnyReference {
  if (isHex64(s)) return { kind: 'digest', digest: `sha256:${s}` };
  if (/^sha256:[a-f0-9]{64}$/.test(s)) return { kind: 'digest', digest: s as Digest };
  return { kind: 'named', ref: parseNormalizedNamed(s) };
}

/** Validates a tag given separately (`?tag=`), Docker's "invalid tag format". */
export function validateTag(tag: string): void {
  if (!TAG_RE.test(tag)) throw invalidArgument('invalid tag format');
}

/**
 * reference.FamiliarMatch: Go's path.Match of a pattern against the familiar
 * string, then against the familiar name (the `reference` image filter).
 */
export function familiarMatch(pattern: string, ref: Reference): boolean {
  const re = globToRegExp(pattern);
  return re.test(familiarString(ref)) || re.test(familiarName(ref));
}

/** Go path.Match syntax: `*` and `?` never cross `/`, `[...]` classes, `\` escapes. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRe(pattern[++i] ?? '');
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw invalidArgument('syntax error in pattern');
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) cls = '^' + cls.slice(1);
      out += `[${cls.replace(/\\(?!.)/g, '\\\\')}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
