import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { RuntimeInfo } from './index.js';
import type { MonitorPool } from './monitor-pool.js';
import type { TaskHandle } from './task-handle.js';

/** What the runtime's parts share: paths, settings, the pool and the known tasks. */
export interface RuntimeContext {
  execRoot: string;
  tasksDir: string;
  socketsDir: string;
  cgroupParent: string;
  defaultRuntime: string;
  binaries: Record<string, string>;
  initBinary: string;
  pool: MonitorPool;
  tasks: Map<string, TaskHandle>;
  /** Memoized probe of a runtime by name; undefined for unknown names. */
  probe: (name: string) => Promise<RuntimeInfo> | undefined;
  lastCap: Promise<number>;
  bounding: Promise<bigint | undefined>;
  blkioWeight: Promise<boolean>;
  closing: boolean;
}

export function taskDir(ctx: RuntimeContext, id: string): string {
  return join(ctx.tasksDir, id);
}

/** Monitor sockets live under a short hashed name: sun_path holds only 108 bytes. */
export function socketPath(ctx: RuntimeContext, id: string): string {
  return join(ctx.socketsDir, createHash('sha256').update(id).digest('hex').slice(0, 24) + '.sock');
}

/** Each OCI runtime keeps its own state under exec-root (runc and crun formats differ). */
export function runtimeRoot(ctx: RuntimeContext, runtime: string): string {
  return join(ctx.execRoot, 'runtime', runtime);
}

export const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
