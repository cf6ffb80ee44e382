/**
 * `berth import file|URL|- [REPOSITORY[:TAG]]`: POST /images/create?fromSrc=…
 * with the tarball streamed as the body (or the URL for the daemon to
 * fetch); prints the new image ID.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';
import { parseReference } from './common/reference-errors.js';
import { displayJsonMessages } from './format/json-message.js';

export const spec: CommandSpec = {
  name: 'import',
  usage: 'berth import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  summary: 'Import the contents from a tarball to create a filesystem image',
  flags: {
    change: { type: 'list', short: 'c', value: 'list', help: 'Apply Dockerfile instruction to the created image' },
    message: { type: 'string', short: 'm', help: 'Set commit message for imported image' },
    platform: { type: 'string', help: 'Set platform if server is multi-platform capable' },
  },
  args: { min: 1, max: 2 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const [source, repo] = inv.args as [string, string | undefined];
    if (repo !== undefined) {
      try {
        parseReference(repo);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    }
    let body: Readable | undefined;
    let fromSrc = source;
    if (source === '-') {
      body = process.stdin;
    } else if (!/^(https?):\/\//.test(source)) {
      try {
        await access(source);
      } catch {
        throw new CliError(`open ${source}: no such file or directory`);
      }
      body = createReadStream(source);
      fromSrc = '-';
    }
    const res = await inv.client().request('POST', '/images/create', {
      query: { fromSrc, repo, message: inv.string('message') || undefined, platform: inv.string('platform')?.toLowerCase() || undefined, changes: inv.list('change') },
      ...(body ? { body, contentType: 'text/plain' } : {}),
    });
    await displayJsonMessages(res, io.stdout, { terminal: (io.stdout as NodeJS.WriteStream).isTTY === true });
    return 0;
  });
}
