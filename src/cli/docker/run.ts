/**
 * `berth run IMAGE [COMMAND] [ARG...]`: create and run a container with
 * the docker CLI's flags, stdin/TTY behaviour, signal proxying and exit
 * codes (the container's status; 125, 126, 127 as Docker).
 */
import { ttySize } from '../engine-client/tty.js';
import { CliError, StatusError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { buildCreateRequest, type CreateRequest } from './container/create-body.js';
import { CONTAINER_FLAGS, RUN_FLAGS } from './container/container-flags.js';
import { runContainer, runErrorText } from './container/run-container.js';

export const spec: CommandSpec = {
  name: 'run',
  usage: 'berth run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  summary: 'Create and run a new container from an image',
  flags: { ...CONTAINER_FLAGS, ...RUN_FLAGS },
  args: { min: 1 },
  interspersed: false,
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const pull = inv.string('pull') ?? 'missing';
    if (!['always', 'missing', 'never', ''].includes(pull)) {
      throw new StatusError(125, runErrorText(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`));
    }
    const detach = inv.bool('detach');
    if (detach && inv.list('attach').length > 0) throw new CliError('conflicting options: cannot specify both --attach and --detach');
    let req: CreateRequest;
    try {
      req = buildCreateRequest(inv, { detach, consoleSize: ttySize(io.stdout as NodeJS.WriteStream) });
    } catch (err) {
      throw new StatusError(125, runErrorText((err as Error).message));
    }
    return runContainer(inv.client(), req, {
      detach,
      sigProxy: inv.flags.bools.get('sig-proxy') ?? true,
      detachKeys: inv.string('detach-keys'),
      pull: (pull || 'missing') as 'missing' | 'always' | 'never',
      quiet: inv.bool('quiet'),
      platform: inv.string('platform'),
    }, io);
  });
}
