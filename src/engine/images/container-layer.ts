import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { notFound, type Digest } from '../../core/index.js';
import { mountAll, unmountIfMounted, type Mount } from '../../platform/linux/mount.js';
import { randomId } from '../content/index.js';
import { byteOrder, packTree, tarStream } from '../archive/index.js';
import { ChangeKind, type Change, type DiffOptions } from '../snapshots/index.js';
import { readConfig, topChain, type ImageContext } from './context.js';
import { collectUnused } from './image-gc.js';
import type { ExportOptions } from './types.js';

export const CONTAINER_LABEL = 'berth.container';
/** The image a container layer was made from: while it exists, removing the layer frees no image layer. */
export const IMAGE_LABEL = 'berth.image';

export function containerKey(containerId: string): string {
  return `container-${containerId}`;
}

function need(ctx: ImageContext, containerId: string): string {
  const key = containerKey(containerId);
  if (!ctx.snapshots.stat(key)) throw notFound(`no read-write layer for container ${containerId}`);
  return key;
}

/** A container's read-write layer on top of its image's layers; returns the mounts to perform. */
export async function createContainerLayer(ctx: ImageContext, containerId: string, imageId: Digest): Promise<Mount[]> {
  const rec = ctx.db.get(imageId);
  if (!rec) throw notFound(`No such image: ${imageId}`);
  const cfg = await readConfig(ctx, rec.id);
  const top = topChain(cfg);
  const unpin = ctx.layers.pin(top ? [top] : []);
  try {
    return await ctx.snapshots.prepare(containerKey(containerId), top, { [CONTAINER_LABEL]: containerId, [IMAGE_LABEL]: rec.id });
  } finally {
    unpin();
  }
}

/** Containers that have a read-write layer, by id. */
export function containerLayerIds(ctx: ImageContext): string[] {
  const out: string[] = [];
  for (const s of ctx.snapshots.list()) {
    const id = s.labels[CONTAINER_LABEL];
    if (s.kind === 'active' && id !== undefined && s.key === containerKey(id)) out.push(id);
  }
  return out;
}

export function containerMounts(ctx: ImageContext, containerId: string): Mount[] {
  return ctx.snapshots.mounts(need(ctx, containerId));
}

/** Drops the read-write layer, then any image layers only it kept alive (force-removed images). */
export async function removeContainerLayer(ctx: ImageContext, containerId: string): Promise<void> {
  const key = containerKey(containerId);
  const info = ctx.snapshots.stat(key);
  if (!info) return;
  await ctx.snapshots.remove(key);
  // Its image layers can only have become collectable if the image is gone (rmi -f while in use):
  // a full collection after every container removal would read every image config for nothing.
  const image = info.labels[IMAGE_LABEL];
  if (image !== undefined && ctx.db.get(image as Digest)) return;
  await collectUnused(ctx);
}

/**
 * Mount points the runtime creates in the read-write layer for the files the
 * engine binds in (Docker keeps them in its "-init" layer): never part of a
 * container's changes or of a commit. Only empty ones: content written with
 * `docker cp` into a stopped container is the user's.
 */
const MOUNT_STUBS = new Set(['etc/hosts', 'etc/hostname', 'etc/resolv.conf']);

export const skipMountStubs: DiffOptions = {
  skip: (rel, st) => MOUNT_STUBS.has(rel) && st.isFile() && st.size === 0,
};

export async function containerChanges(ctx: ImageContext, containerId: string): Promise<Change[]> {
  const changes = await ctx.snapshots.changes(need(ctx, containerId), skipMountStubs);
  // A directory reported only because a stub was made in it (its mtime moved) is no change either.
  const stubParents = new Set([...MOUNT_STUBS].map((p) => `/${p.slice(0, p.lastIndexOf('/'))}`));
  return changes.filter((c) => !(stubParents.has(c.Path) && c.Kind !== ChangeKind.Delete && !changes.some((o) => o.Path.startsWith(`${c.Path}/`))));
}

/** overlay2-like GraphDriver data for container inspect. */
export function containerGraphDriver(ctx: ImageContext, containerId: string): Record<string, string> {
  const key = containerKey(containerId);
  // Inspect must not fail for a container whose layer is gone (being removed).
  if (!ctx.snapshots.stat(key)) return {};
  const upper = ctx.snapshots.dir(key);
  const base = join(upper, '..');
  const lowers = ctx.snapshots.lowerDirs(key);
  return {
    ...(lowers.length > 0 ? { LowerDir: lowers.join(':') } : {}),
    MergedDir: join(base, 'merged'),
    UpperDir: upper,
    WorkDir: join(base, 'work'),
  };
}

/**
 * `docker export`: the merged rootfs as a tar, entries named like Docker's
 * (`bin/`, `bin/sh`, no `./`). Uses the caller's mounted rootfs when the
 * container runs, else mounts the layer under `<root>/tmp-mounts` for the
 * duration (start-up recovery unmounts leftovers).
 */
export function exportContainer(ctx: ImageContext, containerId: string, opts: ExportOptions = {}): Readable {
  const mounts = containerMounts(ctx, containerId);
  return tarStream(async (pack) => {
    let root = opts.rootfs;
    let target: string | undefined;
    if (root === undefined) {
      target = join(ctx.root, 'tmp-mounts', randomId());
      await mkdir(target, { recursive: true });
      await mountAll(mounts, target);
      root = target;
    }
    try {
      const hardlinks = new Map<string, string>();
      for (const name of (await readdir(root)).sort(byteOrder)) await packTree(pack, join(root, name), name, { hardlinks });
    } finally {
      if (target !== undefined) {
        await unmountIfMounted(target).catch(() => undefined);
        await rm(target, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  });
}
