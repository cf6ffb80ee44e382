/**
 * Shared setup for runtime integration tests: a busybox lower dir, a fresh
 * overlay per task, a unique exec-root and cgroup parent, and a cleanup that
 * removes every task, process (by pid), mount, cgroup and dir it made, then
 * reports what it had to clean so tests can assert nothing leaked.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { buildBusyboxRootfs, busyboxAvailable } from '../../../fixtures/busybox.js';
import { createRuntime, type Runtime, type TaskSpec } from '../../../../src/engine/runtime/index.js';
import { cgroupDirs, removeCgroup } from '../../../../src/platform/linux/cgroups.js';
import { mountsUnder, unmountTree } from '../../../../src/platform/linux/unmount-tree.js';
import { signalPid, waitGone } from '../../../../src/platform/linux/processes.js';
import { existsSync } from 'node:fs';

export function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (runc, mounts, cgroups)';
  if (!busyboxAvailable()) return 'busybox-static not installed';
  if (!existsSync('/usr/sbin/runc') && !existsSync('/usr/bin/runc')) return 'runc not installed';
  return undefined;
}

export class Harness {
  readonly root = mkdtempSync('/tmp/brt-');
  readonly lower = `${this.root}/lower`;
  readonly execRoot = `${this.root}/exec`;
  readonly cgroupParent = `/berth-test-${randomBytes(4).toString('hex')}`;
  readonly ids = new Set<string>();
  runtime!: Runtime;
  private n = 0;

  async init(options: { poolSize?: number } = {}): Promise<this> {
    mkdirSync(this.lower);
    buildBusyboxRootfs(this.lower);
    this.runtime = await this.newRuntime(options);
    return this;
  }

  newRuntime(options: { poolSize?: number } = {}): Promise<Runtime> {
    return createRuntime({ execRoot: this.execRoot, cgroupParent: this.cgroupParent, monitorPoolSize: options.poolSize ?? 1 });
  }

  id(name: string): string {
    const id = `${name}-${randomBytes(3).toString('hex')}`;
    this.ids.add(id);
    return id;
  }

  /** A TaskSpec on a fresh overlay of the busybox rootfs. */
  spec(name: string, args: string[], extra: Partial<TaskSpec> = {}): TaskSpec {
    const i = this.n++;
    for (const d of [`u${i}`, `w${i}`]) mkdirSync(`${this.root}/${d}`);
    return {
      id: this.id(name),
      rootfsMounts: [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${this.lower}`, `upperdir=${this.root}/u${i}`, `workdir=${this.root}/w${i}`] }],
      ...extra,
      process: { args, env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], ...(extra.process ?? {}) },
    };
  }

  logPath(id: string): string {
    return `${this.root}/${id}.log`;
  }

  /** Pids of processes started for this harness (monitors and runc carry its paths in argv). */
  strayPids(): number[] {
    const out: number[] = [];
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(this.root)) out.push(Number(p));
      } catch {
        // gone
      }
    }
    return out;
  }

  async leftovers(): Promise<{ mounts: string[]; cgroups: string[]; pids: number[]; tasks: string[] }> {
    const cgroups: string[] = [];
    for (const dir of await cgroupDirs(this.cgroupParent)) {
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) cgroups.push(`${dir}/${e.name}`);
      } catch {
        // parent not there: nothing left
      }
    }
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`${this.execRoot}/tasks`);
    } catch {
      tasks = [];
    }
    return { mounts: await mountsUnder(this.root), cgroups, pids: this.strayPids(), tasks };
  }

  /** Deletes every task (killing running ones), closes the runtime, then removes whatever is left. */
  async cleanup(): Promise<void> {
    for (const id of this.ids) {
      try {
        const st = await this.runtime.state(id);
        if (st.status !== 'exited') {
          if (st.status === 'paused') await this.runtime.resume(id).catch(() => {});
          await this.runtime.kill(id, 'KILL').catch(() => {});
          await Promise.race([this.runtime.wait(id), new Promise((r) => setTimeout(r, 5000))]);
        }
        await this.runtime.delete(id);
      } catch {
        // not found: never started or already deleted
      }
    }
    await this.runtime.close().catch(() => {});
    // Idle monitors leave when the pool closes; give them a moment, then by pid.
    for (const pid of this.strayPids()) if (!(await waitGone(pid, 3000))) signalPid(pid, 'SIGKILL');
    await unmountTree(this.root);
    await removeCgroup(this.cgroupParent);
    if ((await mountsUnder(this.root)).length === 0) rmSync(this.root, { recursive: true, force: true });
  }
}

/** A Writable that keeps what it got. */
export class Sink extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  async waitFor(re: RegExp, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!re.test(this.text())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(this.text())}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.text();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
