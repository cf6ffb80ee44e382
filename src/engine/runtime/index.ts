/**
 * The engine's runtime layer: turns a Docker-independent TaskSpec into an OCI
 * bundle, runs it with an OCI runtime (runc; crun where it works) under a
 * per-task monitor process, and answers for the task afterwards (attach, kill,
 * pause, exec, stats, top, delete, restore after a daemon restart).
 *
 * The container service (src/engine/containers/) owns the Docker model and
 * calls this layer only through the Runtime interface below.
 */
import type { Readable, Writable } from 'node:stream';
import type { Mount } from '../../platform/linux/mount.js';
import type { TaskStats } from '../../platform/linux/cgroup-stats.js';

export type { TaskStats, BlkioEntry } from '../../platform/linux/cgroup-stats.js';
export type { Mount } from '../../platform/linux/mount.js';

export interface Runtime {
  /**
   * Starts the task: mounts spec.rootfsMounts at <bundle>/rootfs (or uses spec.rootfsPath), writes the
   * OCI config.json, hands the task to a monitor, runs the process. Resolves
   * with the pid once running. Output from the very first byte reaches the log
   * and the streams in `attachments` (clients that attached before start). A
   * failed start leaves nothing behind (no mount, cgroup, runc state, dir).
   */
  start(spec: TaskSpec, io: TaskIo, attachments?: Attachment[]): Promise<StartedTask>;
  /** Attaches a client to a running task; resolves once attached (no output after that is missed). */
  attach(id: string, attachment: Attachment): Promise<void>;
  /** Resolves when the task has exited (at once when it already has). */
  wait(id: string): Promise<ExitStatus>;
  /** Signal by name (SIGTERM, TERM) or number; Conflict when not running. */
  kill(id: string, signal: string | number): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Resizes the task's terminal; FailedPrecondition without one. */
  resize(id: string, size: TerminalSize): Promise<void>;
  /** Runs another process in the running task. */
  exec(id: string, spec: ExecSpec, attachment?: Attachment): Promise<ExecHandle>;
  stats(id: string): Promise<TaskStats>;
  /** `docker top`: ps output filtered to the task's processes. psArgs defaults to -ef. */
  top(id: string, psArgs?: string): Promise<TopResult>;
  /** After exit: runc state, cgroup, mounts and bundle removed. Conflict while running; NotFound when unknown. */
  delete(id: string): Promise<void>;
  /**
   * After a daemon restart: every task found in exec-root, running (re-adopted)
   * or exited (with its exit status, also for tasks that ended meanwhile, and
   * with exit code 255 for tasks whose start or monitor was lost). The caller
   * deletes the exited ones it does not keep.
   */
  restore(): Promise<RestoredTask[]>;
  /** The OCI runtimes this runtime can use, probed once: crun is unusable on hybrid cgroups. */
  runtimes(): Promise<RuntimeInfo[]>;
  /** State of one known task, without waiting. */
  state(id: string): Promise<TaskState>;
  /** Drops idle monitors and connections; running tasks keep running (live restore). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Per-boot state: bundles, monitor sockets, runc state (default /run/berth). */
  execRoot: string;
  /** cgroupfs parent of every task's cgroup (default /berth). */
  cgroupParent?: string;
  /** OCI runtime used when TaskSpec.runtime is unset (default runc). */
  defaultRuntime?: string;
  /** Extra or overriding runtimes: name → binary path. */
  runtimes?: Record<string, string>;
  /** Pre-started idle monitors, at least (default 2; bursts of starts raise it for a while; 0 starts a monitor per task). */
  monitorPoolSize?: number;
  /** Binary bind-mounted as /sbin/docker-init for TaskSpec.init (default /usr/bin/tini-static). */
  initBinary?: string;
}

export interface StartedTask {
  pid: number;
  startedAt: Date;
}

export interface TaskSpec {
  /** Task id, also the runc container id: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 128 chars. */
  id: string;
  /** OCI runtime by name (runc, crun); default RuntimeOptions.defaultRuntime. */
  runtime?: string;
  /** Mounted in order at <bundle>/rootfs (what the snapshotter returned); give this or rootfsPath. */
  rootfsMounts?: Mount[];
  /**
   * An already-mounted root filesystem (absolute path), used where it is: its
   * owner mounted it and unmounts it after delete(). Saves mounting it twice.
   */
  rootfsPath?: string;
  readonlyRootfs?: boolean;
  /** linux.rootfsPropagation: rshared/rslave when a bind mount asks its mounts to propagate (as dockerd sets it). */
  rootfsPropagation?: 'rshared' | 'rslave' | 'private' | 'rprivate' | 'shared' | 'slave';
  process: ProcessSpec;
  hostname?: string;
  domainname?: string;
  /** Caller's mounts (binds, tmpfs, volumes, /etc/hosts…); one at a default's destination replaces the default. */
  mounts?: OciMount[];
  namespaces?: NamespaceSpec;
  resources?: ResourceSpec;
  /** All devices, no masked/readonly paths, all capabilities, sysfs and cgroup read-write. */
  privileged?: boolean;
  /** Replace Docker's defaults when given. */
  maskedPaths?: string[];
  readonlyPaths?: string[];
  devices?: DeviceSpec[];
  sysctls?: Record<string, string>;
  /** Docker's --init: bind-mount the init binary at /sbin/docker-init and run the process under it. */
  init?: boolean;
  /** /dev/shm size in bytes (default 64 MiB, Docker's). */
  shmSize?: number;
  /** Free-form labels stored with the task and returned by restore(). */
  labels?: Record<string, string>;
  /**
   * Resolves when what the task needs besides its bundle is in place (its
   * network namespace's interfaces); awaited just before the process starts,
   * so preparing the bundle and that work overlap. A rejection fails the start.
   */
  ready?: Promise<void>;
}

export interface ProcessSpec {
  args: string[];
  /** KEY=value, passed as given (PATH, HOSTNAME, TERM are the caller's choice). */
  env?: string[];
  /** Default "/"; runc creates it when missing. */
  cwd?: string;
  /** Docker form "name|uid[:group|gid]" resolved in the task's rootfs, or already resolved. Default root. */
  user?: string | UserSpec;
  /** Docker's --group-add: names or gids, resolved in the rootfs. */
  additionalGroups?: string[];
  terminal?: boolean;
  /** Initial terminal size. */
  consoleSize?: TerminalSize;
  /** Docker's default set unless given; names with or without CAP_, "ALL" supported. */
  capAdd?: string[];
  capDrop?: string[];
  noNewPrivileges?: boolean;
  rlimits?: Rlimit[];
  oomScoreAdj?: number;
}

export interface UserSpec {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

export interface Rlimit {
  /** RLIMIT_NOFILE, or Docker's short name (nofile). */
  type: string;
  soft: number;
  hard: number;
}

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

/** Where a namespace comes from: a new one, the host's, a path (/proc/N/ns/net, /run/netns/x), or another task's. */
export type NamespaceSource = 'new' | 'host' | { path: string } | { task: string };

export interface NamespaceSpec {
  network?: NamespaceSource;
  pid?: NamespaceSource;
  ipc?: NamespaceSource;
  uts?: 'new' | 'host';
}

export interface ResourceSpec {
  /** Bytes. */
  memory?: number;
  /** Memory+swap in bytes, -1 unlimited (Docker sets 2×memory when the user gives none: the caller's rule). */
  memorySwap?: number;
  memoryReservation?: number;
  cpuShares?: number;
  /** Docker's --cpus × 1e9; becomes quota over a 100 ms period. */
  nanoCpus?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: number;
  /** Dropped with a warning where the kernel has no blkio weight (as Docker does). */
  blkioWeight?: number;
}

export interface DeviceSpec {
  /** Host device path. */
  path: string;
  /** Path in the container (default same as path). */
  containerPath?: string;
  /** Cgroup permissions, default "rwm". */
  permissions?: string;
}

export type LogDriver = 'json-file' | 'none';

export interface TaskIo {
  /** json-file path; rotated files are <logPath>.1, .2… */
  logPath?: string;
  logDriver?: LogDriver;
  /** Docker's --log-opt max-size in bytes (default unlimited) and max-file (default 1). */
  logMaxSize?: number;
  logMaxFile?: number;
  tty?: boolean;
  /** Keep stdin open for attach clients; without it stdin is /dev/null. */
  openStdin?: boolean;
  /** Close the task's stdin when the first attached stdin client detaches. */
  stdinOnce?: boolean;
}

/**
 * A client's streams. The runtime writes task output into stdout/stderr
 * (merged raw into stdout with a tty) and never ends them; onClose tells the
 * client its output is over (task exited and all output delivered, or detached).
 */
export interface Attachment {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /** Aborting detaches this client. */
  signal?: AbortSignal;
  onClose?: () => void;
}

export interface TerminalSize {
  rows: number;
  cols: number;
}

export interface ExitStatus {
  exitCode: number;
  finishedAt: Date;
  /** The task's memory cgroup OOM-killed a process (known when a memory limit was set). */
  oomKilled: boolean;
  /** Set when the runtime process itself died of a signal. */
  signal?: string;
  /** Why the status is synthetic (lost monitor, never started). */
  reason?: string;
}

export interface ExecSpec {
  args: string[];
  env?: string[];
  cwd?: string;
  user?: string | UserSpec;
  terminal?: boolean;
  consoleSize?: TerminalSize;
  /** Stdin is forwarded only when true (docker exec -i). */
  openStdin?: boolean;
  privileged?: boolean;
  /** Detached exec: output discarded, still waitable. */
  detach?: boolean;
}

export interface ExecHandle {
  pid: number;
  /** Exit code of the exec'd process. */
  wait(): Promise<number>;
  resize(size: TerminalSize): Promise<void>;
}

export type TaskStatus = 'running' | 'paused' | 'exited';

export interface TaskState {
  id: string;
  status: TaskStatus;
  pid: number;
  startedAt?: Date;
  exit?: ExitStatus;
  labels: Record<string, string>;
}

export type RestoredTask = TaskState;

export interface RuntimeInfo {
  name: string;
  path: string;
  version?: string;
  usable: boolean;
  /** Why it is unusable (crun on hybrid cgroups). */
  reason?: string;
}

export interface TopResult {
  Titles: string[];
  Processes: string[][];
}


export { createRuntime } from './runc-runtime.js';
export { resolveUser, type ResolvedUser } from './resolve-user.js';
export { buildOciSpec, type OciSpec } from './oci-spec.js';
export { parseSignal } from '../../platform/linux/signals.js';
export { normalizeCapabilities } from './capabilities.js';
export { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE } from './oci-defaults.js';
