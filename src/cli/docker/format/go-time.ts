/**
 * Go time formatting and parsing the docker CLI relies on: `time.Time.String()`
 * ("2006-01-02 15:04:05 -0700 MST"), RFC3339Nano with a fixed 9-digit
 * fraction (events), `time.ParseDuration`, and timetypes.GetTimestamp for
 * `--since`/`--until` (durations, RFC3339 forms, dates, unix timestamps).
 */
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (part === 'UTC' || part === 'GMT') return 'UTC';
  return /^GMT[+-]/.test(part) ? offsetString(d, false) : part;
}

function offsetString(d: Date, colon: boolean): string {
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${pad(Math.trunc(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

function localDateTime(d: Date, sep: string): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}${sep}${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** time.Unix(sec, nsec).String() in the local zone. */
export function goTimeString(seconds: number, nanos = 0): string {
  const d = new Date(seconds * 1000);
  const frac = nanos > 0 ? `.${pad(nanos, 9).replace(/0+$/, '')}` : '';
  return `${localDateTime(d, ' ')}${frac} ${offsetString(d, false)} ${zoneName(d)}`;
}

/** jsonmessage.RFC3339NanoFixed of a nanosecond timestamp, in the local zone. */
export function rfc3339NanoFixed(timeNano: bigint): string {
  const ms = Number(timeNano / 1_000_000n);
  const d = new Date(ms);
  const nanos = Number(timeNano % 1_000_000_000n);
  const zone = d.getTimezoneOffset() === 0 ? 'Z' : offsetString(d, true);
  return `${localDateTime(d, 'T')}.${pad(nanos, 9)}${zone}`;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration, in nanoseconds. */
export function parseGoDuration(s: string): number {
  const bad = (): Error => new Error(`time: invalid duration "${s}"`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  let total = 0;
  while (rest !== '') {
    const m = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') throw m ? bad() : new Error(/^\d*\.?\d*$/.test(rest) ? `time: missing unit in duration "${s}"` : `time: unknown unit "${rest.replace(/^[\d.]+/, '')}" in duration "${s}"`);
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return sign * Math.round(total);
}

/** Splits "sec.frac" into seconds and nanoseconds. */
function parseUnix(value: string): [number, number] | undefined {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (!m) return undefined;
  return [Number(m[1]), Number((m[2] ?? '').padEnd(9, '0'))];
}

/** timetypes.GetTimestamp: the value sent as `since`/`until`. */
export function getTimestamp(value: string, nowMs: number = Date.now()): string {
  if (value !== '0') {
    try {
      const d = parseGoDuration(value);
      return String(Math.floor((nowMs - d / 1e6) / 1000));
    } catch {
      /* not a duration */
    }
  }
  const hasZone = /[zZ+]/.test(value) || value.split('-').length - 1 === 3;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2}))?(?::(\d{2}))?(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (m && (hasZone ? m[8] !== undefined || m[4] === undefined : m[8] === undefined)) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
    let ms: number;
    if (zone === undefined) ms = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)).getTime();
    else {
      ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
      if (zone !== 'Z' && zone !== 'z') {
        const sign = zone[0] === '-' ? -1 : 1;
        ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
      }
    }
    return `${Math.floor(ms / 1000)}.${frac.padEnd(9, '0')}`;
  }
  if (value.includes('-')) throw new Error(`parsing time "${value}" as "2006-01-02T15:04:05Z07:00": cannot parse "${value}" as "2006"`);
  if (!parseUnix(value)) throw new Error(`failed to parse value as time or duration: "${value}"`);
  return value;
}

/** A `since`/`until` value ("sec.nanos") as nanoseconds since the epoch. */
export function timestampToNanos(value: string): bigint {
  const u = parseUnix(value);
  if (!u) return 0n;
  return BigInt(u[0]) * 1_000_000_000n + BigInt(u[1]);
}
