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
  /** The container is being removed; removeAnonymous for `rm -v`. */
  onRemove(container: ContainerRecord, options: { removeAnonymous: boolean }): Promise<void>;
  /** True when any container uses the volume (for `volume rm` 409). */
  isInUse?(name: string): boolean;
}

export type { MountSpec };
