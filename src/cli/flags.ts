/**
 * A small flag parser with Docker's conventions: `--name value`,
 * `--name=value`, `-n value`, grouped short booleans (`-it`), repeatable
 * list flags, and parsing that stops at the first positional argument when
 * `stopAtPositional` is set (so `berth run IMAGE cmd --flag` keeps cmd's flags).
 */
export type FlagType = 'bool' | 'string' | 'list';

export interface FlagSpec {
  type: FlagType;
  short?: string;
  /** Other long names (e.g. dockerd's `--data-root` for `--root`). */
  aliases?: string[];
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedFlags {
  bools: Map<string, boolean>;
  strings: Map<string, string>;
  lists: Map<string, string[]>;
  positional: string[];
}

export class FlagError extends Error {}

export function parseFlags(argv: readonly string[], specs: FlagSpecs, options: { stopAtPositional?: boolean } = {}): ParsedFlags {
  const out: ParsedFlags = { bools: new Map(), strings: new Map(), lists: new Map(), positional: [] };
  const byLong = new Map<string, string>();
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    byLong.set(name, name);
    for (const a of spec.aliases ?? []) byLong.set(a, name);
    if (spec.short) byShort.set(spec.short, name);
  }
  const set = (name: string, value: string | undefined, next: () => string): void => {
    const spec = specs[name]!;
    if (spec.type === 'bool') {
      if (value !== undefined && !['true', 'false', '1', '0'].includes(value)) throw new FlagError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
      out.bools.set(name, value === undefined ? true : value === 'true' || value === '1');
    } else {
      const v = value ?? next();
      if (spec.type === 'string') out.strings.set(name, v);
      else out.lists.set(name, [...(out.lists.get(name) ?? []), v]);
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new FlagError(`flag needs an argument: ${arg}`);
      return v;
    };
    if (arg === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const key = arg.slice(2, eq < 0 ? undefined : eq);
      const name = byLong.get(key);
      if (name === undefined) throw new FlagError(`unknown flag: --${key}`);
      set(name, eq < 0 ? undefined : arg.slice(eq + 1), next);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const name = byShort.get(arg[j]!);
        if (name === undefined) throw new FlagError(`unknown shorthand flag: '${arg[j]}' in ${arg}`);
        if (specs[name]!.type === 'bool') {
          set(name, undefined, next);
          continue;
        }
        const rest = arg.slice(j + 1).replace(/^=/, '');
        set(name, rest === '' ? undefined : rest, next);
        break;
      }
    } else {
      out.positional.push(arg);
      if (options.stopAtPositional) {
        out.positional.push(...argv.slice(i + 1));
        break;
      }
    }
  }
  return out;
}
