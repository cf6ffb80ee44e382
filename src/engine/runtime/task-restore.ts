import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, logger } from '../../core/index.js';
import type { TaskState } from './index.js';
import type { RuntimeContext } from './runtime-context.js';
import { runtimeState } from './runc-cli.js';
import { cleanupTask } from './task-cleanup.js';
import { TaskHandle, readExitFile, readRecord } from './task-handle.js';
import { adoptMonitor, onLostMonitor } from './task-lost.js';
import { taskFiles } from './task-files.js';

const log = logger('runtime.restore');

/** Re-adopts every task under exec-root (see Runtime.restore). */
export async function restoreTasks(ctx: RuntimeContext): Promise<TaskState[]> {
  const names = await readdir(ctx.tasksDir).catch(() => [] as string[]);
  const out: TaskState[] = [];
  for (const name of names) {
    try {
      const handle = ctx.tasks.get(name) ?? (await loadTask(ctx, name));
      if (handle) out.push(await stateOf(handle));
    } catch (e) {
      log.error('cannot restore task', { id: name, error: errorMessage(e) });
    }
  }
  return out;
}

/** Loads one task from disk into ctx.tasks; undefined when there is no task (a half-made dir is removed). */
export async function loadTask(ctx: RuntimeContext, id: string): Promise<TaskHandle | undefined> {
  const dir = join(ctx.tasksDir, id);
  const record = await readRecord(taskFiles(dir).record);
  if (!record) {
    // Killed before the record was written: nothing ran, nothing to report.
    await readdir(dir).then(() => cleanupTask(taskFiles(dir), undefined), () => undefined);
    return undefined;
  }
  const existing = ctx.tasks.get(id);
  if (existing) return existing;
  const handle = new TaskHandle(record, dir);
  ctx.tasks.set(id, handle);
  handle.pid = Number((await readFile(handle.files.initPid, 'utf8').catch(() => '0')).trim()) || 0;
  const saved = await readExitFile(handle.files.exit);
  if (saved) handle.setExit(saved);
  else if (!(await adoptMonitor(ctx, handle))) {
    await onLostMonitor(ctx, handle, handle.pid > 0 ? 'task monitor lost' : 'task never started');
  }
  return handle;
}

export async function stateOf(handle: TaskHandle): Promise<TaskState> {
  const base = { id: handle.record.id, pid: handle.pid, labels: handle.record.labels, ...(handle.startedAt ? { startedAt: handle.startedAt } : {}) };
  if (handle.exit) return { ...base, status: 'exited', exit: handle.exit };
  const st = await runtimeState(handle.record);
  return { ...base, status: st?.status === 'paused' ? 'paused' : 'running' };
}
