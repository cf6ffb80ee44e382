/**
 * `berth ps`: list containers (GET /containers/json) with the docker CLI's
 * flags, default table, `--format` templates and `json`.
 */
import type { ContainerSummary } from '../engine-client/types.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { checkFilter, filtersToJson, parseFilters } from './common/filters.js';
import { containerHeader, ContainerContext, DEFAULT_PS_FORMAT } from './format/container-context.js';
import { renderList, templateText } from './format/formatter.js';
import { Template } from './format/go-template.js';
import { checkInt } from './common/flag-values.js';

export const spec: CommandSpec = {
  name: 'ps',
  usage: 'berth ps [OPTIONS]',
  summary: 'List containers',
  flags: {
    all: { type: 'bool', short: 'a', help: 'Show all containers (default shows just running)' },
    filter: { type: 'list', short: 'f', value: 'filter', help: 'Filter output based on conditions provided', check: checkFilter },
    format: { type: 'string', help: "Format output using a custom template:\n'table', 'json' or a Go template" },
    last: { type: 'string', short: 'n', value: 'int', help: 'Show n last created containers (includes all states)', defaultText: '-1', check: checkInt },
    latest: { type: 'bool', short: 'l', help: 'Show the latest created container (includes all states)' },
    'no-trunc': { type: 'bool', help: "Don't truncate output" },
    quiet: { type: 'bool', short: 'q', help: 'Only display container IDs' },
    size: { type: 'bool', short: 's', help: 'Display total file sizes' },
  },
  args: { max: 0 },
};

export function psFormat(source: string | undefined, quiet: boolean, size: boolean): string {
  if (source === undefined || source === '' || source === 'table') {
    if (quiet) return '{{.ID}}';
    return size ? `${DEFAULT_PS_FORMAT}\t{{.Size}}` : DEFAULT_PS_FORMAT;
  }
  return quiet ? '{{.ID}}' : source;
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const quiet = inv.bool('quiet');
    const format = psFormat(inv.string('format'), quiet, inv.bool('size'));
    try {
      new Template(templateText(format));
    } catch (err) {
      io.stderr.write(`failed to parse template: ${(err as Error).message}\n`);
      return 1;
    }
    let limit = Number(inv.string('last') ?? -1);
    if (inv.bool('latest') && limit === -1) limit = 1;
    const wantsSize = inv.bool('size') || (!quiet && /\.Size\b/.test(format));
    const containers = await inv.client().json<ContainerSummary[]>('GET', '/containers/json', {
      query: {
        all: inv.bool('all') ? '1' : undefined,
        limit: limit > 0 ? String(limit) : undefined,
        size: wantsSize ? '1' : undefined,
        filters: filtersToJson(parseFilters(inv.list('filter'))),
      },
    });
    const now = Date.now();
    const rows = containers.map((c) => new ContainerContext(c, !inv.bool('no-trunc'), now));
    try {
      io.stdout.write(renderList(format, rows, containerHeader));
    } catch (err) {
      io.stderr.write(`${(err as Error).message.replace(/^template parsing error: /, 'failed to execute template: ')}\n`);
      return 1;
    }
    return 0;
  });
}
