import type { Mount } from '../../platform/linux/mount.js';

/**
 * Volume types. `Volume` and friends are Docker's wire shapes (API 1.41);
 * `VolumeRecord` is what Berth persists per volume.
 */

/** A volume as `GET /volumes/{name}` shows it. */
export interface Volume {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string> | null;
  Scope: 'local';
  /** Only in `/system/df`. */
  UsageData?: { Size: number; RefCount: number };
}

/** Body of `POST /volumes/create`. */
export interface VolumeCreateBody {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

export interface VolumeListResponse {
  Volumes: Volume[];
  Warnings: string[] | null;
}

export interface VolumePruneReport {
  VolumesDeleted: string[];
  SpaceReclaimed: number;
}

/** Persisted as `<root>/volumes/<name>/volume.json`. */
export interface VolumeRecord {
  Name: string;
  Driver: 'local';
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  /** ISO time of creation (rendered as RFC 3339 in the API). */
  CreatedAt: string;
}

/** Who uses volumes: implemented by the container side (ContainerVolumeManager). */
export interface VolumeReferences {
  /** Ids of the containers that reference the volume. */
  usedBy(name: string): string[];
  /** Ids of running containers that have the volume mounted (for mounts after a restart). */
  mountedBy(name: string): string[];
}

/**
 * The kernel operations volumes need, behind one seam so the services can be
 * unit-tested with a recording fake. The real one is `linuxVolumeKernel`.
 */
export interface VolumeKernel {
  mount(m: Mount, target: string): Promise<void>;
  /** Unmounts target if mounted; returns whether it was. */
  unmount(target: string): Promise<boolean>;
  isMounted(target: string): Promise<boolean>;
  /** Copies a directory's content and its own owner/mode/times into an existing empty dst. */
  copyDirectory(src: string, dst: string): Promise<void>;
  /** Propagation of the mount holding path: its mount point and whether it is shared/slave. */
  propagationOf(path: string): Promise<{ mountPoint: string; shared: boolean; slave: boolean }>;
}

/** What create accepts besides the name (the service's own view of the request). */
export interface CreateVolumeOptions {
  driver?: string;
  options?: Record<string, string> | null;
  labels?: Record<string, string> | null;
  /** Container taking a reference at once (protects a new volume from a concurrent prune). */
  reference?: string;
}
