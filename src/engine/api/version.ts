/** API versions this engine speaks: Docker Engine API 1.41, down to 1.24. */
export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.24';
export const ENGINE_VERSION = '20.10.24-berth';
export const SERVER_HEADER = `Docker/${ENGINE_VERSION} (linux)`;

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export interface VersionedPath {
  /** Path without the /vX.Y prefix. */
  path: string;
  /** Version the client asked for (API_VERSION when unversioned, as dockerd treats it). */
  version: string;
  explicit: boolean;
}

export function splitVersion(path: string): VersionedPath {
  const m = /^\/v(\d+(?:\.\d+)*)(\/.*)$/.exec(path);
  if (!m) return { path, version: API_VERSION, explicit: false };
  return { path: m[2] ?? '/', version: m[1] ?? API_VERSION, explicit: true };
}
