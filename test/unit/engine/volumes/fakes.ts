/** Test doubles for the volume services: a recording kernel and an in-memory container lookup. */
import { chmod, cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notFound, type ContainerConfig, type HostConfig } from '../../../../src/core/index.js';
import type { ContainerLookup } from '../../../../src/engine/containers/hooks.js';
import type { ContainerRecord } from '../../../../src/engine/containers/types.js';
import type { Mount } from '../../../../src/platform/linux/mount.js';
import type { VolumeKernel } from '../../../../src/engine/volumes/index.js';

export class FakeKernel implements VolumeKernel {
  readonly mounted = new Map<string, Mount>();
  readonly calls: string[] = [];
  failMount: Error | undefined;
  propagation = { mountPoint: '/', shared: false, slave: false };

  async mount(m: Mount, target: string): Promise<void> {
    this.calls.push(`mount ${m.type} ${m.source} ${target} ${m.options.join(',')}`);
    if (this.failMount) throw this.failMount;
    this.mounted.set(target, m);
  }
  async unmount(target: string): Promise<boolean> {
    if (!this.mounted.has(target)) return false;
    this.calls.push(`unmount ${target}`);
    this.mounted.delete(target);
    return true;
  }
  async isMounted(target: string): Promise<boolean> {
    return this.mounted.has(target);
  }
  /** A plain recursive copy is enough for unprivileged tests (no owners to keep). */
  async copyDirectory(src: string, dst: string): Promise<void> {
    this.calls.push(`copy ${src} ${dst}`);
    await cp(src, dst, { recursive: true, verbatimSymlinks: true });
    await chmod(dst, (await stat(src)).mode & 0o7777);
  }
  async propagationOf(): Promise<{ mountPoint: string; shared: boolean; slave: boolean }> {
    return this.propagation;
  }
}

export class FakeLookup implements ContainerLookup {
  readonly records: ContainerRecord[] = [];
  get(idOrName: string): ContainerRecord {
    const rec = this.records.find((r) => r.Id === idOrName || r.Name === idOrName.replace(/^\//, '') || (idOrName.length >= 3 && r.Id.startsWith(idOrName)));
    if (!rec) throw notFound(`No such container: ${idOrName}`);
    return rec;
  }
  list(): ContainerRecord[] {
    return [...this.records];
  }
}

let counter = 0;

/** A container record with just what the volume hooks read. */
export function makeRecord(hostConfig: HostConfig = {}, config: ContainerConfig = {}, name?: string): ContainerRecord {
  counter++;
  const id = (counter.toString(16) + Math.random().toString(16).slice(2)).padEnd(64, '0').slice(0, 64);
  return {
    Id: id, Name: name ?? `c${counter}`, Created: new Date().toISOString(), Path: 'sh', Args: [], Image: 'sha256:x', ImageName: 'bb',
    Config: config, HostConfig: hostConfig, NetworkingConfig: {},
    State: { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: '', FinishedAt: '' },
    NetworkSettings: { Networks: {}, Ports: {}, SandboxID: '', SandboxKey: '' },
    Mounts: [], RestartCount: 0, HasBeenStartedBefore: false, HasBeenManuallyStopped: false,
    LogPath: '', HostnamePath: '', HostsPath: '', ResolvConfPath: '', Driver: 'overlay2', Runtime: 'runc', ExecIDs: [], Platform: 'linux',
  };
}

/** A temp dir removed by the returned cleanup, even when the test failed. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `berth-vol-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
