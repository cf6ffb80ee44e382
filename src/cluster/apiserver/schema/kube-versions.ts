/**
 * Kubernetes version ordering (apimachinery's CompareKubeAwareVersionStrings):
 * v2 > v1 > v11beta2 > v10beta3 > v3beta1 > v12alpha1 > v11alpha2 > foo1 > foo10.
 */
const pattern = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

interface Parsed {
  major: number;
  /** 2 GA, 1 beta, 0 alpha. */
  stability: number;
  minor: number;
}

function parse(v: string): Parsed | undefined {
  const m = pattern.exec(v);
  if (m === null) return undefined;
  const stability = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
  return { major: Number(m[1]), stability, minor: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Negative when `a` has higher priority than `b` (sorts preferred first). */
export function compareKubeVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa === undefined && pb === undefined) return a < b ? -1 : a > b ? 1 : 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  if (pa.stability !== pb.stability) return pb.stability - pa.stability;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}
