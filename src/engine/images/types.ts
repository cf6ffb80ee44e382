import type { Readable } from 'node:stream';
import type { ContainerConfig, Digest, ImageConfig } from '../../core/index.js';

/** Docker's ImageSummary (`GET /images/json`, `system df`). */
export interface ImageSummary {
  Containers: number;
  Created: number;
  Id: string;
  Labels: Record<string, string> | null;
  ParentId: string;
  RepoDigests: string[] | null;
  RepoTags: string[] | null;
  SharedSize: number;
  Size: number;
  VirtualSize: number;
}

/** Docker's ImageInspect (`GET /images/{name}/json`), API 1.41 shape. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  Container: string;
  ContainerConfig: Record<string, unknown>;
  DockerVersion: string;
  Author: string;
  Config: Record<string, unknown> | null;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  VirtualSize: number;
  GraphDriver: { Data: Record<string, string> | null; Name: string };
  RootFS: { Type: string; Layers?: string[] };
  Metadata: { LastTagTime: string };
}

/** One `docker history` row. */
export interface HistoryItem {
  Comment: string;
  Created: number;
  CreatedBy: string;
  Id: string;
  Size: number;
  Tags: string[] | null;
}

export interface DeleteResponseItem {
  Untagged?: string;
  Deleted?: string;
}

export interface PruneReport {
  ImagesDeleted: DeleteResponseItem[] | null;
  SpaceReclaimed: number;
}

/** A container that uses an image, as the container service reports it. */
export interface ImageUser {
  id: string;
  running: boolean;
}

/** Tells which containers use an image (rmi conflicts, prune, Containers counts). */
export type ImageUsage = (imageId: string) => ImageUser[] | Promise<ImageUser[]>;

/** What other services need of an image: its ID and config. */
export interface ResolvedImage {
  id: Digest;
  config: ContainerConfig;
  image: ImageConfig;
}

/** A JSON-lines progress sink (pull, push, load); the route adapts it to HTTP. */
export interface ProgressSink {
  write(message: Record<string, unknown>): void;
}

export interface ImportOptions {
  /** `repo[:tag]` to tag the new image with. */
  repo?: string;
  tag?: string;
  message?: string;
  /** Dockerfile-like `--change` lines. */
  changes?: string[];
  /** Where the data came from (`-` for the request body), for the default comment. */
  source?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export interface LoadOptions {
  quiet?: boolean;
}

export interface LoadResult {
  /** Lines Docker prints (`Loaded image: x`, `Loaded image ID: sha256:…`, rename notices). */
  lines: string[];
  imageIds: Digest[];
}

export interface CommitOptions {
  /** The container's image (parent of the new one). */
  imageId: string;
  /** The container's current config (what `docker inspect` shows as Config). */
  containerConfig: ContainerConfig;
  /** Config sent with the commit request, if any; changes apply on top of it. */
  config?: ContainerConfig | null;
  changes?: string[];
  repo?: string;
  tag?: string;
  author?: string;
  comment?: string;
  /** The container's mounted rootfs is not needed: the diff comes from the snapshot. */
}

export interface ExportOptions {
  /** The container's rootfs when it is already mounted (running); otherwise it is mounted read-only here. */
  rootfs?: string;
}

export type TarSource = Readable;

/** Data for `GET /system/df` (images part). */
export interface ImagesDiskUsage {
  LayersSize: number;
  Images: ImageSummary[];
}

/** Pull and push as the image routes need them (implemented in src/registry/client). */
export interface ImageTransfer {
  pull(ref: { image: string; tag?: string; platform?: string }, auth: string | undefined, progress: ProgressSink, signal: AbortSignal): Promise<void>;
  push(ref: { name: string; tag?: string }, auth: string | undefined, progress: ProgressSink, signal: AbortSignal): Promise<void>;
}
