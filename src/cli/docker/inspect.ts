/**
 * `berth inspect NAME|ID…`: the raw JSON of containers, then images (then
 * networks and volumes) with that name, indented like the docker CLI, or
 * each object through a `--format` template.
 */
import { ApiError, isNotFound } from '../engine-client/api-error.js';
import type { EngineClient } from '../engine-client/engine-client.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { dockerFuncs, Template } from './format/go-template.js';
import { withGoNames } from './format/go-fields.js';
import { jsonCompact, jsonIndent } from './format/json-indent.js';

export const spec: CommandSpec = {
  name: 'inspect',
  usage: 'berth inspect [OPTIONS] NAME|ID [NAME|ID...]',
  summary: 'Return low-level information on Docker objects',
  flags: {
    format: { type: 'string', short: 'f', help: "Format output using a custom template:\n'json' or a Go template" },
    size: { type: 'bool', short: 's', help: 'Display total file sizes if the type is container' },
    type: { type: 'string', help: 'Only inspect objects of the given type' },
  },
  args: { min: 1 },
};

type Kind = 'container' | 'image' | 'network' | 'volume';
const KINDS: Kind[] = ['container', 'image', 'network', 'volume'];

function path(kind: Kind, name: string): string {
  const n = encodeURIComponent(name);
  return kind === 'container' ? `/containers/${n}/json` : kind === 'image' ? `/images/${n}/json` : kind === 'network' ? `/networks/${n}` : `/volumes/${n}`;
}

/** isErrSkippable: not this kind of object, try the next one. */
function skippable(err: unknown): boolean {
  if (isNotFound(err)) return true;
  const m = err instanceof ApiError ? err.message : '';
  return m.includes('not supported') || m.includes('invalid reference format');
}

/** The raw JSON of one object, trying each kind in Docker's order. */
export async function inspectRaw(client: EngineClient, name: string, kinds: readonly Kind[], size: boolean): Promise<string> {
  for (const kind of kinds) {
    try {
      return await client.text('GET', path(kind, name), kind === 'container' && size ? { query: { size: '1' } } : {});
    } catch (err) {
      if (!skippable(err) || kinds.length === 1) throw err;
    }
  }
  throw new Error(`No such object: ${name}`);
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const type = inv.string('type');
    if (type !== undefined && type !== '' && !KINDS.includes(type as Kind)) {
      io.stderr.write(`"${type}" is not a valid value for --type\n`);
      return 1;
    }
    const kinds = type ? [type as Kind] : KINDS;
    const format = inv.string('format') ?? '';
    let tmpl: Template | undefined;
    if (format !== '' && format !== 'json') {
      try {
        tmpl = new Template(format, dockerFuncs, { missingKey: 'nil' });
      } catch (err) {
        io.stderr.write(`template parsing error: ${(err as Error).message}\n`);
        return 64;
      }
    }
    const raws: string[] = [];
    const errors: string[] = [];
    let out = '';
    for (const name of inv.args) {
      try {
        const raw = await inspectRaw(inv.client(), name, kinds, inv.bool('size'));
        if (!tmpl) raws.push(raw);
        else out += `${tmpl.execute(withGoNames(JSON.parse(raw)))}\n`;
      } catch (err) {
        if (err instanceof ApiError) errors.push(type ? err.toString() : `Error: ${err.message}`);
        else if ((err as Error).name === 'TemplateError') {
          io.stdout.write(`${out}\n`);
          io.stderr.write(`template parsing error: ${(err as Error).message}\n`);
          return 1;
        } else errors.push(`Error: ${(err as Error).message}`);
      }
    }
    if (tmpl) io.stdout.write(out);
    else if (format === 'json') io.stdout.write(`${jsonCompact(`[${raws.join(',')}]`)}\n`);
    else io.stdout.write(raws.length === 0 ? '[]\n' : `${jsonIndent(`[${raws.join(',')}]`)}\n`);
    if (errors.length === 0) return 0;
    io.stderr.write(`${errors.join('\n')}\n`);
    return 1;
  });
}
