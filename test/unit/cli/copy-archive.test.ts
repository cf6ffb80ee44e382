import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { extractTo, packPath, prepareArchiveCopy, rebaseName, splitPathDirEntry } from '../../../src/cli/docker/container/copy-archive.js';
import { decodePathStat, splitCpArg } from '../../../src/cli/docker/cp.js';

test('PrepareArchiveCopy rules', () => {
  const file = { path: '/src/f.txt', exists: true, isDir: false };
  const dir = { path: '/src/d', exists: true, isDir: true };
  assert.deepEqual(prepareArchiveCopy(file, { path: '/tmp', exists: true, isDir: true }), { dir: '/tmp', rename: undefined });
  assert.deepEqual(prepareArchiveCopy(file, { path: '/tmp/x.txt', exists: true, isDir: false }), { dir: '/tmp', rename: 'x.txt' });
  assert.deepEqual(prepareArchiveCopy(file, { path: '/tmp/new.txt', exists: false, isDir: false }), { dir: '/tmp', rename: 'new.txt' });
  assert.deepEqual(prepareArchiveCopy(dir, { path: '/tmp/newdir', exists: false, isDir: false }), { dir: '/tmp', rename: 'newdir' });
  assert.throws(() => prepareArchiveCopy(dir, { path: '/tmp/x.txt', exists: true, isDir: false }), /^Error: cannot copy directory$/);
  assert.throws(() => prepareArchiveCopy(file, { path: '/tmp/nodir/', exists: false, isDir: false }), /^Error: no such directory$/);
  assert.deepEqual(splitPathDirEntry('/a/b/.'), ['/a/b', '.']);
  assert.deepEqual(splitPathDirEntry('/a/b/'), ['/a', 'b']);
});

test('archive root renaming', () => {
  assert.equal(rebaseName('srcdir/a.txt', 'srcdir', 'new'), 'new/a.txt');
  assert.equal(rebaseName('srcdir/', 'srcdir', 'new'), 'new/');
  assert.equal(rebaseName('srcdirx/a', 'srcdir', 'new'), 'srcdirx/a');
  assert.equal(rebaseName('./a.txt', '.', 'new'), 'new/a.txt');
  assert.equal(rebaseName('f.txt', 'f.txt', 'g.txt'), 'g.txt');
  assert.deepEqual(splitCpArg('c1:/etc'), { container: 'c1', path: '/etc' });
  assert.deepEqual(splitCpArg('./a:b'), { container: '', path: './a:b' });
  assert.deepEqual(splitCpArg('/abs:x'), { container: '', path: '/abs:x' });
  const header = Buffer.from(JSON.stringify({ name: 'f', size: 3, mode: 2147484141, mtime: 'x', linkTarget: '' })).toString('base64');
  assert.equal(decodePathStat(header)!.mode, 2147484141);
});

test('pack then extract: contents, modes, mtimes and links survive; root renamed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cp-'));
  try {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'hello', { mode: 0o640 });
    writeFileSync(join(src, 'sub', 'b.sh'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('a.txt', join(src, 'link'));
    utimesSync(join(src, 'a.txt'), 1_600_000_000, 1_600_000_000);
    const out = join(dir, 'out');
    mkdirSync(out);
    const n = await extractTo(packPath(src, { rootName: 'renamed' }), out, { preserveOwner: false });
    assert.equal(n, 15);
    assert.equal(readFileSync(join(out, 'renamed', 'a.txt'), 'utf8'), 'hello');
    assert.equal(statSync(join(out, 'renamed', 'a.txt')).mode & 0o777, 0o640);
    assert.equal(statSync(join(out, 'renamed', 'sub', 'b.sh')).mode & 0o777, 0o755);
    assert.equal(statSync(join(out, 'renamed', 'a.txt')).mtimeMs, 1_600_000_000_000);
    assert.equal(readlinkSync(join(out, 'renamed', 'link')), 'a.txt');
    const flat = join(dir, 'flat');
    mkdirSync(flat);
    await extractTo(packPath(src, { rootName: '' }), flat, { preserveOwner: false });
    assert.ok(existsSync(join(flat, 'sub', 'b.sh')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function tarOf(entries: { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string; linkname?: string }[]): Promise<Readable> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, type: e.type ?? 'file', ...(e.linkname ? { linkname: e.linkname } : {}) }, e.body ?? '');
  pack.finalize();
  return Readable.from(pack);
}

test('extract refuses entries escaping the destination and dir/non-dir overwrites', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cp-'));
  try {
    await assert.rejects(extractTo(await tarOf([{ name: '../evil', body: 'x' }]), join(dir), { preserveOwner: false }), /outside the destination/);
    assert.ok(!existsSync(join(dir, '..', 'evil')));
    await assert.rejects(extractTo(await tarOf([{ name: 'h', type: 'link', linkname: '../../etc/passwd' }]), dir, { preserveOwner: false }), /outside the destination/);
    mkdirSync(join(dir, 'd'));
    await assert.rejects(extractTo(await tarOf([{ name: 'd', body: 'file' }]), dir, { preserveOwner: false }), /cannot overwrite directory/);
    writeFileSync(join(dir, 'f'), 'x');
    await assert.rejects(extractTo(await tarOf([{ name: 'f/', type: 'directory' }]), dir, { preserveOwner: false }), /cannot overwrite non-directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
