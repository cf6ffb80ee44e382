import { readFile, rm } from 'node:fs/promises';
import { errorMessage, internal, logger } from '../../core/index.js';
import { removeCgroup } from '../../platform/linux/cgroups.js';
import { isGoneOrZombie, signalPid, waitGone } from '../../platform/linux/processes.js';
import { mountsUnder, unmountTree } from '../../platform/linux/unmount-tree.js';
import { hasRuntimeState, runtimeCall } from './runc-cli.js';
import type { TaskRecord } from './task-handle.js';
import type { TaskFiles } from './task-files.js';

const log = logger('runtime.cleanup');

/**
 * Removes every trace of a task: its monitor (given time to finish), runc
 * state, cgroups, mounts under the bundle, the bundle and socket. Safe to run
 * on half-made tasks (daemon killed mid-start) and to run twice.
 */
export async function cleanupTask(files: TaskFiles, record: TaskRecord | undefined, options: { monitorGraceMs?: number; monitorDone?: boolean } = {}): Promise<void> {
  // A monitor that reported the exit and closed its connection has finished its
  // part (runc delete included); only its process exit is left, nothing to wait for.
  const monitorPid = options.monitorDone ? 0 : await readMonitorPid(files);
  if (monitorPid > 0 && !(await waitMonitorDone(files, monitorPid, options.monitorGraceMs ?? 5000))) {
    log.warn('monitor did not finish, killing it', { id: record?.id, pid: monitorPid });
    signalPid(monitorPid, 'SIGKILL');
    await waitGone(monitorPid, 2000);
  }
  if (record) {
    if (await hasRuntimeState(record)) {
      await runtimeCall(record, ['delete', '--force', record.id]).catch((e) => log.warn('runtime delete failed', { id: record.id, error: errorMessage(e) }));
    }
    const left = await removeCgroup(record.cgroupPath);
    if (left.length > 0) log.warn('cgroup still busy', { id: record.id, left });
    await rm(record.socketPath, { force: true });
  }
  await unmountTree(files.dir);
  // Never recurse into a filesystem still mounted: that would delete image or volume data.
  const still = await mountsUnder(files.dir);
  if (still.length > 0) throw internal(`cannot remove task ${record?.id ?? files.dir}: still mounted: ${still.join(', ')}`);
  await rm(files.dir, { recursive: true, force: true });
}

export async function readMonitorPid(files: TaskFiles): Promise<number> {
  return Number((await readFile(files.monitorPid, 'utf8').catch(() => '')).trim());
}

/**
 * Whether the monitor finished with this task within timeoutMs: it removes
 * its pid file when done, then exits or goes back to the pool to serve
 * another task (so its process staying alive says nothing).
 */
export async function waitMonitorDone(files: TaskFiles, pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await readMonitorPid(files)) !== pid || (await isGoneOrZombie(pid))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}
