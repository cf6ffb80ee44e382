import { errorMessage, logger } from '../../core/index.js';
import { isAlive, waitGone } from '../../platform/linux/processes.js';
import { readMonitorPid, waitMonitorDone } from './task-cleanup.js';
import { MonitorConnection } from './monitor-connection.js';
import type { StatusReply } from './monitor/protocol.js';
import { hasRuntimeState, runtimeCall } from './runc-cli.js';
import type { RuntimeContext } from './runtime-context.js';
import { readExitFile, writeExitFile, type TaskHandle } from './task-handle.js';

const log = logger('runtime.lost');

export const LOST_EXIT_CODE = 255;

/**
 * Connects to a task's monitor and takes its status and exit event. Returns
 * false when no monitor answers.
 */
export async function adoptMonitor(ctx: RuntimeContext, handle: TaskHandle): Promise<boolean> {
  let conn: MonitorConnection;
  try {
    conn = await MonitorConnection.open(handle.record.socketPath);
  } catch {
    return false;
  }
  try {
    const status = await conn.request<StatusReply>({ op: 'status' });
    handle.pid = status.pid;
    if (status.startedAt) handle.startedAt = new Date(status.startedAt);
    if (status.exit) handle.setExit(status.exit);
    handle.setControl(conn, () => void onLostMonitor(ctx, handle));
    return true;
  } catch {
    conn.close();
    return false;
  }
}

/**
 * The monitor connection closed with no exit reported. A live monitor is
 * re-adopted; a dead one means the task lost its stdio and its watcher: kill
 * what is left and record a synthetic exit (255, as Docker reports a lost task).
 */
export async function onLostMonitor(ctx: RuntimeContext, handle: TaskHandle, reason = 'task monitor lost'): Promise<void> {
  if (ctx.closing || handle.exit) return;
  const monitorPid = await readMonitorPid(handle.files);
  if (monitorPid > 0 && isAlive(monitorPid)) {
    if (await adoptMonitor(ctx, handle)) return;
    if (!(await waitMonitorDone(handle.files, monitorPid, 3000))) {
      if (await adoptMonitor(ctx, handle)) return;
    }
  }
  const saved = await readExitFile(handle.files.exit);
  if (saved) return handle.setExit(saved);
  log.warn('task lost its monitor', { id: handle.record.id });
  if (await hasRuntimeState(handle.record)) {
    await runtimeCall(handle.record, ['kill', handle.record.id, '9']).catch(() => {});
    if (handle.pid > 0) await waitGone(handle.pid, 2000);
  }
  const exit = { exitCode: LOST_EXIT_CODE, finishedAt: new Date().toISOString(), oomKilled: false, reason };
  await writeExitFile(handle.files, exit).catch((e) => log.error('cannot record exit', { id: handle.record.id, error: errorMessage(e) }));
  handle.setExit(exit);
}
