import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { conflict, internal, invalidArgument } from '../../core/index.js';
import type { Attachment, ExecHandle, ExecSpec, TerminalSize, UserSpec } from './index.js';
import { allCapabilities } from './capabilities.js';
import { MonitorConnection } from './monitor-connection.js';
import { Frame, type ExitFrame } from './monitor/protocol.js';
import type { OciProcess, OciSpec } from './oci-spec.js';
import { resolveUser } from './resolve-user.js';
import type { RuntimeContext } from './runtime-context.js';
import { plumb } from './task-attach.js';
import type { TaskHandle } from './task-handle.js';

/**
 * Exec through the task's monitor (like containerd's shim): the process
 * outlives a daemon restart and its exit code is reported on its connection.
 * Unset fields default to the task's own process (user, cwd, capabilities);
 * env entries override the task's by key.
 */
export async function execInTask(ctx: RuntimeContext, handle: TaskHandle, spec: ExecSpec, attachment: Attachment = {}): Promise<ExecHandle> {
  if (handle.exit) throw conflict(`Container ${handle.record.id} is not running`);
  if (spec.args.length === 0) throw invalidArgument('No exec command specified');
  const task = JSON.parse(await readFile(handle.files.config, 'utf8')) as OciSpec;
  let user: UserSpec = task.process.user;
  if (typeof spec.user === 'object') user = spec.user;
  else if (spec.user) user = await resolveUser(handle.rootfs, spec.user);
  const caps = spec.privileged ? allCapabilities(await ctx.lastCap, await ctx.bounding) : task.process.capabilities.bounding;
  const terminal = spec.terminal === true;
  const proc: OciProcess = {
    ...task.process,
    terminal,
    user: { uid: user.uid, gid: user.gid, ...(user.additionalGids && user.additionalGids.length > 0 ? { additionalGids: user.additionalGids } : {}) },
    args: [...spec.args],
    env: mergeEnv(task.process.env, spec.env ?? []),
    cwd: spec.cwd && spec.cwd !== '' ? spec.cwd : task.process.cwd,
    capabilities: { bounding: caps, effective: caps, permitted: caps },
  };
  delete proc.consoleSize;
  delete proc.oomScoreAdj;
  if (terminal && spec.consoleSize) proc.consoleSize = { height: spec.consoleSize.rows, width: spec.consoleSize.cols };
  const execId = randomBytes(8).toString('hex');
  await writeFile(handle.files.execProcess(execId), JSON.stringify(proc));
  const conn = await MonitorConnection.open(handle.record.socketPath);
  const detach = spec.detach === true;
  const stdin = spec.openStdin === true && attachment.stdin !== undefined && !detach;
  const reply = await conn
    .request<{ ok: boolean; pid?: number; error?: string }>({
      op: 'exec',
      execId,
      tty: terminal,
      stdin,
      detach,
      ...(spec.consoleSize ? { consoleSize: spec.consoleSize } : {}),
    })
    .catch((e: unknown) => {
      conn.close();
      throw e;
    });
  if (!reply.ok || !reply.pid) {
    conn.close();
    const msg = reply.error ?? 'exec failed';
    if (/not running/.test(msg)) throw conflict(`Container ${handle.record.id} is not running`);
    if (/executable file not found|no such file or directory|permission denied/i.test(msg)) throw invalidArgument(`OCI runtime exec failed: ${msg}`);
    throw internal(`OCI runtime exec failed: ${msg}`);
  }
  let exitCode: number | undefined;
  const onExit = (payload: Buffer) => (exitCode = (JSON.parse(payload.toString('utf8')) as ExitFrame).exitCode);
  if (detach) {
    conn.stream((kind, payload) => kind === Frame.Exit && onExit(payload));
  } else {
    const a: Attachment = stdin ? attachment : { ...attachment };
    if (!stdin) delete a.stdin;
    plumb(conn, a, terminal, onExit);
  }
  const done = conn.closed.then(() => exitCode ?? 255);
  return {
    pid: reply.pid,
    wait: () => done,
    resize: async (size: TerminalSize) => {
      if (!terminal) return;
      conn.send(Frame.Resize, size);
    },
  };
}

/** Task env with exec's KEY=value entries replacing same-named ones. */
export function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const key = (e: string) => e.split('=', 1)[0] ?? e;
  const out = base.filter((e) => !extra.some((x) => key(x) === key(e)));
  return [...out, ...extra];
}
