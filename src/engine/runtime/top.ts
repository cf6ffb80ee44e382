import { invalidArgument } from '../../core/index.js';
import { run } from '../../platform/linux/exec.js';
import type { TopResult } from './index.js';

/**
 * `docker top`, as moby's ContainerTop: run `ps <args> -q <pids>` (or plain
 * `ps <args>` when the options refuse -q), then keep the rows whose PID column
 * is one of the task's pids.
 */
export async function top(pids: readonly number[], psArgs = '-ef'): Promise<TopResult> {
  const args = (psArgs.trim() === '' ? '-ef' : psArgs).split(' ').filter(Boolean);
  validatePsArgs(args);
  let output: string;
  try {
    output = (await run('ps', [...args, '-q', pids.join(',') || '0'])).stdout;
  } catch {
    try {
      output = (await run('ps', args)).stdout;
    } catch (e) {
      throw invalidArgument(`Error running ps: ${(e as Error).message}`);
    }
  }
  return parsePsOutput(output, pids);
}

/** -o with a field list containing spaces would split oddly: Docker refuses it. */
function validatePsArgs(args: string[]): void {
  for (const a of args) if (a.includes('\n')) throw invalidArgument('invalid ps args');
}

export function parsePsOutput(output: string, pids: readonly number[]): TopResult {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift() ?? '';
  const titles = header.trim().split(/\s+/);
  const pidIndex = titles.indexOf('PID');
  if (pidIndex === -1) throw invalidArgument(`Couldn't find PID field in ps output`);
  const wanted = new Set(pids);
  const processes: string[][] = [];
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (fields.length === 0) continue;
    const pid = Number(fields[pidIndex]);
    if (!wanted.has(pid)) continue;
    // The last column (CMD) keeps its spaces.
    const row = fields.slice(0, titles.length - 1);
    row.push(fields.slice(titles.length - 1).join(' '));
    processes.push(row);
  }
  return { Titles: titles, Processes: processes };
}
