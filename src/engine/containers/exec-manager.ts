import { conflict, invalidArgument, notFound } from '../../core/index.js';
import { emitContainerEvent, type ContainerContext } from './context.js';
import type { RunningExec, TaskAttachment } from './hooks.js';
import { mergeEnv, newId } from './merge-config.js';

export interface ExecCreateBody {
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  DetachKeys?: string;
  Tty?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Privileged?: boolean;
  User?: string;
  WorkingDir?: string;
}

export interface ExecRecord {
  ID: string;
  ContainerID: string;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  OpenStdin: boolean;
  OpenStdout: boolean;
  OpenStderr: boolean;
  Tty: boolean;
  Cmd: string[];
  Env: string[];
  User: string;
  WorkingDir: string;
  Privileged: boolean;
  DetachKeys: string;
  started: boolean;
  process?: RunningExec;
  /** Settles when a start under way has its process (or failed). */
  starting?: Promise<unknown>;
}

/** dockerd waits this long for a starting exec before resizing it (the CLI resizes right after start). */
const RESIZE_WAIT_MS = 10_000;

/** dockerd's event action text: entrypoint, a space, the arguments (so `true` gives "true "). */
function execAction(cmd: readonly string[]): string {
  const [entrypoint = '', ...args] = cmd;
  return `${entrypoint} ${args.join(' ')}`;
}

/** `docker exec` instances: created, started once, inspected for the exit code. */
export class ExecManager {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(private readonly ctx: ContainerContext) {}

  create(idOrName: string, body: ExecCreateBody): { Id: string } {
    const rec = this.ctx.store.get(idOrName);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    // dockerd names the container as the client did here (errExecPaused(name)).
    if (rec.State.Paused) throw conflict(`Container ${idOrName} is paused, unpause the container before exec`);
    if (rec.State.Restarting) throw conflict(`Container ${rec.Id} is restarting, wait until the container is running`);
    if (!body.Cmd || body.Cmd.length === 0) throw invalidArgument('No exec command specified');
    const exec: ExecRecord = {
      ID: newId(),
      ContainerID: rec.Id,
      Running: false,
      ExitCode: null,
      Pid: 0,
      OpenStdin: body.AttachStdin ?? false,
      OpenStdout: body.AttachStdout ?? false,
      OpenStderr: body.AttachStderr ?? false,
      Tty: body.Tty ?? false,
      Cmd: body.Cmd,
      Env: body.Env ?? [],
      User: body.User || rec.Config.User || '',
      WorkingDir: body.WorkingDir || rec.Config.WorkingDir || '/',
      Privileged: body.Privileged ?? false,
      DetachKeys: body.DetachKeys ?? '',
      started: false,
    };
    this.execs.set(exec.ID, exec);
    rec.ExecIDs.push(exec.ID);
    emitContainerEvent(this.ctx, rec, `exec_create: ${execAction(exec.Cmd)}`, { execID: exec.ID });
    return { Id: exec.ID };
  }

  get(id: string): ExecRecord {
    const exec = this.execs.get(id);
    if (!exec) throw notFound(`No such exec instance: ${id}`);
    return exec;
  }

  /** Starts the exec; resolves with its exit code once the process ends. */
  async start(id: string, attachment: TaskAttachment): Promise<{ pid: number; exit: Promise<number> }> {
    const exec = this.get(id);
    if (exec.Running) throw conflict(`Error: Exec command ${id} is already running`);
    if (exec.started) throw conflict(`Error: Exec command ${id} has already run`);
    const rec = this.ctx.store.get(exec.ContainerID);
    if (!rec.State.Running) throw conflict(`Container ${rec.Id} is not running`);
    if (rec.State.Paused) throw conflict(`Container ${rec.Id} is paused, unpause the container before exec`);
    exec.started = true;
    const starting = (async () => {
      const p = await this.startProcess(exec, rec.Id, attachment);
      exec.Running = true;
      exec.Pid = p.pid;
      exec.process = p;
      return p;
    })();
    // A resize waiting on this sees the process once it settles.
    exec.starting = starting.catch(() => {});
    const proc = await starting.finally(() => delete exec.starting);
    emitContainerEvent(this.ctx, rec, `exec_start: ${execAction(exec.Cmd)}`, { execID: exec.ID });
    const exit = proc.exit.then((code) => {
      exec.Running = false;
      exec.ExitCode = code;
      exec.Pid = 0;
      delete exec.process;
      emitContainerEvent(this.ctx, rec, 'exec_die', { execID: exec.ID, exitCode: String(code) });
      return code;
    });
    return { pid: proc.pid, exit };
  }

  /** Runs the process; a failed start leaves exit code 126 in exec inspect, as dockerd does. */
  private async startProcess(exec: ExecRecord, containerId: string, attachment: TaskAttachment): Promise<RunningExec> {
    const rec = this.ctx.store.get(containerId);
    try {
      return await this.ctx.runtime.exec(rec.Id, {
        args: exec.Cmd,
        // dockerd's CreateDaemonEnvironment: a terminal gets TERM=xterm unless an env sets TERM.
        env: mergeEnv([...(exec.Tty ? ['TERM=xterm'] : []), ...(rec.Config.Env ?? [])], exec.Env),
        cwd: exec.WorkingDir,
        user: exec.User,
        tty: exec.Tty,
        privileged: exec.Privileged,
        stdin: exec.OpenStdin,
      }, attachment);
    } catch (err) {
      exec.ExitCode = 126;
      throw err;
    }
  }

  async resize(id: string, rows: number, cols: number): Promise<void> {
    const exec = this.get(id);
    if (!exec.process && exec.starting) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exec.starting, new Promise((r) => (timer = setTimeout(r, RESIZE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    if (!exec.process) throw conflict(`Exec ${id} is not running`);
    await exec.process.resize(rows, cols);
  }

  inspect(id: string): Record<string, unknown> {
    const e = this.get(id);
    const [entrypoint, ...args] = e.Cmd;
    return {
      CanRemove: false,
      ContainerID: e.ContainerID,
      DetachKeys: e.DetachKeys,
      ExitCode: e.ExitCode,
      ID: e.ID,
      OpenStderr: e.OpenStderr,
      OpenStdin: e.OpenStdin,
      OpenStdout: e.OpenStdout,
      ProcessConfig: { arguments: args, entrypoint, privileged: e.Privileged, tty: e.Tty, user: e.User },
      Running: e.Running,
      Pid: e.Pid,
    };
  }

  /** Drops the exec records of a removed container. */
  forget(containerId: string): void {
    for (const [id, e] of this.execs) if (e.ContainerID === containerId) this.execs.delete(id);
  }
}
