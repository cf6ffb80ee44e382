import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, failedPrecondition, notFound } from '../../core/index.js';
import { blkioWeightSupported, cgroupPids } from '../../platform/linux/cgroups.js';
import { readCgroupStats, type TaskStats } from '../../platform/linux/cgroup-stats.js';
import { boundingCapabilities, lastCapability } from '../../platform/linux/processes.js';
import { parseSignal } from '../../platform/linux/signals.js';
import type { Attachment, ExecHandle, ExecSpec, ExitStatus, Runtime, RuntimeInfo, RuntimeOptions, StartedTask, TaskIo, TaskSpec, TaskState, TerminalSize, TopResult } from './index.js';
import { MonitorConnection } from './monitor-connection.js';
import { MonitorPool } from './monitor-pool.js';
import { Frame } from './monitor/protocol.js';
import { DEFAULT_RUNTIMES, probeRuntime } from './oci-runtimes.js';
import { runtimeCall } from './runc-cli.js';
import type { RuntimeContext } from './runtime-context.js';
import { attachToMonitor } from './task-attach.js';
import { cleanupTask } from './task-cleanup.js';
import { execInTask } from './task-exec.js';
import type { TaskHandle } from './task-handle.js';
import { loadTask, restoreTasks, stateOf } from './task-restore.js';
import { startTask } from './task-start.js';
import { top } from './top.js';

/** Creates the runtime and starts its monitor pool; call restore() next to re-adopt tasks. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const execRoot = options.execRoot;
  const tasksDir = join(execRoot, 'tasks');
  const socketsDir = join(execRoot, 's');
  await mkdir(tasksDir, { recursive: true });
  await mkdir(socketsDir, { recursive: true });
  const pool = new MonitorPool({ socketPath: join(socketsDir, 'pool.sock'), logFile: join(execRoot, 'monitor.log'), size: options.monitorPoolSize ?? 2 });
  await pool.start();
  const binaries = { ...DEFAULT_RUNTIMES, ...(options.runtimes ?? {}) };
  const cgroupParent = options.cgroupParent ?? '/berth';
  const initBinary = options.initBinary ?? '/usr/bin/tini-static';
  // Probing costs a container start: done once, on first need.
  const probes = new Map<string, Promise<RuntimeInfo>>();
  const probe = (name: string): Promise<RuntimeInfo> | undefined => {
    const path = binaries[name];
    if (path === undefined) return undefined;
    let p = probes.get(name);
    if (!p) probes.set(name, (p = probeRuntime(name, path, { initBinary, cgroupParent })));
    return p;
  };
  const ctx: RuntimeContext = {
    execRoot,
    tasksDir,
    socketsDir,
    cgroupParent,
    defaultRuntime: options.defaultRuntime ?? 'runc',
    binaries,
    initBinary,
    pool,
    tasks: new Map(),
    probe,
    lastCap: lastCapability(),
    bounding: boundingCapabilities(),
    blkioWeight: blkioWeightSupported(),
    closing: false,
  };
  return new RuncRuntime(ctx);
}

class RuncRuntime implements Runtime {
  constructor(private readonly ctx: RuntimeContext) {}

  start(spec: TaskSpec, io: TaskIo, attachments: Attachment[] = []): Promise<StartedTask> {
    return startTask(this.ctx, spec, io, attachments);
  }

  async attach(id: string, attachment: Attachment): Promise<void> {
    const h = await this.running(id);
    await attachToMonitor(h.record.socketPath, attachment, h.record.tty);
  }

  async wait(id: string): Promise<ExitStatus> {
    return (await this.handle(id)).exited;
  }

  async kill(id: string, signal: string | number): Promise<void> {
    const h = await this.running(id);
    await runtimeCall(h.record, ['kill', id, String(parseSignal(signal))]);
  }

  async pause(id: string): Promise<void> {
    const h = await this.running(id);
    await runtimeCall(h.record, ['pause', id]);
  }

  async resume(id: string): Promise<void> {
    const h = await this.running(id);
    await runtimeCall(h.record, ['resume', id]);
  }

  async resize(id: string, size: TerminalSize): Promise<void> {
    const h = await this.running(id);
    if (!h.record.tty) throw failedPrecondition(`task ${id} has no terminal`);
    if (h.control) h.control.send(Frame.Resize, size);
    else {
      const c = await MonitorConnection.open(h.record.socketPath);
      await c.request({ op: 'resize', rows: size.rows, cols: size.cols }).finally(() => c.close());
    }
  }

  async exec(id: string, spec: ExecSpec, attachment?: Attachment): Promise<ExecHandle> {
    return execInTask(this.ctx, await this.running(id), spec, attachment);
  }

  async stats(id: string): Promise<TaskStats> {
    const h = await this.running(id);
    return readCgroupStats(h.record.cgroupPath);
  }

  async top(id: string, psArgs?: string): Promise<TopResult> {
    const h = await this.running(id);
    return top(await cgroupPids(h.record.cgroupPath), psArgs);
  }

  async delete(id: string): Promise<void> {
    const h = await this.handle(id);
    if (!h.exit) throw conflict(`task ${id} is running: stop it before deleting it`);
    // The monitor closes its connection once it has cleaned up (runc delete for OOM-watched tasks).
    let monitorDone = false;
    if (h.control) {
      const control = h.control;
      monitorDone = await Promise.race([control.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    }
    await cleanupTask(h.files, h.record, { monitorDone });
    this.ctx.tasks.delete(id);
  }

  restore(): Promise<TaskState[]> {
    return restoreTasks(this.ctx);
  }

  async runtimes(): Promise<RuntimeInfo[]> {
    const out: RuntimeInfo[] = [];
    for (const name of Object.keys(this.ctx.binaries)) {
      const p = this.ctx.probe(name);
      if (p) out.push(await p);
    }
    return out;
  }

  async state(id: string): Promise<TaskState> {
    return stateOf(await this.handle(id));
  }

  async close(): Promise<void> {
    this.ctx.closing = true;
    // Task connections first: the pool's server waits for its connections, and a
    // started task's control connection is the one its monitor came in on.
    for (const h of this.ctx.tasks.values()) h.control?.close();
    this.ctx.tasks.clear();
    await this.ctx.pool.close();
  }

  private async handle(id: string): Promise<TaskHandle> {
    const h = this.ctx.tasks.get(id) ?? (await loadTask(this.ctx, id).catch(() => undefined));
    if (!h) throw notFound(`no such task: ${id}`);
    return h;
  }

  private async running(id: string): Promise<TaskHandle> {
    const h = await this.handle(id);
    if (h.exit) throw conflict(`Container ${id} is not running`);
    return h;
  }
}
