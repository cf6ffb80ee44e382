/**
 * Executes templates parsed by template-parse.ts with Go's semantics:
 * fields of objects (a function-valued field is a method and receives the
 * command's arguments), pipelines passing the previous result as the last
 * argument, Go truthiness, `range` over slices and maps (sorted keys), and
 * Go's builtins plus the docker CLI's functions (json, split, join, title,
 * lower, upper, pad, truncate).
 */
import { goString } from './go-print.js';
import { builtins, dockerFuncs, truth, type FuncMap, type TemplateFunc } from './template-funcs.js';
import { parseTemplate, TemplateError, type Arg, type Located, type Node, type Pipe } from './template-parse.js';

export { dockerFuncs, headerFuncs, jsonFunc, truth, type FuncMap, type GoMarshaler, type TemplateFunc } from './template-funcs.js';

/** Objects carrying this symbol refuse unknown fields, like Go structs do. */
export const GO_TYPE = Symbol('goType');

export { TemplateError };

class Break {}
class Continue {}

interface Scope {
  vars: Map<string, unknown>;
  parent?: Scope;
}

export interface TemplateOptions {
  /**
   * What a key missing from decoded JSON yields: `undefined` (Go's map
   * lookup, printed `<no value>`) or `nil` (a typed struct's omitted
   * pointer field, printed `<nil>`), which suits `inspect` templates.
   */
  missingKey?: 'default' | 'nil';
  /** The template's name in error messages ("version" for `docker version`). */
  name?: string;
}

export class Template {
  private readonly nodes: Node[];
  private readonly funcs: FuncMap;
  private readonly missingNil: boolean;
  private readonly name: string;
  private readonly source: string;

  constructor(source: string, funcs: FuncMap = dockerFuncs, options: TemplateOptions = {}) {
    this.funcs = { ...builtins, ...funcs };
    this.missingNil = options.missingKey === 'nil';
    this.name = options.name ?? '';
    this.source = source;
    try {
      this.nodes = parseTemplate(source);
    } catch (err) {
      throw new TemplateError(`template: ${this.name}:1: ${(err as Error).message}`);
    }
    this.checkFuncs(this.nodes);
  }

  /** The same template with other functions (the header pass of a table). */
  withFuncs(funcs: FuncMap): Template {
    const t = Object.create(Template.prototype) as Template;
    Object.assign(t, { nodes: this.nodes, funcs: { ...this.funcs, ...funcs }, missingNil: this.missingNil, name: this.name, source: this.source });
    return t;
  }

  execute(data: unknown): string {
    const out: string[] = [];
    this.walk(this.nodes, data, { vars: new Map([['$', data]]) }, out);
    return out.join('');
  }

  private checkFuncs(nodes: Node[]): void {
    const visitPipe = (p: Pipe): void => {
      for (const cmd of p.cmds)
        for (const a of cmd) {
          if (a.kind === 'ident' && !(a.name in this.funcs)) throw new TemplateError(`template: ${this.name}:1: function "${a.name}" not defined`);
          if (a.kind === 'chain') visitPipe(a.pipe);
        }
    };
    for (const n of nodes) {
      if (n.kind === 'action') visitPipe(n.pipe);
      else if (n.kind === 'if' || n.kind === 'with' || n.kind === 'range') {
        visitPipe(n.pipe);
        this.checkFuncs(n.body);
        this.checkFuncs(n.orElse);
      }
    }
  }

  private walk(nodes: Node[], dot: unknown, scope: Scope, out: string[]): void {
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          out.push(n.text);
          break;
        case 'action': {
          const v = this.evalPipe(n.pipe, dot, scope);
          if (n.pipe.decl.length === 0) out.push(goString(v, hintOf(n.pipe)));
          break;
        }
        case 'if':
        case 'with': {
          const inner: Scope = { vars: new Map(), parent: scope };
          const v = this.evalPipe(n.pipe, dot, inner);
          if (truth(v)) this.walk(n.body, n.kind === 'with' ? v : dot, inner, out);
          else this.walk(n.orElse, dot, inner, out);
          break;
        }
        case 'range':
          this.range(n, dot, scope, out);
          break;
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
      }
    }
  }

  private range(n: Extract<Node, { kind: 'range' }>, dot: unknown, scope: Scope, out: string[]): void {
    const inner: Scope = { vars: new Map(), parent: scope };
    const pipe: Pipe = { ...n.pipe, decl: [] };
    const v = this.evalPipe(pipe, dot, inner);
    let items: [unknown, unknown][];
    if (Array.isArray(v)) items = v.map((x, i) => [i, x]);
    else if (v instanceof Map) items = [...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
    else if (v !== null && typeof v === 'object') items = Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]);
    else if (typeof v === 'number') items = Array.from({ length: v }, (_x, i) => [i, i]);
    else if (v === null || v === undefined) items = [];
    else throw new TemplateError(`range can't iterate over ${goString(v)}`);
    if (items.length === 0) {
      this.walk(n.orElse, dot, inner, out);
      return;
    }
    for (const [key, value] of items) {
      const d = n.pipe.decl;
      if (d.length === 1) inner.vars.set(d[0]!, value);
      if (d.length === 2) {
        inner.vars.set(d[0]!, key);
        inner.vars.set(d[1]!, value);
      }
      try {
        this.walk(n.body, value, inner, out);
      } catch (e) {
        if (e instanceof Break) break;
        if (!(e instanceof Continue)) throw e;
      }
    }
  }

  private evalPipe(pipe: Pipe, dot: unknown, scope: Scope): unknown {
    let value: unknown = undefined;
    let first = true;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(cmd, dot, scope, first ? [] : [value], pipe);
      first = false;
    }
    if (pipe.decl.length > 0) {
      const name = pipe.decl[0]!;
      if (pipe.assign) {
        let s: Scope | undefined = scope;
        while (s && !s.vars.has(name)) s = s.parent;
        if (!s) throw new TemplateError(`undefined variable: ${name}`);
        s.vars.set(name, value);
      } else scope.vars.set(name, value);
    }
    return value;
  }

  private evalCommand(cmd: Arg[], dot: unknown, scope: Scope, piped: unknown[], pipe: Pipe): unknown {
    const [head, ...rest] = cmd;
    if (!head) throw new TemplateError('empty command');
    const args = (): unknown[] => [...rest.map((a) => this.evalArg(a, dot, scope, [], pipe)), ...piped];
    if (head.kind === 'ident') {
      try {
        return this.funcs[head.name]!(...args());
      } catch (err) {
        if (err instanceof TemplateError) throw err;
        throw this.execError(head, `error calling ${head.name}: ${(err as Error).message}`);
      }
    }
    if (rest.length > 0 || piped.length > 0) {
      if (!('names' in head) || head.names.length === 0) throw this.execError('pos' in head ? head : undefined, `can't give argument to non-function ${argSource(head)}`);
      return this.evalArg(head, dot, scope, args(), pipe);
    }
    return this.evalArg(head, dot, scope, [], pipe);
  }

  private evalArg(arg: Arg, dot: unknown, scope: Scope, callArgs: unknown[], pipe: Pipe): unknown {
    switch (arg.kind) {
      case 'dot':
        return dot;
      case 'string':
      case 'number':
      case 'bool':
      case 'nil':
        return arg.value;
      case 'ident':
        return this.funcs[arg.name]!();
      case 'field':
        return this.fields(dot, arg.names, callArgs, arg);
      case 'var': {
        let s: Scope | undefined = scope;
        while (s && !s.vars.has(arg.name)) s = s.parent;
        if (!s) throw new TemplateError(`template: ${this.name}:1: undefined variable "${arg.name}"`);
        return this.fields(s.vars.get(arg.name), arg.names, callArgs, arg);
      }
      case 'chain':
        return this.fields(this.evalPipe(arg.pipe, dot, scope), arg.names, callArgs, arg);
    }
  }

  private fields(receiver: unknown, names: string[], callArgs: unknown[], at: Located): unknown {
    let v = receiver;
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      if (v === null || v === undefined) throw this.execError(at, `nil pointer evaluating interface {}.${name}`);
      if (v instanceof Map) {
        v = v.get(name);
        return;
      }
      if (typeof v !== 'object') throw this.execError(at, `can't evaluate field ${name} in type ${typeof v === 'number' ? 'int' : typeof v}`);
      const obj = v as Record<string | symbol, unknown>;
      const typeName = obj[GO_TYPE];
      if (typeName !== undefined && !(name in obj)) throw this.execError(at, `can't evaluate field ${name} in type ${String(typeName)}`);
      if (obj[name] === undefined && this.missingNil && typeName === undefined && !last) throw this.execError(at, `map has no entry for key "${name}"`);
      const field = obj[name] === undefined && this.missingNil && typeName === undefined ? null : obj[name];
      if (typeof field === 'function') v = (field as TemplateFunc).apply(obj, last ? callArgs : []);
      else {
        if (last && callArgs.length > 0) throw this.execError(at, `${name} has arguments but cannot be invoked as function`);
        v = field;
      }
    });
    return v;
  }

  /** Go's "template: NAME:LINE:COL: executing "NAME" at <NODE>: …". */
  private execError(at: Located | undefined, message: string): TemplateError {
    const pos = at?.pos ?? 0;
    const before = this.source.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - (before.lastIndexOf('\n') + 1);
    return new TemplateError(`template: ${this.name}:${line}:${col}: executing "${this.name}" at <${at?.text ?? ''}>: ${message}`);
  }
}

function hintOf(pipe: Pipe): string | undefined {
  const last = pipe.cmds[pipe.cmds.length - 1];
  if (!last || last.length !== 1) return undefined;
  const a = last[0]!;
  return 'names' in a ? a.names[a.names.length - 1] : undefined;
}

function argSource(a: Arg): string {
  return a.kind === 'dot' ? '.' : 'value' in a ? String(a.value) : a.kind;
}
