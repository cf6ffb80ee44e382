/**
 * `berth exec CONTAINER COMMAND [ARG...]`: creates an exec, starts it over a
 * hijacked connection (or detached with -d), keeps the TTY size in sync,
 * and exits with the exec's exit code from GET /exec/{id}/json.
 */
import { streamHijacked } from '../engine-client/attach-stream.js';
import { monitorTtySize } from '../engine-client/tty.js';
import type { ContainerInspect, ExecInspect } from '../engine-client/types.js';
import { CliError, StatusError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { readEnv } from './container/env-files.js';

export const spec: CommandSpec = {
  name: 'exec',
  usage: 'berth exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  summary: 'Execute a command in a running container',
  flags: {
    detach: { type: 'bool', short: 'd', help: 'Detached mode: run command in the background' },
    'detach-keys': { type: 'string', help: 'Override the key sequence for detaching a container' },
    env: { type: 'list', short: 'e', value: 'list', help: 'Set environment variables' },
    'env-file': { type: 'list', value: 'list', help: 'Read in a file of environment variables' },
    interactive: { type: 'bool', short: 'i', help: 'Keep STDIN open even if not attached' },
    privileged: { type: 'bool', help: 'Give extended privileges to the command' },
    tty: { type: 'bool', short: 't', help: 'Allocate a pseudo-TTY' },
    user: { type: 'string', short: 'u', help: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    workdir: { type: 'string', short: 'w', help: 'Working directory inside the container' },
  },
  args: { min: 2 },
  interspersed: false,
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const [container, ...cmd] = inv.args as [string, ...string[]];
    const detach = inv.bool('detach');
    const tty = inv.bool('tty');
    const attachStdin = !detach && inv.bool('interactive');
    const env = readEnv(inv.list('env-file'), inv.list('env'));
    const client = inv.client();
    await client.json<ContainerInspect>('GET', `/containers/${encodeURIComponent(container)}/json`);
    if (attachStdin && tty && !process.stdin.isTTY) throw new CliError('the input device is not a TTY');
    const { Id: execId } = await client.json<{ Id: string }>('POST', `/containers/${encodeURIComponent(container)}/exec`, {
      body: {
        User: inv.string('user') ?? '',
        Privileged: inv.bool('privileged'),
        Tty: tty,
        AttachStdin: attachStdin,
        AttachStderr: !detach,
        AttachStdout: !detach,
        Detach: detach,
        DetachKeys: inv.string('detach-keys') ?? '',
        Env: env.length > 0 ? env : null,
        WorkingDir: inv.string('workdir') ?? '',
        Cmd: cmd,
      },
    });
    if (detach) {
      await client.discard('POST', `/exec/${execId}/start`, { body: { Detach: true, Tty: tty } });
      return 0;
    }
    const conn = await client.hijack('POST', `/exec/${execId}/start`, { body: { Detach: false, Tty: tty } });
    const done = streamHijacked(conn, { stdin: attachStdin ? process.stdin : undefined, stdout: io.stdout, stderr: tty ? io.stdout : io.stderr, tty, detachKeys: inv.string('detach-keys') });
    const stopResize = tty && (io.stdout as NodeJS.WriteStream).isTTY ? monitorTtySize(async ([h, w]) => void (await client.discard('POST', `/exec/${execId}/resize`, { query: { h, w } }))) : () => {};
    try {
      if ((await done) === 'detached') return 0;
    } finally {
      stopResize();
      if (attachStdin) process.stdin.destroy();
    }
    const info = await client.json<ExecInspect>('GET', `/exec/${execId}/json`);
    if (info.ExitCode !== null && info.ExitCode !== 0) throw new StatusError(info.ExitCode);
    return 0;
  });
}
