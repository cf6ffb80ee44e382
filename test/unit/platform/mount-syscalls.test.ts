import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountCall } from '../../../src/platform/linux/mount-syscalls.js';
import { isMountPoint, mountAll, unmount, unmountIfMounted } from '../../../src/platform/linux/mount.js';

test('mount options become the single mount(2) call mount(8) would make, or are left to mount(8)', () => {
  assert.deepEqual(mountCall({ type: 'overlay', source: 'overlay', options: ['index=off', 'lowerdir=/l2:/l1', 'upperdir=/u', 'workdir=/w'] }), {
    source: 'overlay', type: 'overlay', flags: 0, data: 'index=off,lowerdir=/l2:/l1,upperdir=/u,workdir=/w',
  });
  assert.deepEqual(mountCall({ type: 'bind', source: '/src', options: ['rw', 'rbind'] }), { source: '/src', type: '', flags: 0x1000 | 0x4000, data: '' });
  assert.deepEqual(mountCall({ type: 'none', source: '/src', options: ['bind'] }), { source: '/src', type: '', flags: 0x1000, data: '' });
  assert.deepEqual(mountCall({ type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'size=65536k'] }), { source: 'tmpfs', type: 'tmpfs', flags: 0x2 | 0x4, data: 'size=65536k' });
  // A read-only bind takes a second (remount) call; unknown flags and filesystems are mount(8)'s.
  assert.equal(mountCall({ type: 'bind', source: '/src', options: ['ro', 'rbind'] }), undefined);
  assert.equal(mountCall({ type: 'overlay', source: 'overlay', options: ['lowerdir=/l', 'relatime'] }), undefined);
  assert.equal(mountCall({ type: 'ext4', source: '/dev/x', options: [] }), undefined);
});

test('mount and umount through the helper: overlay and bind, errors with the errno name', { skip: process.getuid?.() !== 0 ? 'needs root' : false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-mnt-'));
  t.after(async () => {
    for (const m of ['merged', 'bound']) await unmountIfMounted(join(dir, m)).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  const lower = join(dir, 'lower');
  for (const d of ['lower', 'upper', 'work', 'merged', 'bound']) mkdirSync(join(dir, d));
  writeFileSync(join(lower, 'f'), 'from lower');
  await mountAll([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lower}`, `upperdir=${join(dir, 'upper')}`, `workdir=${join(dir, 'work')}`] }], join(dir, 'merged'));
  assert.ok(await isMountPoint(join(dir, 'merged')));
  writeFileSync(join(dir, 'merged', 'g'), 'new');
  assert.ok(existsSync(join(dir, 'upper', 'g')), 'writes go to the upper dir');
  await mountAll([{ type: 'bind', source: join(dir, 'merged'), options: ['rbind'] }], join(dir, 'bound'));
  assert.ok(existsSync(join(dir, 'bound', 'f')));
  await unmount(join(dir, 'bound'));
  await assert.rejects(unmount(join(dir, 'bound')), /EINVAL/);
  assert.equal(await unmountIfMounted(join(dir, 'merged')), true);
  assert.equal(await isMountPoint(join(dir, 'merged')), false);
  await assert.rejects(mountAll([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${join(dir, 'nope')}`] }], join(dir, 'merged')), /ENOENT/);
});
