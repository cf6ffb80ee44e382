import { readJsonFileLogs, type ReadLogsOptions } from '../logs/index.js';
import type { Attachment, Runtime, TaskStats } from '../runtime/index.js';
import type { ContainerRuntime, ExecRequest, LogEntry, LogOptions, RunningExec, TaskAttachment, TaskExit, TaskSetup } from './hooks.js';
import { taskIoFor, taskSpecFor } from './task-spec.js';
import type { ContainerRecord } from './types.js';

/**
 * Adapts the runtime layer to what the container service needs: Docker
 * records become TaskSpecs, attachments end when the runtime says the
 * client's output is over, and stats take Docker's shape.
 */
export class RuntimeAdapter implements ContainerRuntime {
  constructor(
    private readonly runtime: Runtime,
    /** Resolves `container:<x>` references to container ids. */
    private readonly resolveContainer: (idOrName: string) => string,
  ) {}

  start(rec: ContainerRecord, setup: TaskSetup, attachments: TaskAttachment[]): Promise<{ pid: number; startedAt: Date }> {
    return this.runtime.start(taskSpecFor(rec, setup, this.resolveContainer), taskIoFor(rec), attachments.map(toAttachment));
  }

  attach(id: string, attachment: TaskAttachment): Promise<void> {
    return this.runtime.attach(id, toAttachment(attachment));
  }

  async wait(id: string): Promise<TaskExit> {
    const s = await this.runtime.wait(id);
    return { exitCode: s.exitCode, finishedAt: s.finishedAt, oomKilled: s.oomKilled };
  }

  kill(id: string, signal: string): Promise<void> {
    return this.runtime.kill(id, signal);
  }

  pause(id: string): Promise<void> {
    return this.runtime.pause(id);
  }

  resume(id: string): Promise<void> {
    return this.runtime.resume(id);
  }

  resize(id: string, rows: number, cols: number): Promise<void> {
    return this.runtime.resize(id, { rows, cols });
  }

  async exec(id: string, req: ExecRequest, attachment: TaskAttachment): Promise<RunningExec> {
    const handle = await this.runtime.exec(id, {
      args: req.args, env: req.env, cwd: req.cwd, user: req.user || '0', terminal: req.tty, openStdin: req.stdin, privileged: req.privileged,
    }, toAttachment(attachment));
    return { pid: handle.pid, exit: handle.wait(), resize: (rows, cols) => handle.resize({ rows, cols }) };
  }

  async stats(id: string): Promise<Record<string, unknown>> {
    return dockerStats(await this.runtime.stats(id));
  }

  top(id: string, psArgs: string | undefined): Promise<{ Titles: string[]; Processes: string[][] }> {
    return this.runtime.top(id, psArgs);
  }

  async delete(id: string): Promise<void> {
    try {
      await this.runtime.delete(id);
    } catch (err) {
      if ((err as { kind?: string }).kind !== 'NotFound') throw err;
    }
  }

  async restore(): Promise<{ id: string; running: boolean; pid: number; startedAt?: Date; exit?: TaskExit }[]> {
    return (await this.runtime.restore()).map((t) => ({
      id: t.id,
      running: t.status !== 'exited',
      pid: t.pid,
      ...(t.startedAt ? { startedAt: t.startedAt } : {}),
      ...(t.exit ? { exit: { exitCode: t.exit.exitCode, finishedAt: t.exit.finishedAt, oomKilled: t.exit.oomKilled } } : {}),
    }));
  }

  async *logs(rec: ContainerRecord, o: LogOptions): AsyncIterable<LogEntry> {
    const options: ReadLogsOptions = {
      stdout: o.stdout,
      stderr: o.stderr,
      follow: o.follow && rec.State.Running,
      signal: o.signal,
      ...(o.tail !== 'all' ? { tail: o.tail } : {}),
      ...(o.sinceNs > 0 ? { since: BigInt(Math.floor(o.sinceNs)) } : {}),
      ...(Number.isFinite(o.untilNs) ? { until: BigInt(Math.floor(o.untilNs)) } : {}),
      ...(o.follow && rec.State.Running ? { done: this.runtime.wait(rec.Id) } : {}),
    };
    for await (const e of readJsonFileLogs(rec.LogPath, options)) {
      yield { stream: e.stream, time: e.timestamp, line: e.line };
    }
  }
}

function toAttachment(a: TaskAttachment): Attachment {
  return {
    ...(a.stdin ? { stdin: a.stdin } : {}),
    ...(a.stdout ? { stdout: a.stdout } : {}),
    ...(a.stderr ? { stderr: a.stderr } : {}),
    ...(a.signal ? { signal: a.signal } : {}),
    onClose: () => {
      a.stdout?.end();
      a.stderr?.end();
    },
  };
}

/** The runtime's stats in Docker's /containers/{id}/stats shape (cgroup v1 keys). */
function dockerStats(s: TaskStats): Record<string, unknown> {
  const entries = (list: { major: number; minor: number; op: string; value: number }[]) => list.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: e.value }));
  return {
    read: s.read.toISOString(),
    pids_stats: { current: s.pids.current, ...(s.pids.limit !== undefined ? { limit: s.pids.limit } : {}) },
    blkio_stats: {
      io_service_bytes_recursive: entries(s.blkio.ioServiceBytesRecursive),
      io_serviced_recursive: entries(s.blkio.ioServicedRecursive),
      io_queue_recursive: [], io_service_time_recursive: [], io_wait_time_recursive: [], io_merged_recursive: [], io_time_recursive: [], sectors_recursive: [],
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: {
      cpu_usage: { total_usage: s.cpu.totalUsage, percpu_usage: s.cpu.perCpuUsage, usage_in_kernelmode: s.cpu.usageInKernelmode, usage_in_usermode: s.cpu.usageInUsermode },
      system_cpu_usage: s.cpu.systemCpuUsage,
      online_cpus: s.cpu.onlineCpus,
      throttling_data: { periods: s.cpu.throttling.periods, throttled_periods: s.cpu.throttling.throttledPeriods, throttled_time: s.cpu.throttling.throttledTime },
    },
    memory_stats: { usage: s.memory.usage, max_usage: s.memory.maxUsage, stats: s.memory.stats, failcnt: s.memory.failcnt, limit: s.memory.limit },
  };
}
