import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What Berth must remember about a container's mount beyond Docker's
 * MountPoint (which inspect shows verbatim): dockerd keeps the same facts
 * in its MountPoint.Spec and CopyData fields.
 */
export interface MountDetail {
  destination: string;
  /** Created without a name (image VOLUME, `-v /path`, --mount without source): `rm -v` removes it. */
  anonymous: boolean;
  /** The image's content at the destination is still to be copied into the fresh volume. */
  copyData: boolean;
  /** tmpfs from --mount: its mount data. */
  tmpfsData?: string;
  /** bind from --mount with bind-nonrecursive. */
  nonRecursive?: boolean;
  /** bind from -v: a missing source directory is created at start. */
  createSource?: boolean;
}

/** One JSON file per container under `<root>/volumes/.containers/`, written atomically. */
export class MountStateStore {
  private readonly cache = new Map<string, MountDetail[]>();

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  async ids(): Promise<string[]> {
    return (await readdir(this.dir)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  }

  async get(containerId: string): Promise<MountDetail[]> {
    const cached = this.cache.get(containerId);
    if (cached) return cached;
    const details = await readFile(this.file(containerId), 'utf8').then(
      (raw) => (JSON.parse(raw) as { mounts: MountDetail[] }).mounts,
      () => [] as MountDetail[],
    );
    this.cache.set(containerId, details);
    return details;
  }

  async save(containerId: string, details: MountDetail[]): Promise<void> {
    const tmp = `${this.file(containerId)}.tmp`;
    await writeFile(tmp, JSON.stringify({ mounts: details }) + '\n', { mode: 0o600 });
    await rename(tmp, this.file(containerId));
    this.cache.set(containerId, details);
  }

  async delete(containerId: string): Promise<void> {
    this.cache.delete(containerId);
    await rm(this.file(containerId), { force: true });
  }

  private file(containerId: string): string {
    return join(this.dir, `${containerId}.json`);
  }
}
