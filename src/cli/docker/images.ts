/**
 * `berth images [REPOSITORY[:TAG]]`: list images (GET /images/json) with
 * the docker CLI's columns, `--digests`, `--format` and filters.
 */
import type { ImageSummary } from '../engine-client/types.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { addFilter, checkFilter, filtersToJson, parseFilters } from './common/filters.js';
import { renderList } from './format/formatter.js';
import { DEFAULT_IMAGES_DIGEST_FORMAT, DEFAULT_IMAGES_FORMAT, imageHeader, imageRows } from './format/image-context.js';

export const spec: CommandSpec = {
  name: 'images',
  usage: 'berth images [OPTIONS] [REPOSITORY[:TAG]]',
  summary: 'List images',
  flags: {
    all: { type: 'bool', short: 'a', help: 'Show all images (default hides intermediate images)' },
    digests: { type: 'bool', help: 'Show digests' },
    filter: { type: 'list', short: 'f', value: 'filter', help: 'Filter output based on conditions provided', check: checkFilter },
    format: { type: 'string', help: "Format output using a custom template:\n'table', 'json' or a Go template" },
    'no-trunc': { type: 'bool', help: "Don't truncate output" },
    quiet: { type: 'bool', short: 'q', help: 'Only show image IDs' },
  },
  args: { max: 1 },
};

export function imagesFormat(source: string | undefined, quiet: boolean, digest: boolean): string {
  if (source === undefined || source === '' || source === 'table') {
    if (quiet) return '{{.ID}}';
    return digest ? DEFAULT_IMAGES_DIGEST_FORMAT : DEFAULT_IMAGES_FORMAT;
  }
  if (source.startsWith('table') && digest && !source.includes('{{.Digest}}')) return `${source}\t{{.Digest}}`;
  return source;
}

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const filters = parseFilters(inv.list('filter'));
    if (inv.args[0] !== undefined) addFilter(filters, 'reference', inv.args[0]);
    const images = await inv.client().json<ImageSummary[]>('GET', '/images/json', {
      query: { all: inv.bool('all') ? '1' : undefined, filters: filtersToJson(filters) },
    });
    const format = imagesFormat(inv.string('format'), inv.bool('quiet'), inv.bool('digests'));
    const opts = { trunc: !inv.bool('no-trunc'), digest: inv.bool('digests'), needDigest: inv.bool('digests') || format.includes('{{.Digest}}'), now: Date.now() };
    const rows = images.flatMap((img) => imageRows(img, opts));
    io.stdout.write(renderList(format, rows, imageHeader));
    return 0;
  });
}
