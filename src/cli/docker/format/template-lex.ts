/**
 * The lexer of template actions: fields (`.A`), variables, identifiers,
 * literals and punctuation, each with its offset in the whole template
 * (for Go's error positions) and whether whitespace preceded it.
 */
import { TemplateError } from './template-error.js';

export interface Token {
  t: 'field' | 'var' | 'ident' | 'string' | 'number' | 'char' | '(' | ')' | '|' | ':=' | '=' | ',' | '.';
  v: string;
  /** Whitespace came before it: `.A .B` is two operands, `.A.B` one chain. */
  spaced?: boolean;
  /** Offset in the whole template. */
  pos: number;
}

const FIELD = /^\.[A-Za-z_][A-Za-z0-9_]*/;

export function lexAction(src: string, base: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  let spaced = false;
  while (i < src.length) {
    const c = src[i]!;
    const rest = src.slice(i);
    const before = out.length;
    if (/\s/.test(c)) {
      i++;
      spaced = true;
      continue;
    }
    else if ('()|,'.includes(c)) out.push({ t: c as Token['t'], v: c, pos: base + i }), i++;
    else if (rest.startsWith(':=')) out.push({ t: ':=', v: ':=', pos: base + i }), (i += 2);
    else if (c === '=') out.push({ t: '=', v: '=', pos: base + i }), i++;
    else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      if (j >= src.length) throw new TemplateError('unterminated quoted string');
      out.push({ t: 'string', v: JSON.parse(src.slice(i, j + 1).replace(/\\'/g, "'")) as string, pos: base + i });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError('unterminated raw quoted string');
      out.push({ t: 'string', v: src.slice(i + 1, j), pos: base + i });
      i = j + 1;
    } else if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(rest);
      if (!m) throw new TemplateError('unterminated character constant');
      out.push({ t: 'number', v: String((JSON.parse(`"${m[1]!}"`) as string).charCodeAt(0)), pos: base + i });
      i += m[0].length;
    } else if (c === '.' && FIELD.test(rest)) {
      const m = FIELD.exec(rest)!;
      out.push({ t: 'field', v: m[0].slice(1), pos: base + i });
      i += m[0].length;
    } else if (c === '.') out.push({ t: '.', v: '.', pos: base + i }), i++;
    else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(rest)!;
      out.push({ t: 'var', v: m[0], pos: base + i });
      i += m[0].length;
    } else if (/[-+0-9]/.test(c)) {
      const m = /^[-+]?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)/.exec(rest);
      if (!m) throw new TemplateError(`bad number syntax: "${rest.slice(0, 8)}"`);
      out.push({ t: 'number', v: m[0], pos: base + i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)!;
      out.push({ t: 'ident', v: m[0], pos: base + i });
      i += m[0].length;
    } else throw new TemplateError(`unexpected "${c}" in command`);
    if (spaced && out.length > before) out[before]!.spaced = true;
    spaced = false;
  }
  return out;
}

