/**
 * docker/go-units: human sizes (decimal `HumanSize`, binary `BytesSize`),
 * `HumanDuration` ("5 minutes"), and `RAMInBytes` for flags like --memory.
 */
const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** Go's `%.*g`: shortest of %e/%f at `precision` significant digits, trailing zeros removed. */
export function formatG(x: number, precision: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const p = Math.max(precision, 1);
  const exp = Number(x.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [mant, e] = x.toExponential(p - 1).split('e') as [string, string];
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function sizeAndUnit(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]!];
}

export function humanSizeWithPrecision(size: number, precision: number): string {
  const [n, unit] = sizeAndUnit(size, 1000, DECIMAL);
  return formatG(n, precision) + unit;
}

export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

export function bytesSize(size: number): string {
  const [n, unit] = sizeAndUnit(size, 1024, BINARY);
  return formatG(n, 4) + unit;
}

/** units.HumanDuration of a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

const BINARY_MUL: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** units.RAMInBytes: "64m", "1.5g", "512k", "100" (bytes); binary multiples. */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(.*)$/.exec(s);
  if (!m) throw new Error(`invalid size: '${s}'`);
  const suffix = m[2]!;
  const sm = /^ ?([kmgtp])?(i?b)?$/i.exec(suffix);
  if (!sm || (sm[2] !== undefined && sm[2].length === 2 && sm[1] === undefined)) throw new Error(`invalid suffix: '${suffix.trim()}'`);
  return Math.trunc(Number(m[1]) * BINARY_MUL[(sm[1] ?? '').toLowerCase()]!);
}
