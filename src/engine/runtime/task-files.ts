import { join } from 'node:path';

/** The files of one task's directory (also its OCI bundle), shared by the daemon and the monitor. */
export function taskFiles(taskDir: string) {
  return {
    dir: taskDir,
    config: join(taskDir, 'config.json'),
    rootfs: join(taskDir, 'rootfs'),
    /** Berth's record of the task, written first: restore recognises a task by it. */
    record: join(taskDir, 'task.json'),
    monitorPid: join(taskDir, 'monitor.pid'),
    initPid: join(taskDir, 'init.pid'),
    exit: join(taskDir, 'exit.json'),
    exitTmp: join(taskDir, '.exit.json.tmp'),
    runtimeLog: join(taskDir, 'runtime.log'),
    execProcess: (execId: string) => join(taskDir, `exec-${execId}.json`),
    execPid: (execId: string) => join(taskDir, `exec-${execId}.pid`),
  };
}

export type TaskFiles = ReturnType<typeof taskFiles>;
