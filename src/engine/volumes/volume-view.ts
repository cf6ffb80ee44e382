import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Volume, VolumeRecord } from './types.js';

/** A record as the API shows it. */
export function toApiVolume(rec: VolumeRecord, mountpoint: string): Volume {
  return {
    CreatedAt: formatRfc3339(new Date(rec.CreatedAt)),
    Driver: rec.Driver,
    Labels: rec.Labels,
    Mountpoint: mountpoint,
    Name: rec.Name,
    Options: rec.Options,
    Scope: 'local',
  };
}

/** Go's time.RFC3339 in local time: seconds, `Z` for UTC, else `+hh:mm`. */
export function formatRfc3339(d: Date): string {
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + offsetMin * 60_000);
  const base = local.toISOString().slice(0, 19);
  if (offsetMin === 0) return `${base}Z`;
  const abs = Math.abs(offsetMin);
  const sign = offsetMin > 0 ? '+' : '-';
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Bytes used under dir the way Docker counts them (pkg/directory.Size): the
 * sizes of everything but directories, each hard-linked inode once.
 */
export async function directorySize(dir: string): Promise<number> {
  const seen = new Set<number>();
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await readdir(path);
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = join(path, entry);
      const info = await lstat(p).catch(() => undefined);
      if (!info) continue;
      if (info.isDirectory()) {
        await walk(p);
        continue;
      }
      if (seen.has(info.ino)) continue;
      seen.add(info.ino);
      total += info.size;
    }
  };
  await walk(dir);
  return total;
}
