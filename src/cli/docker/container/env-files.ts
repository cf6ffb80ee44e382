/**
 * --env-file and --label-file (opts.ParseEnvFile / ParseKeyValueFile):
 * one entry per line, `#` comments and blank lines skipped, names without
 * whitespace; a bare NAME in an env file takes the client's value, or is
 * dropped when the client has none (always dropped in a label file). Then
 * -e/-l values, after the files.
 */
import { readFileSync } from 'node:fs';

function parseFile(path: string, fromEnv: boolean): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new Error(code === 'ENOENT' ? `open ${path}: no such file or directory` : `open ${path}: ${(err as Error).message}`);
  }
  const out: string[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw) => {
      const line = raw.replace(/^\s+/, '').replace(/\r$/, '');
      if (line === '' || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const name = eq < 0 ? line : line.slice(0, eq);
      if (name === '') throw new Error(`no variable name on line '${line}'`);
      if (/\s/.test(name.replace(/\s+$/, '')) || (eq >= 0 && /\s$/.test(name))) throw new Error(`variable '${name}' contains whitespaces`);
      if (eq >= 0) out.push(line);
      else if (fromEnv && process.env[name] !== undefined) out.push(`${name}=${process.env[name]}`);
    });
  return out;
}

/** opts.ValidateEnv: NAME without a value takes the client's value if it has one. */
export function expandEnv(v: string): string {
  if (v.includes('=')) return v;
  const val = process.env[v];
  return val === undefined ? v : `${v}=${val}`;
}

export function readEnv(files: readonly string[], values: readonly string[]): string[] {
  return [...files.flatMap((f) => parseFile(f, true)), ...values.map(expandEnv)];
}

export function readLabels(files: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of [...files.flatMap((f) => parseFile(f, false)), ...values]) {
    const i = l.indexOf('=');
    out[i < 0 ? l : l.slice(0, i)] = i < 0 ? '' : l.slice(i + 1);
  }
  return out;
}
