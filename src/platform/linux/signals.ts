import { invalidArgument } from '../../core/index.js';

/** Linux signal numbers (x86_64/arm64 share these), as Docker's signal.SignalMap. */
export const SIGNALS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10,
  SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CLD: 17, CONT: 18,
  STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27,
  WINCH: 28, IO: 29, POLL: 29, PWR: 30, SYS: 31, RTMIN: 34, RTMAX: 64,
};

const MAX_SIGNAL = 64;

/**
 * Parses a signal like Docker does: a number (1–64), or a name with or
 * without SIG, any case, including RTMIN+n / RTMAX-n.
 */
export function parseSignal(signal: string | number): number {
  if (typeof signal === 'number') return checkNumber(signal, String(signal));
  const raw = signal.trim();
  if (/^\d+$/.test(raw)) return checkNumber(Number(raw), raw);
  const name = raw.toUpperCase().replace(/^SIG/, '');
  const direct = SIGNALS[name];
  if (direct !== undefined) return direct;
  const rt = /^RT(MIN|MAX)([+-])(\d+)$/.exec(name);
  if (rt) {
    const base = rt[1] === 'MIN' ? 34 : 64;
    const n = Number(rt[3]) * (rt[2] === '+' ? 1 : -1);
    if ((rt[1] === 'MIN' && n >= 0) || (rt[1] === 'MAX' && n <= 0)) {
      const value = base + n;
      if (value >= 34 && value <= 64) return value;
    }
  }
  throw invalidArgument(`Invalid signal: ${signal}`);
}

function checkNumber(n: number, text: string): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIGNAL) throw invalidArgument(`Invalid signal: ${text}`);
  return n;
}

/** SIGTERM-style name of a signal number (for messages and ExitStatus.signal). */
export function signalName(n: number): string {
  for (const [name, value] of Object.entries(SIGNALS)) if (value === n && name !== 'IOT' && name !== 'CLD' && name !== 'POLL') return `SIG${name}`;
  return n > 34 && n < 64 ? `SIGRTMIN+${n - 34}` : `SIG${n}`;
}
