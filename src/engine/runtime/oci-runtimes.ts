import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { errorMessage } from '../../core/index.js';
import { run } from '../../platform/linux/exec.js';
import { removeCgroup } from '../../platform/linux/cgroups.js';
import type { RuntimeInfo } from './index.js';

export const DEFAULT_RUNTIMES: Readonly<Record<string, string>> = { runc: 'runc', crun: 'crun' };

/**
 * Runs a trivial container with the runtime (the init binary, `--version`, in
 * a throwaway rootfs under a throwaway cgroup) to learn whether it works on
 * this host: crun 1.8 refuses any container under hybrid cgroups, and saying
 * so beats pretending.
 */
export async function probeRuntime(name: string, path: string, options: { initBinary: string; cgroupParent: string }): Promise<RuntimeInfo> {
  const version = await run(path, ['--version']).then(
    (r) => r.stdout.split('\n')[0]?.trim(),
    () => undefined,
  );
  if (version === undefined) return { name, path, usable: false, reason: `${path} not found or not runnable` };
  const dir = await mkdtemp(join(tmpdir(), 'berth-probe-'));
  const id = `berth-probe-${randomBytes(4).toString('hex')}`;
  const cgroupsPath = `${options.cgroupParent}/${id}`;
  try {
    await mkdir(join(dir, 'rootfs', 'proc'), { recursive: true });
    await copyFile(options.initBinary, join(dir, 'rootfs', 'init'));
    const spec = {
      ociVersion: '1.0.2-dev',
      process: { terminal: false, user: { uid: 0, gid: 0 }, args: ['/init', '--version'], env: [], cwd: '/', capabilities: {}, noNewPrivileges: true },
      root: { path: 'rootfs', readonly: true },
      mounts: [{ destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] }],
      linux: { namespaces: [{ type: 'mount' }, { type: 'pid' }], cgroupsPath, resources: { devices: [{ allow: false, access: 'rwm' }] } },
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
    await run(path, ['--root', join(dir, 'state'), 'run', '--bundle', dir, id], { cwd: dir });
    return { name, path, version, usable: true };
  } catch (e) {
    await run(path, ['--root', join(dir, 'state'), 'delete', '--force', id], { okCodes: [0, 1] }).catch(() => {});
    const reason = errorMessage(e).split('\n').filter(Boolean).pop() ?? 'probe failed';
    return { name, path, version, usable: false, reason: reason.replace(/^.*?: exit \d+: /, '') };
  } finally {
    await removeCgroup(cgroupsPath).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
