/**
 * resource.Quantity syntax and comparison (apimachinery/pkg/api/resource):
 * enough to reject what Kubernetes' decoder rejects and to compare requests
 * with limits. Values are compared as floats of base units, which is exact
 * for every quantity people write.
 */

export const QUANTITY_REGEX_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The value in base units, or undefined when Kubernetes would refuse the string. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(v.trim());
  if (m === null || v.trim() !== v || v === '') return undefined;
  const numberPart = m[1]!;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(numberPart)) return undefined;
  const suffix = m[2]!;
  const n = Number(numberPart);
  if (suffix in binary) return n * binary[suffix]!;
  if (suffix in decimal) return n * decimal[suffix]!;
  const exp = /^[eE]([-+]?\d+)$/.exec(suffix);
  if (exp !== null) return n * 10 ** Number(exp[1]);
  return undefined;
}

export function isValidQuantity(v: unknown): boolean {
  return parseQuantity(v) !== undefined;
}
