/**
 * The shape every Docker-like verb shares: Docker's flags (parsed with
 * ../../flags.ts), `--help`, argument-count checks and flag-value checks with
 * the docker CLI's messages and exit codes (flag errors 125, argument count
 * errors 1), and one place that prints errors and picks the exit code.
 */
import { FlagError, parseFlags, type FlagSpec, type ParsedFlags } from '../../flags.js';
import { ApiError, ConnectError } from '../../engine-client/api-error.js';
import { EngineClient } from '../../engine-client/engine-client.js';
import { CliError, StatusError } from './cli-error.js';

export const PROG = 'berth';

/** How a flag's value is checked (and what its help shows). */
export type ValueKind = 'int' | 'uint' | 'duration' | 'bytes' | 'decimal' | 'filter' | 'string' | 'list' | 'map';

export interface FlagDef extends FlagSpec {
  help: string;
  value?: ValueKind;
  /** Shown as `(default …)` in help. */
  defaultText?: string;
  hidden?: boolean;
  /** Flag-time validation; its message follows `invalid argument "v" for "-f, --flag" flag: `. */
  check?: (value: string) => void;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  flags: Record<string, FlagDef>;
  args?: { min?: number; max?: number; exact?: number };
  /** false: flags end at the first positional argument (run, exec). */
  interspersed?: boolean;
}

export interface Invocation {
  flags: ParsedFlags;
  args: string[];
  client(): EngineClient;
  closeClient(): void;
  bool(name: string): boolean;
  string(name: string): string | undefined;
  list(name: string): string[];
  /** Whether the user gave the flag at all. */
  changed(name: string): boolean;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultIo: Io = { stdout: process.stdout, stderr: process.stderr };

function flagLabel(name: string, def: FlagDef): string {
  return def.short ? `-${def.short}, --${name}` : `--${name}`;
}

function usageBlock(spec: CommandSpec): string {
  return `Usage:  ${spec.usage.replace(/\n/g, '\n\t')}`;
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.flags)
    .filter(([, d]) => !d.hidden)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, d]) => {
      const left = `${d.short ? `-${d.short}, ` : '    '}--${name}${d.type === 'bool' ? '' : ` ${d.value ?? d.type}`}`;
      return { left, right: d.help + (d.defaultText ? ` (default ${d.defaultText})` : '') };
    });
  const width = Math.max(0, ...rows.map((r) => r.left.length)) + 3;
  const options = rows.map((r) => `  ${r.left.padEnd(width)}${r.right}`).join('\n');
  return `\n${usageBlock(spec)}\n\n${spec.summary}\n${rows.length ? `\nOptions:\n${options}\n` : ''}`;
}

function argError(spec: CommandSpec, n: number): string | undefined {
  const a = spec.args ?? {};
  const plural = (k: number): string => `${k} argument${k === 1 ? '' : 's'}`;
  const cmd = `'${PROG} ${spec.name}'`;
  if (a.exact !== undefined && n !== a.exact) return `${PROG}: ${cmd} requires ${plural(a.exact)}\n\n${usageBlock(spec)}\n\nRun '${PROG} ${spec.name} --help' for more information\n`;
  if (a.min !== undefined && n < a.min) return `${PROG}: ${cmd} requires at least ${plural(a.min)}\n\n${usageBlock(spec)}\n\nSee '${PROG} ${spec.name} --help' for more information\n`;
  if (a.max === 0 && n > 0) return `${PROG}: ${cmd} accepts no arguments\n\n${usageBlock(spec)}\n\nRun '${PROG} ${spec.name} --help' for more information\n`;
  if (a.max !== undefined && n > a.max) return `${PROG}: ${cmd} requires at most ${plural(a.max)}\n\n${usageBlock(spec)}\n\nSee '${PROG} ${spec.name} --help' for more information\n`;
  return undefined;
}

/** The text of a flag error, as cobra prints it (exit status 125). */
export function flagErrorText(spec: CommandSpec, message: string): string {
  return `${message}\n\n${usageBlock(spec)}\n\nRun '${PROG} ${spec.name} --help' for more information\n`;
}

function wantsHelp(argv: readonly string[], spec: CommandSpec): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || (a === '-h' && !Object.values(spec.flags).some((d) => d.short === 'h'))) return true;
    if (!a.startsWith('-') && spec.interspersed === false) return false;
  }
  return false;
}

/** Parses argv for a verb and runs its body; returns the exit code. */
export async function runCommand(spec: CommandSpec, argv: readonly string[], body: (inv: Invocation, io: Io) => Promise<number>, io: Io = defaultIo): Promise<number> {
  if (wantsHelp(argv, spec)) {
    io.stdout.write(helpText(spec));
    return 0;
  }
  let inv: Invocation;
  try {
    inv = parseInvocation(spec, argv);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    io.stderr.write(flagErrorText(spec, err.message));
    return 125;
  }
  const bad = argError(spec, inv.args.length);
  if (bad) {
    io.stderr.write(bad);
    return 1;
  }
  // A closed pipe (`berth logs -f | head -1`) ends the command quietly, as
  // SIGPIPE ends the docker CLI: the connections are torn down so that
  // streaming verbs stop.
  let brokenPipe = false;
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE') return;
    brokenPipe = true;
    inv.closeClient();
  };
  io.stdout.on('error', onStdoutError);
  try {
    return await body(inv, io);
  } catch (err) {
    return brokenPipe ? 0 : reportError(err, io);
  } finally {
    // The listener stays: a failed write reports its error a tick later.
    inv.closeClient();
  }
}

/** Parses and checks flags (throws FlagError with cobra's message). */
export function parseInvocation(spec: CommandSpec, argv: readonly string[]): Invocation {
  const flags = parseFlags(argv, spec.flags, { stopAtPositional: spec.interspersed === false });
  for (const [name, def] of Object.entries(spec.flags)) {
    if (!def.check) continue;
    const values = def.type === 'list' ? flags.lists.get(name) ?? [] : flags.strings.has(name) ? [flags.strings.get(name)!] : [];
    for (const v of values) {
      try {
        def.check(v);
      } catch (err) {
        throw new FlagError(`invalid argument "${v}" for "${flagLabel(name, def)}" flag: ${(err as Error).message}`);
      }
    }
  }
  let client: EngineClient | undefined;
  return {
    flags,
    args: flags.positional,
    client: () => (client ??= new EngineClient()),
    closeClient: () => client?.close(),
    bool: (n) => flags.bools.get(n) ?? false,
    string: (n) => flags.strings.get(n),
    list: (n) => flags.lists.get(n) ?? [],
    changed: (n) => flags.bools.has(n) || flags.strings.has(n) || flags.lists.has(n),
  };
}

/** Prints an error the way the docker CLI does and returns its exit code. */
export function reportError(err: unknown, io: Io = defaultIo): number {
  if (err instanceof StatusError) {
    if (err.message) io.stderr.write(err.message.endsWith('\n') ? err.message : `${err.message}\n`);
    return err.code;
  }
  if (err instanceof ApiError) io.stderr.write(`${err.toString()}\n`);
  else if (err instanceof ConnectError || err instanceof CliError) io.stderr.write(`${err.message}\n`);
  else io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

/**
 * Docker's per-item loop (rm, stop, tag…): items run concurrently; each
 * success prints its line in argument order, then the errors follow, joined,
 * and any error fails the command. `summary` adds a last line (start's
 * "Error: failed to start containers: …").
 */
export async function forEachArg(args: readonly string[], io: Io, fn: (arg: string) => Promise<string | undefined>, summary?: (failed: string[]) => string): Promise<number> {
  const failed: string[] = [];
  const errors: string[] = [];
  const results = await Promise.allSettled(args.map((a) => fn(a)));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      if (r.value !== undefined) io.stdout.write(`${r.value}\n`);
      return;
    }
    failed.push(args[i]!);
    const e = r.reason as unknown;
    errors.push(e instanceof ApiError ? e.toString() : e instanceof Error ? e.message : String(e));
  });
  if (failed.length === 0) return 0;
  io.stderr.write(`${errors.join('\n')}\n`);
  if (summary) io.stderr.write(`${summary(failed)}\n`);
  return 1;
}
