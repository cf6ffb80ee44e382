/**
 * Parser for the subset of Go's text/template the docker CLI's `--format`
 * users write: text, `{{pipeline}}` with `|`, fields and chains
 * (`.A.B`, `$v.A`, `(pipeline).A`), variables (`$x := …`), literals,
 * function calls, `if`/`else if`/`else`, `range` (with `$i, $v :=`),
 * `with`, `break`/`continue`, comments, and `{{-`/`-}}` trimming.
 */
import { lexAction, type Token } from './template-lex.js';
import { TemplateError } from './template-error.js';

export { TemplateError };

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe; pos: number }
  | { kind: 'if' | 'with'; pipe: Pipe; body: Node[]; orElse: Node[] }
  | { kind: 'range'; pipe: Pipe; body: Node[]; orElse: Node[] }
  | { kind: 'break' | 'continue' };

export interface Pipe {
  decl: string[];
  /** `=` instead of `:=`: assigns existing variables. */
  assign: boolean;
  cmds: Arg[][];
  /** Source text, for error messages. */
  source: string;
}

/** Where an operand sits (offset of its last field, as Go reports) and its text. */
export interface Located {
  pos: number;
  text: string;
}

export type Arg =
  | { kind: 'dot' }
  | ({ kind: 'field'; names: string[] } & Located)
  | ({ kind: 'var'; name: string; names: string[] } & Located)
  | ({ kind: 'chain'; pipe: Pipe; names: string[] } & Located)
  | ({ kind: 'ident'; name: string } & Located)
  | { kind: 'string' | 'number' | 'bool' | 'nil'; value: string | number | boolean | null };


class PipeParser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly source: string,
  ) {}

  parsePipe(allowDecl: boolean, stopAtParen = false): Pipe {
    const pipe: Pipe = { decl: [], assign: false, cmds: [], source: this.source };
    if (allowDecl) this.parseDecl(pipe);
    let cmd: Arg[] = [];
    while (this.i < this.toks.length) {
      const tok = this.toks[this.i]!;
      if (tok.t === ')') {
        if (stopAtParen) break;
        throw new TemplateError('unexpected right paren');
      }
      this.i++;
      if (tok.t === '|') {
        if (cmd.length === 0) throw new TemplateError('missing command');
        pipe.cmds.push(cmd);
        cmd = [];
        continue;
      }
      cmd.push(this.operand(tok));
    }
    if (cmd.length > 0) pipe.cmds.push(cmd);
    if (pipe.cmds.length === 0 && (pipe.decl.length === 0 || stopAtParen)) throw new TemplateError('missing value for command');
    return pipe;
  }

  private parseDecl(pipe: Pipe): void {
    const t = this.toks;
    const isDecl = (k: number): boolean => t[k]?.t === 'var' && (t[k + 1]?.t === ':=' || t[k + 1]?.t === '=' || t[k + 1]?.t === ',');
    if (!isDecl(this.i)) return;
    for (;;) {
      pipe.decl.push(t[this.i]!.v);
      const op = t[this.i + 1]!;
      this.i += 2;
      if (op.t === ',') {
        if (!isDecl(this.i)) throw new TemplateError('too many declarations');
        continue;
      }
      pipe.assign = op.t === '=';
      return;
    }
  }

  private operand(tok: Token): Arg {
    let arg: Arg;
    switch (tok.t) {
      case 'field': {
        const names = [tok.v];
        let pos = tok.pos;
        while (this.toks[this.i]?.t === 'field' && !this.toks[this.i]!.spaced) {
          pos = this.toks[this.i]!.pos;
          names.push(this.toks[this.i++]!.v);
        }
        return { kind: 'field', names, pos, text: `.${names.join('.')}` };
      }
      case '.':
        return { kind: 'dot' };
      case 'var':
        arg = { kind: 'var', name: tok.v, names: [], pos: tok.pos, text: tok.v };
        break;
      case 'string':
        return { kind: 'string', value: tok.v };
      case 'number':
      case 'char':
        return { kind: 'number', value: Number(tok.v) };
      case 'ident':
        if (tok.v === 'true' || tok.v === 'false') return { kind: 'bool', value: tok.v === 'true' };
        if (tok.v === 'nil') return { kind: 'nil', value: null };
        return { kind: 'ident', name: tok.v, pos: tok.pos, text: tok.v };
      case '(': {
        const pipe = this.parsePipe(false, true);
        if (this.toks[this.i]?.t !== ')') throw new TemplateError('unclosed left paren');
        this.i++;
        arg = { kind: 'chain', pipe, names: [], pos: tok.pos, text: `(${pipe.source})` };
        break;
      }
      default:
        throw new TemplateError(`unexpected "${tok.v}" in operand`);
    }
    const chained = arg as Extract<Arg, { kind: 'var' | 'chain' }>;
    while (this.toks[this.i]?.t === 'field' && !this.toks[this.i]!.spaced) {
      const t = this.toks[this.i++]!;
      chained.names.push(t.v);
      chained.pos = t.pos;
      chained.text += `.${t.v}`;
    }
    return chained;
  }
}

function parsePipeText(src: string, allowDecl: boolean, base: number): Pipe {
  return new PipeParser(lexAction(src, base), src.trim()).parsePipe(allowDecl);
}

interface RawAction {
  text: string;
  pos: number;
  /** Offset of the action's text in the template. */
  start: number;
}

/** Splits a template into text and action pieces, applying trim markers. */
function split(src: string): (string | RawAction)[] {
  const parts: (string | RawAction)[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) parts.push(text);
      break;
    }
    let start = open + 2;
    if (/^-\s/.test(src.slice(start))) {
      text = text.replace(/\s+$/, '');
      start++;
    }
    if (text) parts.push(text);
    const inner = src.slice(start);
    let end = -1;
    for (let j = 0; j < inner.length; j++) {
      const c = inner[j]!;
      if (c === '"' || c === '`' || c === "'") {
        const close = c === '`' ? inner.indexOf('`', j + 1) : scanQuoted(inner, j, c);
        if (close < 0) throw new TemplateError('unterminated quoted string');
        j = close;
      } else if (inner.startsWith('}}', j)) {
        end = j;
        break;
      }
    }
    if (end < 0) throw new TemplateError('unclosed action');
    let body = inner.slice(0, end);
    trimNext = /\s-$/.test(body);
    if (trimNext) body = body.slice(0, -1);
    parts.push({ text: body, pos: open, start });
    i = start + end + 2;
  }
  return parts;
}

function scanQuoted(s: string, from: number, quote: string): number {
  for (let j = from + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === quote) return j;
  }
  return -1;
}

/** Parses a whole template into a node list. */
export function parseTemplate(src: string): Node[] {
  const parts = split(src);
  let k = 0;
  interface ListEnd {
    nodes: Node[];
    end: string;
    /** The `if` of an `{{else if …}}`, which shares the outer `{{end}}`. */
    nested?: Node;
  }
  const parseList = (terminators: string[]): ListEnd => {
    const nodes: Node[] = [];
    while (k < parts.length) {
      const p = parts[k++]!;
      if (typeof p === 'string') {
        nodes.push({ kind: 'text', text: p });
        continue;
      }
      const body = p.text.trim();
      if (body.startsWith('/*')) {
        if (!body.endsWith('*/')) throw new TemplateError('unclosed comment');
        continue;
      }
      const word = /^[a-z]+/.exec(body)?.[0] ?? '';
      const rest = body.slice(word.length);
      if (terminators.includes(word)) {
        if (word === 'else' && /^\s+if\s/.test(rest)) {
          // `else if` is an else branch holding one nested if.
          const ifText = rest.trimStart();
          const at = p.start + p.text.indexOf('else') + 4 + (rest.length - ifText.length) + 2;
          return { nodes, end: 'elseif', nested: parseBlock('if', ifText.slice(2), at) };
        }
        return { nodes, end: word };
      }
      if (word === 'if' || word === 'with' || word === 'range') nodes.push(parseBlock(word, rest, p.start + p.text.indexOf(word) + word.length));
      else if (word === 'break' || word === 'continue') nodes.push({ kind: word });
      else if (word === 'end' || word === 'else') throw new TemplateError(`unexpected {{${word}}}`);
      else if (word === 'define' || word === 'template' || word === 'block') throw new TemplateError(`{{${word}}} is not supported`);
      else nodes.push({ kind: 'action', pipe: parsePipeText(p.text, true, p.start), pos: p.pos });
    }
    if (terminators.length > 0) throw new TemplateError('unexpected EOF');
    return { nodes, end: '' };
  };
  const parseBlock = (word: 'if' | 'with' | 'range', pipeSrc: string, base: number): Node => {
    const pipe = parsePipeText(pipeSrc, true, base);
    const first = parseList(['else', 'end']);
    let orElse: Node[] = [];
    if (first.nested) orElse = [first.nested];
    else if (first.end === 'else') orElse = parseList(['end']).nodes;
    return { kind: word, pipe, body: first.nodes, orElse };
  };
  return parseList([]).nodes;
}
