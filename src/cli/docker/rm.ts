/** `berth rm CONTAINER...`: DELETE /containers/{name}[?force=1&v=1] for each. */
import { runCommand, forEachArg, type CommandSpec } from './common/command.js';

export const spec: CommandSpec = {
  name: 'rm',
  usage: 'berth rm [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Remove one or more containers',
  flags: {
    force: { type: 'bool', short: 'f', help: 'Force the removal of a running container (uses SIGKILL)' },
    link: { type: 'bool', short: 'l', help: 'Remove the specified link' },
    volumes: { type: 'bool', short: 'v', help: 'Remove anonymous volumes associated with the container' },
  },
  args: { min: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const client = inv.client();
    return forEachArg(inv.args, io, async (name) => {
      const trimmed = name.replace(/^\/+/, '');
      if (trimmed === '') throw new Error('Container name cannot be empty');
      await client.discard('DELETE', `/containers/${encodeURIComponent(trimmed)}`, {
        query: { force: inv.bool('force') ? '1' : undefined, link: inv.bool('link') ? '1' : undefined, v: inv.bool('volumes') ? '1' : undefined },
      });
      return name;
    });
  });
}
