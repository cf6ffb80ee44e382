/**
 * `berth load [-i FILE]`: POST /images/load with a tar (docker-archive or
 * OCI layout) from a file or stdin; prints "Loaded image: …".
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { displayJsonMessages } from './format/json-message.js';

export const spec: CommandSpec = {
  name: 'load',
  usage: 'berth load [OPTIONS]',
  summary: 'Load an image from a tar archive or STDIN',
  flags: {
    input: { type: 'string', short: 'i', help: 'Read from tar archive file, instead of STDIN' },
    platform: { type: 'list', value: 'list', help: 'Load only the given platform(s)' },
    quiet: { type: 'bool', short: 'q', help: 'Suppress the load output' },
  },
  args: { max: 0 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const input = inv.string('input');
    let body: Readable;
    if (input) {
      try {
        await access(input);
      } catch {
        throw new CliError(`open ${input}: no such file or directory`);
      }
      body = createReadStream(input);
    } else {
      if (process.stdin.isTTY) throw new CliError('requested load from stdin, but stdin is empty');
      body = process.stdin;
    }
    const terminal = (io.stdout as NodeJS.WriteStream).isTTY === true;
    const res = await inv.client().request('POST', '/images/load', { query: { quiet: inv.bool('quiet') || !terminal ? '1' : undefined }, body, contentType: 'application/x-tar' });
    if (res.headers['content-type'] === 'application/json') await displayJsonMessages(res, io.stdout, { terminal });
    else for await (const chunk of res) io.stdout.write(chunk as Buffer);
    return 0;
  });
}
