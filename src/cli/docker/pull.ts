/**
 * `berth pull NAME[:TAG|@DIGEST]`: POST /images/create with progress, then
 * the pulled reference on its own line, as the docker CLI prints it.
 */
import { referenceString } from '../../core/index.js';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { pullImage } from './common/pull.js';
import { parseReference } from './common/reference-errors.js';

export const spec: CommandSpec = {
  name: 'pull',
  usage: 'berth pull [OPTIONS] NAME[:TAG|@DIGEST]',
  summary: 'Download an image from a registry',
  flags: {
    'all-tags': { type: 'bool', short: 'a', help: 'Download all tagged images in the repository' },
    'disable-content-trust': { type: 'bool', help: 'Skip image verification', defaultText: 'true' },
    platform: { type: 'string', help: 'Set platform if server is multi-platform capable' },
    quiet: { type: 'bool', short: 'q', help: 'Suppress verbose output' },
  },
  args: { exact: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const name = inv.args[0]!;
    let ref;
    try {
      ref = parseReference(name);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const allTags = inv.bool('all-tags');
    if (allTags && (ref.tag !== undefined || ref.digest !== undefined)) throw new CliError('tag can\'t be used with --all-tags/-a');
    if (!allTags && ref.tag === undefined && ref.digest === undefined && !inv.bool('quiet')) io.stdout.write('Using default tag: latest\n');
    const pulled = await pullImage(inv.client(), name, inv.bool('quiet') ? undefined : io.stdout, { allTags, platform: inv.string('platform') ?? '' });
    io.stdout.write(`${allTags ? referenceString({ domain: pulled.domain, path: pulled.path }) : referenceString(pulled)}\n`);
    return 0;
  });
}
