import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, isBerthError } from '../../core/index.js';
import { run } from '../../platform/linux/exec.js';
import type { TaskRecord } from './task-handle.js';

/** runc/crun verbs the daemon runs itself (the monitor runs `run` and `exec`). */
export async function runtimeCall(record: TaskRecord, args: string[]): Promise<string> {
  try {
    return (await run(record.runtimePath, ['--root', record.runtimeRoot, ...args])).stdout;
  } catch (e) {
    if (isBerthError(e) && /not running|container does not exist|stopped|not paused|is paused/i.test(e.message)) {
      throw conflict(`Container ${record.id} is not running`, { cause: e });
    }
    throw e;
  }
}

export interface RuncState {
  status: 'created' | 'running' | 'paused' | 'stopped' | string;
  pid: number;
}

export async function runtimeState(record: TaskRecord): Promise<RuncState | undefined> {
  if (!(await hasRuntimeState(record))) return undefined;
  try {
    return JSON.parse(await runtimeCall(record, ['state', record.id])) as RuncState;
  } catch {
    return undefined;
  }
}

/** Whether runc keeps state for the task (its dir under --root); cheaper than running runc. */
export async function hasRuntimeState(record: TaskRecord): Promise<boolean> {
  try {
    await access(join(record.runtimeRoot, record.id));
    return true;
  } catch {
    return false;
  }
}
