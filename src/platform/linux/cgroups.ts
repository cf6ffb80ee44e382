import { readFile, readdir, rmdir, access } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the cgroup hierarchies are mounted on this host. */
export interface CgroupLayout {
  /** v1 controller (cpu, cpuacct, memory, pids, blkio, freezer, devices, cpuset, name=systemd…) → mount point. */
  v1: Map<string, string>;
  /** The cgroup2 mount: /sys/fs/cgroup on pure v2 hosts, /sys/fs/cgroup/unified on hybrid ones. */
  unified?: string;
  /** 'v1' (legacy), 'hybrid' (v1 plus an unused-ish v2 beside it) or 'v2'. */
  mode: 'v1' | 'hybrid' | 'v2';
}

let cached: Promise<CgroupLayout> | undefined;

/** Reads /proc/self/mountinfo once: cgroup mount points never move while we run. */
export function cgroupLayout(): Promise<CgroupLayout> {
  cached ??= readFile('/proc/self/mountinfo', 'utf8').then(parseCgroupMounts);
  return cached;
}

export function parseCgroupMounts(mountinfo: string): CgroupLayout {
  const v1 = new Map<string, string>();
  let unified: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fstype, , superOptions] = right.split(' ');
    if (!mountPoint) continue;
    if (fstype === 'cgroup2') unified ??= mountPoint;
    else if (fstype === 'cgroup') {
      for (const opt of (superOptions ?? '').split(',')) {
        if (opt === 'rw' || opt === 'ro' || opt === '' || opt.startsWith('release_agent') || opt === 'clone_children' || opt === 'noprefix' || opt === 'xattr') continue;
        if (!v1.has(opt)) v1.set(opt, mountPoint);
      }
    }
  }
  const mode = v1.size === 0 ? 'v2' : unified ? 'hybrid' : 'v1';
  return unified !== undefined ? { v1, unified, mode } : { v1, mode };
}

/** Every directory that a cgroup path has (or would have) across the hierarchies, deduplicated. */
export async function cgroupDirs(path: string): Promise<string[]> {
  const layout = await cgroupLayout();
  const roots = new Set(layout.v1.values());
  if (layout.unified) roots.add(layout.unified);
  return [...roots].map((root) => join(root, path));
}

/** Directory of path in the hierarchy that holds controller, v1 first, else unified. */
export async function controllerDir(controller: string, path: string): Promise<string | undefined> {
  const layout = await cgroupLayout();
  const v1 = layout.v1.get(controller);
  if (v1) return join(v1, path);
  return layout.mode === 'v2' && layout.unified ? join(layout.unified, path) : undefined;
}

/** Removes a cgroup and any children in every hierarchy; missing ones are fine. Returns what is left (busy). */
export async function removeCgroup(path: string): Promise<string[]> {
  const left: string[] = [];
  for (const dir of await cgroupDirs(path)) {
    if (!(await removeTree(dir))) left.push(dir);
  }
  return left;
}

async function removeTree(dir: string): Promise<boolean> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return true;
  }
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  // A cgroup whose last task just exited can be briefly busy: retry a little.
  for (let i = 0; i < 20; i++) {
    try {
      await rmdir(dir);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
      if ((err as NodeJS.ErrnoException).code !== 'EBUSY') return false;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  return false;
}

/** Whether the cgroup exists in any hierarchy. */
export async function cgroupExists(path: string): Promise<boolean> {
  for (const dir of await cgroupDirs(path)) {
    try {
      await access(dir);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

/** Pids of every process in the cgroup (and its children). */
export async function cgroupPids(path: string): Promise<number[]> {
  for (const controller of ['pids', 'memory', 'freezer', 'devices', 'cpu']) {
    const dir = await controllerDir(controller, path);
    if (!dir) continue;
    const pids = await collectPids(dir);
    if (pids) return [...new Set(pids)].sort((a, b) => a - b);
  }
  const layout = await cgroupLayout();
  if (layout.unified) return (await collectPids(join(layout.unified, path))) ?? [];
  return [];
}

async function collectPids(dir: string): Promise<number[] | undefined> {
  let text;
  try {
    text = await readFile(join(dir, 'cgroup.procs'), 'utf8');
  } catch {
    return undefined;
  }
  const pids = text.split('\n').filter(Boolean).map(Number);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) pids.push(...((await collectPids(join(dir, e.name))) ?? []));
  }
  return pids;
}

/** OOM kills counted by the cgroup's memory controller (v1 memory.oom_control, v2 memory.events). */
export async function readOomKills(path: string): Promise<number> {
  const layout = await cgroupLayout();
  const v1 = layout.v1.get('memory');
  const file = v1 ? join(v1, path, 'memory.oom_control') : layout.unified ? join(layout.unified, path, 'memory.events') : undefined;
  if (!file) return 0;
  try {
    const m = /^oom_kill (\d+)$/m.exec(await readFile(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Whether v1 blkio weight is settable here (Docker drops --blkio-weight with a warning otherwise). */
export async function blkioWeightSupported(): Promise<boolean> {
  const dir = await controllerDir('blkio', '/');
  if (!dir) return false;
  try {
    await access(join(dir, 'blkio.weight'));
    return true;
  } catch {
    return false;
  }
}
