import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether a process exists (signal 0); EPERM still means it exists. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether pid is a zombie or gone (a zombie still answers kill 0). */
export async function isGoneOrZombie(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return true;
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/** Polls until pid is gone (or a zombie), up to timeoutMs; returns whether it went. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isGoneOrZombie(pid)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Sends a signal by pid; a missing process is not an error. */
export function signalPid(pid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface HostDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

/** Device numbers of a host device node (glibc's major()/minor() on st_rdev). */
export async function hostDevice(path: string): Promise<HostDevice | undefined> {
  const st = await stat(path);
  const type = st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : undefined;
  if (!type) return undefined;
  const dev = BigInt(st.rdev);
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return { path, type, major, minor, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

/** Every device node under /dev except the per-container ones (pts, shm, mqueue), as Docker's privileged mode. */
export async function hostDevices(dir = '/dev'): Promise<HostDevice[]> {
  const out: HostDevice[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (['pts', 'shm', 'fd', 'mqueue', '.lxc', '.lxd-mounts', '.udev'].includes(e.name)) continue;
      out.push(...(await hostDevices(p)));
    } else if (e.isCharacterDevice() || e.isBlockDevice()) {
      if (p === '/dev/console') continue;
      const d = await hostDevice(p).catch(() => undefined);
      if (d) out.push(d);
    }
  }
  return out;
}

/** Highest capability number the kernel knows (/proc/sys/kernel/cap_last_cap). */
export async function lastCapability(): Promise<number> {
  try {
    return Number((await readFile('/proc/sys/kernel/cap_last_cap', 'utf8')).trim());
  } catch {
    return 40;
  }
}

/** Our own capability bounding set (CapBnd): a sandboxed daemon cannot grant what it lacks. */
export async function boundingCapabilities(): Promise<bigint | undefined> {
  try {
    const m = /^CapBnd:\s+([0-9a-f]+)$/m.exec(await readFile('/proc/self/status', 'utf8'));
    return m ? BigInt('0x' + m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Our fds above stderr without O_CLOEXEC: a child inherits them. A daemon
 * started by a harness that leaked a pipe to it would pass that pipe on to
 * every long-lived child, keeping its reader from ever seeing EOF.
 */
export function inheritableFds(): number[] {
  const out: number[] = [];
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return out;
  }
  for (const f of fds) {
    const fd = Number(f);
    if (fd <= 2) continue;
    try {
      const m = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (m && (parseInt(m[1] as string, 8) & 0o2000000) === 0) out.push(fd);
    } catch {
      // closed meanwhile (readdir's own fd)
    }
  }
  return out;
}

/** Passes leaked fds (inheritableFds()) to a child process that closes them with closeInheritedFds(). */
export function closeFdsArgs(fds: readonly number[]): string[] {
  return fds.length > 0 ? ['--close-fds', fds.join(',')] : [];
}

/** Closes the fds named by `--close-fds a,b` in argv: inherited without close-on-exec, not ours to keep or pass on. */
export function closeInheritedFds(argv: readonly string[] = process.argv): void {
  const i = argv.indexOf('--close-fds');
  const list = i >= 0 ? (argv[i + 1] ?? '') : '';
  for (const f of list.split(',').filter(Boolean)) {
    try {
      closeSync(Number(f));
    } catch {
      // already closed
    }
  }
}

/**
 * Starts cmd in a session of its own, stdin/stdout /dev/null, stderr appended
 * to logFile, not waited for. Returns its pid, or undefined when it could not
 * be started.
 */
export function spawnDetached(cmd: string, args: readonly string[], options: { logFile: string; env?: NodeJS.ProcessEnv }): number | undefined {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'ignore', fd], ...(options.env ? { env: options.env } : {}) });
    child.on('error', () => {}); // reported as no pid
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** setpriority(2) on pid (0: this process); quietly nothing when not permitted. */
export function trySetPriority(pid: number, nice: number): void {
  try {
    setPriority(pid, nice);
  } catch {
    // not root: stays as it is
  }
}
