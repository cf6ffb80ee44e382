import { invalidArgument } from '../../core/index.js';

/**
 * The Dockerfile word rules that `--change` lines follow: words split on
 * blanks outside quotes, `$VAR` / `${VAR}` / `${VAR:-x}` / `${VAR:+x}`
 * expansion from the config's Env, quote removal and backslash escapes.
 */
export type EnvLookup = (name: string) => string | undefined;

export function envLookup(env: readonly string[] | null | undefined): EnvLookup {
  return (name) => {
    let found: string | undefined;
    for (const kv of env ?? []) {
      const eq = kv.indexOf('=');
      if ((eq < 0 ? kv : kv.slice(0, eq)) === name) found = eq < 0 ? '' : kv.slice(eq + 1);
    }
    return found;
  };
}

/** parseWords: split on whitespace, keeping quotes and escapes inside each word. */
export function splitWords(rest: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let blankRun = true;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (quote === undefined && /\s/.test(ch)) {
      if (!blankRun) {
        words.push(word);
        word = '';
      }
      blankRun = true;
      continue;
    }
    blankRun = false;
    if (ch === '\\' && i + 1 < rest.length) {
      word += ch + rest[++i];
      continue;
    }
    if (quote === undefined && (ch === '"' || ch === "'")) quote = ch;
    else if (quote === ch) quote = undefined;
    word += ch;
  }
  if (!blankRun) words.push(word);
  return words;
}

/** ProcessWord: expands variables and removes quotes; the result is one word. */
export function processWord(word: string, env: EnvLookup): string {
  return lex(word, env, false)[0] ?? '';
}

/** ProcessWords: like processWord, but unquoted blanks split the result. */
export function processWords(text: string, env: EnvLookup): string[] {
  return lex(text, env, true).filter((w) => w !== '');
}

function lex(text: string, env: EnvLookup, split: boolean): string[] {
  const words: string[] = [];
  let cur = '';
  let i = 0;
  const dollar = (): string => {
    // text[i] === '$'
    const next = text[i + 1];
    if (next === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw invalidArgument(`missing '}' in '${text}'`);
      const body = text.slice(i + 2, end);
      i = end + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])(.*))?$/s.exec(body);
      if (!m) throw invalidArgument(`bad substitution: '${text}'`);
      const value = env(m[1]!);
      if (m[2] === '-') return value !== undefined && value !== '' ? value : processWord(m[3] ?? '', env);
      if (m[2] === '+') return value !== undefined && value !== '' ? processWord(m[3] ?? '', env) : '';
      return value ?? '';
    }
    const m = /^[A-Za-z0-9_]+/.exec(text.slice(i + 1));
    if (!m) {
      i++;
      return '$';
    }
    i += 1 + m[0].length;
    return env(m[0]) ?? '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (split && /\s/.test(ch)) {
      words.push(cur);
      cur = '';
      i++;
      continue;
    }
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw invalidArgument('unexpected end of statement while looking for matching single-quote');
      cur += text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw invalidArgument('unexpected end of statement while looking for matching double-quote');
        const c = text[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '$') cur += dollar();
        else if (c === '\\' && i + 1 < text.length && ['"', '$', '\\'].includes(text[i + 1]!)) {
          cur += text[i + 1];
          i += 2;
        } else {
          cur += c;
          i++;
        }
      }
    } else if (ch === '$') cur += dollar();
    else if (ch === '\\') {
      if (i + 1 < text.length) cur += text[i + 1];
      i += 2;
    } else {
      cur += ch;
      i++;
    }
  }
  words.push(cur);
  return words;
}

/** parseMaybeJSON: a JSON string array, or undefined for the shell form. */
export function parseJsonArray(rest: string, instruction: string): string[] | undefined {
  const trimmed = rest.trim();
  if (!trimmed.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  if (!parsed.every((v) => typeof v === 'string')) {
    void instruction;
    throw invalidArgument('when using JSON array syntax, arrays must be comprised of strings only');
  }
  return parsed as string[];
}
