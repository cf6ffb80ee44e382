import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { conflict, errorMessage, failedPrecondition, internal, invalidArgument, logger, notFound } from '../../core/index.js';
import { mountAll } from '../../platform/linux/mount.js';
import { hostDevice, hostDevices } from '../../platform/linux/processes.js';
import type { Attachment, NamespaceSource, StartedTask, TaskIo, TaskSpec, UserSpec } from './index.js';
import { buildOciSpec, type OciContext } from './oci-spec.js';
import { resolveUser } from './resolve-user.js';
import { runtimeRoot, socketPath, taskDir, TASK_ID, type RuntimeContext } from './runtime-context.js';
import { TaskHandle, type TaskRecord } from './task-handle.js';
import { cleanupTask } from './task-cleanup.js';
import { attachToMonitor } from './task-attach.js';
import type { MonitorAssignment } from './monitor/protocol.js';
import type { MonitorConnection } from './monitor-connection.js';
import { onLostMonitor } from './task-lost.js';

const log = logger('runtime.start');

/**
 * Start = prepare the bundle (while a pooled monitor is taken), hand the task
 * to the monitor, connect the early attach clients, then say start. Any
 * failure tears down everything made so far.
 */
export async function startTask(ctx: RuntimeContext, spec: TaskSpec, io: TaskIo, attachments: Attachment[]): Promise<StartedTask> {
  if (!TASK_ID.test(spec.id)) throw invalidArgument(`invalid task id: ${JSON.stringify(spec.id)}`);
  if (spec.process.args.length === 0) throw invalidArgument('no command specified');
  if ((spec.rootfsPath === undefined) === (spec.rootfsMounts === undefined)) throw invalidArgument('give either rootfsMounts or rootfsPath');
  if (spec.rootfsPath !== undefined && !isAbsolute(spec.rootfsPath)) throw invalidArgument(`rootfsPath must be absolute: ${spec.rootfsPath}`);
  const runtime = spec.runtime ?? ctx.defaultRuntime;
  const runtimePath = ctx.binaries[runtime];
  if (!runtimePath) throw invalidArgument(`unknown or invalid runtime name: ${runtime}`);
  if (runtime !== 'runc') {
    const probe = await probeOf(ctx, runtime);
    if (!probe.usable) throw failedPrecondition(`runtime ${runtime} is unusable on this host: ${probe.reason ?? 'probe failed'}`);
  }
  if (ctx.tasks.has(spec.id)) throw conflict(`task ${spec.id} already exists`);
  const dir = taskDir(ctx, spec.id);
  try {
    await mkdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw conflict(`task ${spec.id} already exists`);
    throw e;
  }
  const record: TaskRecord = {
    id: spec.id,
    runtime,
    runtimePath,
    runtimeRoot: runtimeRoot(ctx, runtime),
    cgroupPath: `${ctx.cgroupParent.replace(/\/+$/, '')}/${spec.id}`,
    socketPath: socketPath(ctx, spec.id),
    tty: io.tty === true,
    openStdin: io.openStdin === true,
    keepForOom: (spec.resources?.memory ?? 0) > 0 || (spec.resources?.memorySwap ?? 0) > 0,
    createdAt: new Date().toISOString(),
    labels: spec.labels ?? {},
    ...(spec.rootfsPath !== undefined ? { rootfs: spec.rootfsPath } : {}),
  };
  const handle = new TaskHandle(record, dir);
  ctx.tasks.set(spec.id, handle);
  const t0 = performance.now();
  const lap = (step: string) => log.debug('start step', { id: spec.id, step, ms: Math.round((performance.now() - t0) * 10) / 10 });
  const monitorP = ctx.pool.acquire();
  monitorP.catch(() => {});
  let monitor: MonitorConnection | undefined;
  const clients: MonitorConnection[] = [];
  try {
    // The record first (restore recognises a task by it), the bundle meanwhile.
    const recordWritten = writeFile(handle.files.record, JSON.stringify(record));
    // The monitor takes its assignment while the bundle is prepared: it needs config.json only at start.
    const assignP = recordWritten.then(() => monitorP).then(async (m) => {
      monitor = m;
      lap('monitor acquired');
      const assigned = await m.request<{ ok: boolean; error?: string }>({ op: 'assign', assignment: assignmentOf(spec, io, record, dir) });
      if (!assigned.ok) throw internal(`monitor refused the task: ${assigned.error ?? ''}`);
    });
    assignP.catch(() => {});
    await ensureRuntimeRoot(record.runtimeRoot);
    if (spec.rootfsMounts) {
      await mkdir(handle.files.rootfs);
      await mountAll(spec.rootfsMounts, handle.files.rootfs);
      lap('mounted');
    }
    const oci = buildOciSpec(spec, { ...(await ociContext(ctx, spec, handle.rootfs, record.cgroupPath)), ...(spec.rootfsPath !== undefined ? { rootPath: spec.rootfsPath } : {}) });
    await Promise.all([recordWritten, writeFile(handle.files.config, JSON.stringify(oci))]);
    lap('bundle written');
    await assignP;
    if (!monitor) throw internal('no monitor');
    lap('assigned');
    for (const a of attachments) clients.push(await attachToMonitor(record.socketPath, a, record.tty));
    if (spec.ready) await spec.ready;
    const started = await (monitor as MonitorConnection).request<{ ok: boolean; error?: string; pid?: number; startedAt?: string }>({ op: 'start' });
    if (!started.ok || !started.pid) throw startError(started.error ?? 'start failed');
    lap('started');
    handle.pid = started.pid;
    handle.startedAt = new Date(started.startedAt ?? Date.now());
    handle.setControl(monitor as MonitorConnection, () => void onLostMonitor(ctx, handle));
    ctx.pool.startDone();
    return { pid: handle.pid, startedAt: handle.startedAt };
  } catch (e) {
    ctx.pool.startDone();
    (monitor ?? (await monitorP.catch(() => undefined)))?.close();
    for (const c of clients) c.close();
    ctx.tasks.delete(spec.id);
    await cleanupTask(handle.files, record).catch((err) => log.error('cleanup after failed start', { id: spec.id, error: errorMessage(err) }));
    throw e;
  }
}

const madeRuntimeRoots = new Set<string>();

/** runc's state dir, made once per daemon rather than once per start. */
async function ensureRuntimeRoot(dir: string): Promise<void> {
  if (madeRuntimeRoots.has(dir)) return;
  await mkdir(dir, { recursive: true });
  madeRuntimeRoots.add(dir);
}

function assignmentOf(spec: TaskSpec, io: TaskIo, record: TaskRecord, dir: string): MonitorAssignment {
  return {
    id: spec.id,
    taskDir: dir,
    socketPath: record.socketPath,
    runtimePath: record.runtimePath,
    runtimeRoot: record.runtimeRoot,
    keepForOom: record.keepForOom,
    cgroupPath: record.cgroupPath,
    tty: record.tty,
    openStdin: record.openStdin,
    stdinOnce: io.stdinOnce === true,
    ...(spec.process.consoleSize ? { consoleSize: spec.process.consoleSize } : {}),
    ...(io.logDriver !== 'none' && io.logPath
      ? { log: { path: io.logPath, ...(io.logMaxSize !== undefined ? { maxSize: io.logMaxSize } : {}), ...(io.logMaxFile !== undefined ? { maxFile: io.logMaxFile } : {}) } }
      : {}),
  };
}

/** Docker's mapping: a missing or non-executable command is the caller's mistake (exit 127/126 in the CLI). */
function startError(message: string): Error {
  const text = `OCI runtime create failed: ${message}`;
  if (/executable file not found|no such file or directory|permission denied|not a directory/i.test(message)) return invalidArgument(text);
  return internal(text);
}

async function probeOf(ctx: RuntimeContext, name: string) {
  const p = ctx.probe(name);
  if (!p) throw invalidArgument(`unknown or invalid runtime name: ${name}`);
  return p;
}

async function ociContext(ctx: RuntimeContext, spec: TaskSpec, rootfs: string, cgroupsPath: string): Promise<OciContext> {
  const p = spec.process;
  let user: UserSpec;
  if (typeof p.user === 'object') user = p.user;
  else user = await resolveUser(rootfs, p.user ?? '', p.additionalGroups ?? []);
  const devices: NonNullable<OciContext['devices']> = [];
  for (const d of spec.privileged ? [] : (spec.devices ?? [])) {
    const device = await hostDevice(d.path).catch(() => undefined);
    if (!device) throw invalidArgument(`error gathering device information while adding custom device "${d.path}": no such file or directory`);
    devices.push({ device, containerPath: d.containerPath ?? d.path, permissions: d.permissions ?? 'rwm' });
  }
  const namespacePaths: NonNullable<OciContext['namespacePaths']> = {};
  let sharedShm: string | undefined;
  for (const kind of ['network', 'pid', 'ipc'] as const) {
    const source: NamespaceSource | undefined = spec.namespaces?.[kind];
    if (source === undefined || source === 'new') continue;
    if (source === 'host') namespacePaths[kind] = 'host';
    else if ('path' in source) namespacePaths[kind] = source.path;
    else {
      const other = ctx.tasks.get(source.task);
      if (!other || other.exit || other.pid <= 0) throw failedPrecondition(`cannot join namespace of task ${source.task}: not running`);
      namespacePaths[kind] = `/proc/${other.pid}/ns/${kind === 'network' ? 'net' : kind}`;
      if (kind === 'ipc') sharedShm = `/proc/${other.pid}/root/dev/shm`;
    }
  }
  if ((spec.resources?.blkioWeight ?? 0) > 0 && !(await ctx.blkioWeight)) log.warn('kernel has no blkio weight: --blkio-weight discarded', { id: spec.id });
  if (spec.init && !ctx.initBinary) throw notFound('no init binary configured');
  return {
    user,
    cgroupsPath,
    lastCap: await ctx.lastCap,
    ...(await ctx.bounding.then((b) => (b !== undefined ? { bounding: b } : {}))),
    devices,
    ...(spec.privileged ? { hostDevices: await hostDevices() } : {}),
    namespacePaths,
    ...(sharedShm ? { sharedShm } : {}),
    initBinary: ctx.initBinary,
    blkioWeight: await ctx.blkioWeight,
  };
}

