/**
 * `berth start CONTAINER...`: starts containers; with -a/-i attaches to one
 * (inspect, attach, wait, start, resize, as the docker CLI) and exits with
 * its status.
 */
import { ApiError } from '../engine-client/api-error.js';
import { streamHijacked } from '../engine-client/attach-stream.js';
import { readAll } from '../engine-client/engine-client.js';
import { monitorTtySize } from '../engine-client/tty.js';
import type { ContainerInspect, WaitResponse } from '../engine-client/types.js';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { forwardSignals } from './container/signal-proxy.js';

export const spec: CommandSpec = {
  name: 'start',
  usage: 'berth start [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Start one or more stopped containers',
  flags: {
    attach: { type: 'bool', short: 'a', help: 'Attach STDOUT/STDERR and forward signals' },
    'detach-keys': { type: 'string', help: 'Override the key sequence for detaching a container' },
    interactive: { type: 'bool', short: 'i', help: "Attach container's STDIN" },
  },
  args: { min: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const client = inv.client();
    if (!inv.bool('attach') && !inv.bool('interactive')) {
      const failed: string[] = [];
      for (const name of inv.args) {
        try {
          await client.discard('POST', `/containers/${encodeURIComponent(name)}/start`);
          io.stdout.write(`${name}\n`);
        } catch (err) {
          io.stderr.write(`${err instanceof ApiError ? err.toString() : (err as Error).message}\n`);
          failed.push(name);
        }
      }
      if (failed.length === 0) return 0;
      throw new CliError(`Error: failed to start containers: ${failed.join(', ')}`);
    }
    if (inv.args.length > 1) throw new CliError('you cannot start and attach multiple containers at once');
    const c = await client.json<ContainerInspect>('GET', `/containers/${encodeURIComponent(inv.args[0]!)}/json`);
    const tty = c.Config.Tty;
    const withStdin = inv.bool('interactive') && c.Config.OpenStdin;
    if (withStdin && tty && !process.stdin.isTTY) throw new CliError('the input device is not a TTY');
    const stopSignals = tty ? () => {} : forwardSignals(client, c.Id);
    try {
      const conn = await client.hijack('POST', `/containers/${c.Id}/attach`, {
        query: { stream: '1', stdin: withStdin ? '1' : undefined, stdout: '1', stderr: '1', detachKeys: inv.string('detach-keys') },
        contentType: 'text/plain',
      });
      const done = streamHijacked(conn, { stdin: withStdin ? process.stdin : undefined, stdout: io.stdout, stderr: tty ? io.stdout : io.stderr, tty, detachKeys: inv.string('detach-keys') });
      done.catch(() => {});
      const waitRes = await client.request('POST', `/containers/${c.Id}/wait`, { query: { condition: 'next-exit' } });
      const status = readAll(waitRes).then((b) => (JSON.parse(b.toString()) as WaitResponse).StatusCode);
      status.catch(() => {});
      await client.discard('POST', `/containers/${c.Id}/start`);
      const stopResize = tty && (io.stdout as NodeJS.WriteStream).isTTY ? monitorTtySize(async ([h, w]) => void (await client.discard('POST', `/containers/${c.Id}/resize`, { query: { h, w } }))) : () => {};
      try {
        if ((await done) === 'detached') return 0;
      } finally {
        stopResize();
      }
      return await status;
    } finally {
      stopSignals();
      if (withStdin) process.stdin.destroy();
    }
  });
}
