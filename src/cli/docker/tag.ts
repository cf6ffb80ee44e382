/** `berth tag SOURCE TARGET`: POST /images/{source}/tag?repo=…&tag=…. */
import { familiarName } from '../../core/index.js';
import { parseReference } from './common/reference-errors.js';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';

export const spec: CommandSpec = {
  name: 'tag',
  usage: 'berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  flags: {},
  args: { exact: 2 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv) => {
    const [source, target] = inv.args as [string, string];
    let ref;
    try {
      ref = parseReference(target);
    } catch (err) {
      throw new CliError(`Error parsing reference: "${target}" is not a valid repository/tag: ${(err as Error).message}`);
    }
    if (ref.digest !== undefined) throw new CliError('refusing to create a tag with a digest reference');
    await inv.client().discard('POST', `/images/${source}/tag`, { query: { repo: familiarName(ref), tag: ref.tag ?? 'latest' } });
    return 0;
  });
}
