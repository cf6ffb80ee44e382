/**
 * `berth events`: the daemon's event stream (GET /events), one line per
 * event as the docker CLI prints it, or through `--format`.
 */
import { jsonLinesRaw } from '../engine-client/json-lines.js';
import type { EventMessage } from '../engine-client/types.js';
import { CliError, StatusError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { checkFilter, filtersToJson, parseFilters } from './common/filters.js';
import { templateText } from './format/formatter.js';
import { Template } from './format/go-template.js';
import { getTimestamp, rfc3339NanoFixed } from './format/go-time.js';

export const spec: CommandSpec = {
  name: 'events',
  usage: 'berth events [OPTIONS]',
  summary: 'Get real time events from the server',
  flags: {
    filter: { type: 'list', short: 'f', value: 'filter', help: 'Filter output based on conditions provided', check: checkFilter },
    format: { type: 'string', help: "Format output using a custom template:\n'json' or a Go template" },
    since: { type: 'string', help: 'Show all events created since timestamp' },
    until: { type: 'string', help: 'Stream events until this timestamp' },
  },
  args: { max: 0 },
};

/** prettyPrintEvent: time, type, action, actor ID, sorted attributes. */
export function prettyEvent(e: EventMessage, raw?: string): string {
  let out = '';
  const nano = raw === undefined ? undefined : /"timeNano":(\d+)/.exec(raw)?.[1];
  if (nano !== undefined && nano !== '0') out += `${rfc3339NanoFixed(BigInt(nano))} `;
  else if (e.timeNano) out += `${rfc3339NanoFixed(BigInt(e.timeNano))} `;
  else if (e.time) out += `${rfc3339NanoFixed(BigInt(e.time) * 1_000_000_000n)} `;
  out += `${e.Type} ${e.Action} ${e.Actor.ID}`;
  const attrs = e.Actor.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  if (keys.length > 0) out += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})`;
  return `${out}\n`;
}

/**
 * An event as templates see Docker's events.Message: the Go field names
 * (Status, ID, From, Scope, Time, TimeNano) besides the JSON ones, and
 * `{{json .}}` keeping the exact timeNano, which exceeds 2^53.
 */
export function eventTemplateData(e: EventMessage, raw: string): EventMessage {
  const nano = /"timeNano":(\d+)/.exec(raw)?.[1];
  const data = { ...e } as EventMessage & Record<string, unknown>;
  const alias = (goName: string, get: () => unknown): void => void Object.defineProperty(data, goName, { get, enumerable: false });
  alias('Status', () => e.status ?? '');
  alias('ID', () => e.id ?? '');
  alias('From', () => e.from ?? '');
  alias('Scope', () => e.scope ?? '');
  alias('Time', () => e.time ?? 0);
  alias('TimeNano', () => (nano === undefined ? e.timeNano ?? 0 : BigInt(nano)));
  Object.defineProperty(data, 'goMarshalJSON', {
    enumerable: false,
    value: () => {
      const text = JSON.stringify(e);
      return nano === undefined ? text : text.replace(/"timeNano":\d+(\.\d+)?(e\+\d+)?/, `"timeNano":${nano}`);
    },
  });
  return data;
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const format = inv.string('format');
    let tmpl: Template | undefined;
    if (format) {
      try {
        tmpl = new Template(templateText(format === 'json' ? '{{json .}}' : format));
      } catch (err) {
        throw new StatusError(64, `template parsing error: ${(err as Error).message}`);
      }
    }
    const now = Date.now();
    const ts = (name: string): string | undefined => {
      const v = inv.string(name);
      if (!v) return undefined;
      try {
        return getTimestamp(v, now);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    };
    const res = await inv.client().request('GET', '/events', { query: { since: ts('since'), until: ts('until'), filters: filtersToJson(parseFilters(inv.list('filter'))) } });
    for await (const { value: e, raw } of jsonLinesRaw<EventMessage>(res)) {
      if (!tmpl) io.stdout.write(prettyEvent(e, raw));
      else {
        try {
          io.stdout.write(`${tmpl.execute(eventTemplateData(e, raw))}\n`);
        } catch (err) {
          throw new CliError((err as Error).message);
        }
      }
    }
    return 0;
  });
}
