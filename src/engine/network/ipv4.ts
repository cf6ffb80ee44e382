import { invalidArgument } from '../../core/index.js';

/** An IPv4 prefix as numbers: network address and length. */
export interface Prefix {
  network: number;
  length: number;
}

export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/** Parses `a.b.c.d/len`; `strict` refuses host bits (Docker keeps them, so default is lenient). */
export function parseCidr(text: string): { ip: number; prefix: Prefix } | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1] ?? '');
  const length = Number(m[2]);
  if (ip === undefined || length > 32) return undefined;
  return { ip, prefix: { network: (ip & maskOf(length)) >>> 0, length } };
}

/** Docker's wording for a bad subnet. */
export function requireCidr(text: string, what = 'subnet'): { ip: number; prefix: Prefix } {
  const parsed = parseCidr(text);
  if (!parsed) throw invalidArgument(`Invalid ${what} ${text} : invalid CIDR address: ${text}`);
  return parsed;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.network)}/${p.length}`;
}

export function contains(p: Prefix, ip: number): boolean {
  return ((ip & maskOf(p.length)) >>> 0) === p.network;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  const len = Math.min(a.length, b.length);
  return ((a.network & maskOf(len)) >>> 0) === ((b.network & maskOf(len)) >>> 0);
}

export function broadcastOf(p: Prefix): number {
  return (p.network + 2 ** (32 - p.length) - 1) >>> 0;
}

export function prefixSize(p: Prefix): number {
  return 2 ** (32 - p.length);
}

/** Docker's MAC for an IPv4 endpoint: 02:42 followed by the address bytes. */
export function macForIp(ip: number): string {
  const bytes = [0x02, 0x42, ...[24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256)];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function isValidMac(mac: string): boolean {
  return /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac);
}
