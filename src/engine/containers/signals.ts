import { constants } from 'node:os';
import { invalidArgument } from '../../core/index.js';

/** Accepts `SIGTERM`, `TERM`, `15`; returns the SIG name; Docker's message otherwise. */
export function normalizeSignal(input: string | number): string {
  const table = constants.signals as Record<string, number>;
  const raw = String(input).trim().toUpperCase();
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    const name = Object.keys(table).find((k) => table[k] === n);
    if (name === undefined || n === 0) throw invalidArgument(`Invalid signal: ${input}`);
    return name;
  }
  const name = raw.startsWith('SIG') ? raw : `SIG${raw}`;
  if (!(name in table)) throw invalidArgument(`Invalid signal: ${input}`);
  return name;
}

export function signalNumber(name: string): number {
  return (constants.signals as Record<string, number>)[normalizeSignal(name)] ?? 0;
}
