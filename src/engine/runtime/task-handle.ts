import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ExitStatus } from './index.js';
import type { MonitorConnection } from './monitor-connection.js';
import { Frame, type ExitFrame } from './monitor/protocol.js';
import { taskFiles, type TaskFiles } from './task-files.js';

/** Berth's record of a task (task.json): what any later daemon needs to manage it. */
export interface TaskRecord {
  id: string;
  runtime: string;
  runtimePath: string;
  runtimeRoot: string;
  cgroupPath: string;
  socketPath: string;
  tty: boolean;
  openStdin: boolean;
  keepForOom: boolean;
  createdAt: string;
  labels: Record<string, string>;
  /** The caller's mounted rootfs (TaskSpec.rootfsPath); absent: <bundle>/rootfs. */
  rootfs?: string;
}

/** The daemon's in-memory view of one task. */
export class TaskHandle {
  readonly files: TaskFiles;
  pid = 0;
  startedAt: Date | undefined;
  exit: ExitStatus | undefined;
  control: MonitorConnection | undefined;
  readonly exited: Promise<ExitStatus>;
  private resolveExit!: (e: ExitStatus) => void;

  constructor(
    readonly record: TaskRecord,
    taskDir: string,
  ) {
    this.files = taskFiles(taskDir);
    this.exited = new Promise((r) => (this.resolveExit = r));
  }

  /** Where the task's root filesystem is seen from the host. */
  get rootfs(): string {
    return this.record.rootfs ?? this.files.rootfs;
  }

  setExit(e: ExitFrame | ExitStatus): void {
    if (this.exit) return;
    this.exit = toExitStatus(e);
    this.resolveExit(this.exit);
  }

  /** Takes the monitor connection that reports the exit; onLost runs if it closes without one. */
  setControl(conn: MonitorConnection, onLost: () => void): void {
    this.control = conn;
    conn.stream((kind, payload) => {
      if (kind === Frame.Exit) this.setExit(JSON.parse(payload.toString('utf8')) as ExitFrame);
    });
    void conn.closed.then(async () => {
      if (this.control === conn) this.control = undefined;
      if (this.exit) return;
      const saved = await readExitFile(this.files.exit);
      if (saved) this.setExit(saved);
      else onLost();
    });
  }
}

export function toExitStatus(e: ExitFrame | ExitStatus): ExitStatus {
  const finishedAt = e.finishedAt instanceof Date ? e.finishedAt : new Date(e.finishedAt);
  return {
    exitCode: e.exitCode,
    finishedAt,
    oomKilled: e.oomKilled,
    ...(e.signal !== undefined ? { signal: e.signal } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  };
}

export async function readExitFile(path: string): Promise<ExitFrame | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ExitFrame;
  } catch {
    return undefined;
  }
}

/** Writes exit.json atomically, as the monitor does (used when the daemon has to speak for a lost monitor). */
export async function writeExitFile(files: TaskFiles, e: ExitFrame): Promise<void> {
  await writeFile(files.exitTmp, JSON.stringify(e));
  await rename(files.exitTmp, files.exit);
}

export async function readRecord(path: string): Promise<TaskRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as TaskRecord;
  } catch {
    return undefined;
  }
}
