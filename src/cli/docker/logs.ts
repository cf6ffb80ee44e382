/**
 * `berth logs CONTAINER`: reads Config.Tty first (GET /containers/{name}/json),
 * then streams GET /containers/{id}/logs, demultiplexed unless the container
 * has a TTY.
 */
import type { ContainerInspect } from '../engine-client/types.js';
import { demuxStream } from '../engine-client/stdcopy.js';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { getTimestamp } from './format/go-time.js';

export const spec: CommandSpec = {
  name: 'logs',
  usage: 'berth logs [OPTIONS] CONTAINER',
  summary: 'Fetch the logs of a container',
  flags: {
    details: { type: 'bool', help: 'Show extra details provided to logs' },
    follow: { type: 'bool', short: 'f', help: 'Follow log output' },
    since: { type: 'string', help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    tail: { type: 'string', short: 'n', help: 'Number of lines to show from the end of the logs', defaultText: '"all"' },
    timestamps: { type: 'bool', short: 't', help: 'Show timestamps' },
    until: { type: 'string', help: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  },
  args: { exact: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const client = inv.client();
    const c = await client.json<ContainerInspect>('GET', `/containers/${encodeURIComponent(inv.args[0]!)}/json`);
    const now = Date.now();
    const ts = (name: string): string | undefined => {
      const v = inv.string(name);
      if (v === undefined || v === '') return undefined;
      try {
        return getTimestamp(v, now);
      } catch (err) {
        throw new CliError(`invalid value for "${name}": ${(err as Error).message}`);
      }
    };
    const res = await client.request('GET', `/containers/${c.Id}/logs`, {
      query: {
        stdout: '1',
        stderr: '1',
        since: ts('since'),
        until: ts('until'),
        timestamps: inv.bool('timestamps') ? '1' : undefined,
        follow: inv.bool('follow') ? '1' : undefined,
        tail: inv.string('tail') ?? 'all',
        details: inv.bool('details') ? '1' : undefined,
      },
    });
    if (c.Config.Tty) {
      for await (const chunk of res) io.stdout.write(chunk as Buffer);
    } else await demuxStream(res, { stdout: io.stdout, stderr: io.stderr });
    return 0;
  });
}
