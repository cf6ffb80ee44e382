/** The kernel side of volumes, for real: option mounts, safe removal, content copy, propagation. Root only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chown, lstat, mkdir, readFile, readdir, readlink, stat, symlink, utimes, writeFile, chmod } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VolumeService, linuxVolumeKernel } from '../../../../src/engine/volumes/index.js';
import { copyDirectory } from '../../../../src/platform/linux/copy-directory.js';
import { mountPropagationOf } from '../../../../src/platform/linux/mount-propagation.js';
import { tempDir } from '../../../unit/engine/volumes/fakes.js';

const skip = process.getuid?.() !== 0 ? 'needs root (mounts, chown)' : false;

/** Super options of the mount at target, or undefined when it is not a mount point. */
function mountOptions(target: string): string | undefined {
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === target).at(-1);
  return line?.split(' - ')[1]?.split(' ')[2];
}

/** Lazily unmounts everything under dir (deepest first), whatever state a failed test left. */
function unmountUnder(dir: string): void {
  const targets = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(dir + '/'));
  for (const t of targets.sort((a, b) => b.length - a.length)) {
    try {
      execFileSync('umount', ['-l', t], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}

test('a tmpfs volume is mounted with its size for its users and unmounted after the last', { skip }, async () => {
  const { dir, cleanup } = await tempDir('ktmpfs');
  try {
    const service = new VolumeService({ root: dir, kernel: linuxVolumeKernel });
    await service.init();
    await service.create('tv', { options: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m,mode=1770' } });
    const path = await service.mount('tv', 'c1');
    await service.mount('tv', 'c2');
    assert.match(mountOptions(path) ?? '', /size=10240k/);
    assert.match(mountOptions(path) ?? '', /mode=1770/);
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === path).length, 1, 'mounted once for two users');
    await service.unmount('tv', 'c1');
    assert.notEqual(mountOptions(path), undefined);
    await service.unmount('tv', 'c2');
    assert.equal(mountOptions(path), undefined);
    await service.remove('tv');
  } finally {
    unmountUnder(dir);
    await cleanup();
  }
});

test('a bind volume shows the host directory, and removing it never deletes the host files', { skip }, async () => {
  const { dir, cleanup } = await tempDir('kbind');
  try {
    const host = join(dir, 'host');
    await mkdir(host);
    await writeFile(join(host, 'precious'), 'keep me');
    const service = new VolumeService({ root: dir, kernel: linuxVolumeKernel });
    await service.init();
    await service.create('bv', { options: { type: 'none', device: host, o: 'bind' } });
    const path = await service.mount('bv', 'c1');
    assert.equal(await readFile(join(path, 'precious'), 'utf8'), 'keep me');
    // As after a daemon crash: the volume is still mounted but nobody holds it.
    const again = new VolumeService({ root: dir, kernel: linuxVolumeKernel });
    await again.init();
    await again.remove('bv');
    assert.equal(await readFile(join(host, 'precious'), 'utf8'), 'keep me');
    assert.equal(mountOptions(path), undefined);
    await again.create('missing', { options: { type: 'none', device: join(dir, 'nonexist'), o: 'bind' } });
    await assert.rejects(again.mount('missing', 'c1'), (err: Error) => err.message.startsWith(`error while mounting volume '${again.dataPath('missing')}': failed to mount local volume: mount ${join(dir, 'nonexist')}:`));
  } finally {
    unmountUnder(dir);
    await cleanup();
  }
});

test('copyDirectory keeps owners, modes, times and links, and gives the target the source dir attributes', { skip }, async () => {
  const { dir, cleanup } = await tempDir('kcopy');
  try {
    const src = join(dir, 'src');
    const dst = join(dir, 'dst');
    await mkdir(join(src, 'sub'), { recursive: true });
    await mkdir(dst, { mode: 0o755 });
    await writeFile(join(src, 'sub', 'f'), 'hello');
    await symlink('sub/f', join(src, 'lnk'));
    await chown(join(src, 'sub', 'f'), 1000, 1001);
    await chown(src, 1000, 1001);
    await chmod(src, 0o750);
    await utimes(join(src, 'sub', 'f'), new Date('2001-01-01'), new Date('2001-01-01'));
    await copyDirectory(src, dst);
    const root = await stat(dst);
    assert.deepEqual([root.uid, root.gid, root.mode & 0o7777], [1000, 1001, 0o750]);
    const f = await stat(join(dst, 'sub', 'f'));
    assert.deepEqual([f.uid, f.gid, f.mtime.toISOString()], [1000, 1001, '2001-01-01T00:00:00.000Z']);
    assert.equal((await lstat(join(dst, 'lnk'))).isSymbolicLink(), true);
    assert.equal(await readlink(join(dst, 'lnk')), 'sub/f');
    assert.deepEqual((await readdir(dst)).sort(), ['lnk', 'sub']);
  } finally {
    await cleanup();
  }
});

test('mountPropagationOf tells shared, slave and private mounts apart', { skip }, async () => {
  const { dir, cleanup } = await tempDir('kprop');
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await mkdir(a);
    await mkdir(b);
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', a]);
    execFileSync('mount', ['--make-private', a]);
    await mkdir(join(a, 'inner'));
    assert.deepEqual(await mountPropagationOf(join(a, 'inner')), { mountPoint: a, shared: false, slave: false });
    execFileSync('mount', ['--make-shared', a]);
    assert.deepEqual(await mountPropagationOf(join(a, 'inner')), { mountPoint: a, shared: true, slave: false });
    execFileSync('mount', ['--bind', a, b]);
    execFileSync('mount', ['--make-slave', b]);
    assert.deepEqual(await mountPropagationOf(b), { mountPoint: b, shared: false, slave: true });
  } finally {
    unmountUnder(dir);
    await cleanup();
  }
});
