/**
 * Nanosecond timestamps as Go's time.RFC3339Nano renders them in UTC (what
 * Docker's json-file stores): fraction without trailing zeros, "Z" zone.
 */
const startWall = BigInt(Date.now()) * 1_000_000n;
const startMono = process.hrtime.bigint();

/** Wall-clock now in ns since the epoch, with sub-millisecond precision from the monotonic clock. */
export function nowNano(): bigint {
  return startWall + (process.hrtime.bigint() - startMono);
}

export function formatRfc3339Nano(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = (((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

/** Parses RFC3339 with optional fraction and any zone; NaN-free: throws on garbage. */
export function parseRfc3339Nano(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) throw new Error(`bad RFC3339 time: ${text}`);
  const secs = Date.parse(`${m[1]}${m[3] === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(secs)) throw new Error(`bad RFC3339 time: ${text}`);
  return BigInt(secs) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

export function dateToNano(d: Date): bigint {
  return BigInt(d.getTime()) * 1_000_000n;
}
