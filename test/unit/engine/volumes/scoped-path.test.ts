import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveInRoot } from '../../../../src/engine/volumes/scoped-path.js';
import { tempDir } from './fakes.js';

test('resolveInRoot follows symlinks without leaving the root', async () => {
  const { dir, cleanup } = await tempDir('scoped');
  try {
    await mkdir(join(dir, 'real/sub'), { recursive: true });
    await symlink('/real', join(dir, 'abs'));
    await symlink('../../../../real', join(dir, 'real/up'));
    await symlink('/etc', join(dir, 'hostetc'));
    assert.equal(await resolveInRoot(dir, '/abs/sub'), join(dir, 'real/sub'));
    assert.equal(await resolveInRoot(dir, '/real/up/sub'), join(dir, 'real/sub'));
    assert.equal(await resolveInRoot(dir, '/hostetc/passwd'), join(dir, 'etc/passwd'));
    assert.equal(await resolveInRoot(dir, '/../../missing/x'), join(dir, 'missing/x'));
    await symlink('loop', join(dir, 'loop'));
    await assert.rejects(resolveInRoot(dir, '/loop'), /too many symlinks/);
  } finally {
    await cleanup();
  }
});
