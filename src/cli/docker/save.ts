/**
 * `berth save IMAGE...`: GET /images/get?names=… written to -o FILE (through
 * a temporary file renamed into place) or to stdout when it is not a terminal.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CliError } from './common/cli-error.js';
import { runCommand, type CommandSpec } from './common/command.js';

export const spec: CommandSpec = {
  name: 'save',
  usage: 'berth save [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: {
    output: { type: 'string', short: 'o', help: 'Write to a file, instead of STDOUT' },
    platform: { type: 'list', value: 'list', help: 'Save only the given platform(s)' },
  },
  args: { min: 1 },
};

export function run(args: string[]): Promise<number> {
  return runCommand(spec, args, async (inv, io) => {
    const output = inv.string('output');
    if (!output && (io.stdout as NodeJS.WriteStream).isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    if (output) {
      const dir = dirname(output);
      try {
        if (!(await stat(dir)).isDirectory()) throw new Error();
      } catch {
        throw new CliError(`failed to save image: invalid output path: stat ${dir}: no such file or directory`);
      }
    }
    const res = await inv.client().request('GET', '/images/get', { query: { names: inv.args } });
    if (!output) {
      for await (const chunk of res) {
        if (!io.stdout.write(chunk as Buffer)) await new Promise((r) => io.stdout.once('drain', r));
      }
      return 0;
    }
    const tmp = join(dirname(output), `.${basename(output)}.${process.pid}.tmp`);
    try {
      await pipeline(res, createWriteStream(tmp, { mode: 0o644 }));
      await rename(tmp, output);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return 0;
  });
}
