/** `berth stop CONTAINER...`: POST /containers/{name}/stop[?t=N] for each. */
import { runCommand, forEachArg, type CommandSpec } from './common/command.js';
import { checkInt } from './common/flag-values.js';

export const spec: CommandSpec = {
  name: 'stop',
  usage: 'berth stop [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Stop one or more running containers',
  flags: {
    signal: { type: 'string', short: 's', help: 'Signal to send to the container' },
    time: { type: 'string', short: 't', value: 'int', help: 'Seconds to wait before killing the container', aliases: ['timeout'], check: checkInt },
  },
  args: { min: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const client = inv.client();
    const t = inv.string('time');
    return forEachArg(inv.args, io, async (name) => {
      await client.discard('POST', `/containers/${encodeURIComponent(name)}/stop`, { query: { t, signal: inv.string('signal') || undefined } });
      return name;
    });
  });
}
