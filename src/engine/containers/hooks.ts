import type { MountSpec } from '../../core/index.js';
import type { ContainerRecord } from './types.js';

/**
 * What the container service needs from the other engine services. They are
 * interfaces so the lifecycle can be tested with fakes and so that
 * engine/network and engine/volumes never reach into container internals.
 */

/** Read-only access to containers for other services (network connect, volumes-from, --link…). */
export interface ContainerLookup {
  /** By full id, unique id prefix or name (with or without '/'); NotFound otherwise. */
  get(idOrName: string): ContainerRecord;
  list(): ContainerRecord[];
  /** Persists a record another service changed (network connect/disconnect on a container). */
  save?(container: ContainerRecord): Promise<void>;
}

/** An OCI runtime-spec mount. */
export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface NetworkSetup {
  /** Path of the network namespace to join; undefined = host network. */
  netnsPath: string | undefined;
  /** Files to bind into the container (hosts, resolv.conf, hostname), as OCI mounts. */
  mounts: OciMount[];
  /** Extra process environment (legacy --link variables), set at start and not shown by inspect. */
  env?: string[];
  /**
   * When present, the namespace's interfaces (CNI) are still being set up:
   * the process must not start before it resolves. A rejection means the
   * network failed (and was undone).
   */
  ready?: Promise<void>;
}

/** Implemented by engine/network. */
export interface ContainerNetworking {
  /** At create: validate NetworkMode, endpoints, ports, links, dns options; fill NetworkSettings skeleton. Throws InvalidArgument/NotFound. */
  onCreate(container: ContainerRecord): Promise<void>;
  /** Before the process starts: namespace, endpoints (CNI ADD), published ports, DNS records, /etc files. */
  setUp(container: ContainerRecord): Promise<NetworkSetup>;
  /** After the process exited (or a start failed): release endpoints, ports, netns. Idempotent. */
  tearDown(container: ContainerRecord): Promise<void>;
  /** The container is being removed. */
  onRemove(container: ContainerRecord): Promise<void>;
  /** After a daemon restart: re-adopt the networking of a container that kept running. */
  restore(container: ContainerRecord): Promise<void>;
}

/** Implemented by engine/volumes. */
export interface ContainerVolumes {
  /**
   * At create: resolve Binds, Mounts, the image's VOLUMEs and VolumesFrom into
   * Docker MountPoints on the record (creating named/anonymous volumes, checking
   * --mount bind sources). Throws InvalidArgument/NotFound.
   */
  onCreate(container: ContainerRecord, imageVolumes: string[]): Promise<void>;
  /**
   * Before start, with the container's rootfs mounted at rootfsPath: copy the
   * image's content into fresh volumes, then return the OCI mounts to add.
   */
  setUp(container: ContainerRecord, rootfsPath: string): Promise<OciMount[]>;
  /** After the process exited: release what setUp mounted. Idempotent. */
  tearDown?(container: ContainerRecord): Promise<void>;
  /** The container is being removed; removeAnonymous for `rm -v`. */
  onRemove(container: ContainerRecord, options: { removeAnonymous: boolean }): Promise<void>;
  /** True when any container uses the volume (for `volume rm` 409). */
  isInUse?(name: string): boolean;
}

export type { MountSpec };

/** What the container service prepared before handing a container to the runtime. */
export interface TaskSetup {
  /** The container's root filesystem, already mounted. */
  rootfsPath: string;
  /** Volumes, binds, tmpfs and the /etc files, in order. */
  mounts: OciMount[];
  netnsPath: string | undefined;
  /** Extra environment from the network (legacy --link variables). */
  env?: string[];
  /** NetworkSetup.ready: the process waits for it. */
  ready?: Promise<void>;
}

/** A client's streams attached to a task (docker attach / run / start -a). */
export interface TaskAttachment {
  stdin?: import('node:stream').Readable;
  /** With a TTY, stdout carries the merged output. */
  stdout?: import('node:stream').Writable;
  stderr?: import('node:stream').Writable;
  /** Aborted when the client is gone: the attachment is dropped (the container runs on). */
  signal?: AbortSignal;
}

export interface TaskExit {
  exitCode: number;
  finishedAt: Date;
  oomKilled: boolean;
}

export interface ExecRequest {
  args: string[];
  env: string[];
  cwd: string;
  user: string;
  tty: boolean;
  privileged: boolean;
  stdin: boolean;
}

export interface RunningExec {
  pid: number;
  exit: Promise<number>;
  resize(rows: number, cols: number): Promise<void>;
}

/**
 * The container service's view of the OCI runtime layer (engine/runtime):
 * how the record becomes a running task. The composition root adapts the
 * runtime to it, so lifecycle logic never depends on runtime internals.
 */
export interface ContainerRuntime {
  /** Starts the container's process; attachments registered before start see its first byte. */
  start(container: ContainerRecord, setup: TaskSetup, attachments: TaskAttachment[]): Promise<{ pid: number; startedAt: Date }>;
  attach(id: string, attachment: TaskAttachment): Promise<void>;
  /** Resolves when the task exits (also for a task re-adopted after a daemon restart). */
  wait(id: string): Promise<TaskExit>;
  kill(id: string, signal: string): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  resize(id: string, rows: number, cols: number): Promise<void>;
  exec(id: string, request: ExecRequest, attachment: TaskAttachment): Promise<RunningExec>;
  stats(id: string): Promise<Record<string, unknown>>;
  top(id: string, psArgs: string | undefined): Promise<{ Titles: string[]; Processes: string[][] }>;
  /** Cleans up after exit (idempotent). */
  delete(id: string): Promise<void>;
  /** Tasks found after a daemon restart: still running, or exited meanwhile. */
  restore(): Promise<{ id: string; running: boolean; pid: number; startedAt?: Date; exit?: TaskExit }[]>;
  /** Reads the container's logs (json-file). */
  logs(container: ContainerRecord, options: LogOptions): AsyncIterable<LogEntry>;
}

export interface LogOptions {
  stdout: boolean;
  stderr: boolean;
  follow: boolean;
  tail: number | 'all';
  sinceNs: number;
  untilNs: number;
  signal: AbortSignal;
}

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  time: string;
  line: Buffer;
}

/** The image side of containers (engine/images). */
export interface ContainerImages {
  /** Resolves a reference, id or short id; NotFound `No such image: x`. */
  resolve(ref: string): Promise<{ id: string; config: import('../../core/index.js').ContainerConfig }>;
  createLayer(containerId: string, imageId: string): Promise<import('../../platform/linux/mount.js').Mount[]>;
  layerMounts(containerId: string): Promise<import('../../platform/linux/mount.js').Mount[]>;
  /** Removes the read-write layer, once `after` settled when given (its rootfs unmounted). */
  removeLayer(containerId: string, options?: { after?: Promise<unknown> }): Promise<void>;
  /** Containers that have a read-write layer (to find what a crash left behind). */
  containerLayers?(): string[];
  graphDriverData(containerId: string): Record<string, string>;
}
