import type { Readable } from 'node:stream';
import type { Mount } from '../../platform/linux/mount.js';

/**
 * Snapshots as containerd models them: a committed snapshot is an immutable
 * layer; an active one is a writable upper layer on top of a committed
 * parent chain. Snapshotters describe mounts; callers perform them.
 */
export type SnapshotKind = 'active' | 'committed';

export interface SnapshotInfo {
  key: string;
  kind: SnapshotKind;
  parent?: string;
  /** Short numeric directory name (keeps overlay's lowerdir option short). */
  id: number;
  labels: Record<string, string>;
  created: string;
  /** Bytes of the snapshot's own content, measured at commit. */
  size?: number;
}

export interface Usage {
  size: number;
  inodes: number;
}

/** Docker's `docker diff` kinds: 0 modified, 1 added, 2 deleted. */
export enum ChangeKind {
  Modify = 0,
  Add = 1,
  Delete = 2,
}

export interface Change {
  Path: string;
  Kind: ChangeKind;
}

/** Upper-dir entries a diff leaves out (by path relative to the snapshot root, no leading slash). */
export interface DiffOptions {
  skip?(rel: string, st: import('node:fs').Stats): boolean;
}

export interface Snapshotter {
  stat(key: string): SnapshotInfo | undefined;
  list(): SnapshotInfo[];
  /** A new writable snapshot on top of committed `parent`; returns its mounts. */
  prepare(key: string, parent?: string, labels?: Record<string, string>): Promise<Mount[]>;
  /** Mounts of an existing snapshot (active: read-write; committed: read-only view). */
  mounts(key: string): Mount[];
  /** Turns active `key` into committed `name`. */
  commit(name: string, key: string, labels?: Record<string, string>): Promise<SnapshotInfo>;
  remove(key: string): Promise<void>;
  usage(key: string): Promise<Usage>;
  /** The directory holding the snapshot's own files (overlay upperdir / layer dir). */
  dir(key: string): string;
  /** Directories of the committed parent chain, nearest first. */
  lowerDirs(key: string): string[];
  /** An active snapshot's changes as a layer tar with OCI whiteouts. */
  diff(key: string, options?: DiffOptions): Readable;
  /** An active snapshot's changes as `docker diff` lists them. */
  changes(key: string, options?: DiffOptions): Promise<Change[]>;
}
