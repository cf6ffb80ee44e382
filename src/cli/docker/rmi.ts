/**
 * `berth rmi IMAGE...`: DELETE /images/{name}; prints what was untagged and
 * deleted. With --force a missing image is reported but does not fail.
 */
import { ApiError } from '../engine-client/api-error.js';
import { runCommand, type CommandSpec } from './common/command.js';

export const spec: CommandSpec = {
  name: 'rmi',
  usage: 'berth rmi [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Remove one or more images',
  flags: {
    force: { type: 'bool', short: 'f', help: 'Force removal of the image' },
    'no-prune': { type: 'bool', help: 'Do not delete untagged parents' },
  },
  args: { min: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const errors: string[] = [];
    for (const image of inv.args) {
      try {
        const items = await inv.client().json<{ Untagged?: string; Deleted?: string }[]>('DELETE', `/images/${image}`, {
          query: { force: inv.bool('force') ? '1' : undefined, noprune: inv.bool('no-prune') ? '1' : undefined },
        });
        for (const d of items) {
          if (d.Deleted) io.stdout.write(`Deleted: ${d.Deleted}\n`);
          else if (d.Untagged) io.stdout.write(`Untagged: ${d.Untagged}\n`);
        }
      } catch (err) {
        const text = err instanceof ApiError ? err.toString() : (err as Error).message;
        if (inv.bool('force') && err instanceof ApiError && err.status === 404) io.stderr.write(`${text}\n`);
        else errors.push(text);
      }
    }
    if (errors.length === 0) return 0;
    io.stderr.write(`${errors.join('\n')}\n`);
    return 1;
  });
}
