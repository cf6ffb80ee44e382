/**
 * Flag-value checks with the Go parse errors the docker CLI reports
 * (strconv.ParseInt, time.ParseDuration, units.RAMInBytes, NanoCPUs).
 */
import { parseGoDuration } from '../format/go-time.js';
import { ramInBytes } from '../format/units.js';

export function parseIntStrict(v: string): number {
  if (!/^[-+]?\d+$/.test(v)) throw new Error(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

export function checkInt(v: string): void {
  parseIntStrict(v);
}

export function checkUint(v: string): void {
  if (!/^\+?\d+$/.test(v)) throw new Error(`strconv.ParseUint: parsing "${v}": invalid syntax`);
}

export function checkDuration(v: string): void {
  parseGoDuration(v);
}

export function checkBytes(v: string): void {
  ramInBytes(v);
}

/** opts.NanoCPUs: a decimal number of CPUs to nanoCPUs. */
export function parseNanoCpus(v: string): number {
  if (!/^\d*\.?\d+$/.test(v) && !/^\d+\.$/.test(v)) throw new Error(`failed to parse ${v} as a rational number`);
  const n = Math.round(Number(v) * 1e9);
  if (!Number.isInteger(Number(v) * 1e9) && Math.abs(Number(v) * 1e9 - n) > 1e-6) throw new Error('value is too precise');
  return n;
}

export function checkNanoCpus(v: string): void {
  parseNanoCpus(v);
}
