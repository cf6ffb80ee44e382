import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { extractArchive, GoMode, secureJoin, statPath, tarPath } from '../../../../src/engine/archive/index.js';
import { buildTar, listTar, readTarFiles } from '../snapshots/tar-builder.js';

const noChown = process.getuid?.() !== 0;

async function fixture(t: TestContext): Promise<{ root: string; outside: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-archive-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const root = join(dir, 'rootfs');
  const outside = join(dir, 'outside');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'bin'));
  await mkdir(outside);
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0\n');
  await writeFile(join(root, 'bin', 'busybox'), 'BB');
  await symlink('/bin/busybox', join(root, 'bin', 'sh'));
  await symlink('/etc', join(root, 'etclink'));
  await symlink('../../../../../../..' + outside, join(root, 'escape'));
  await symlink(outside, join(root, 'abs-escape'));
  await utimes(join(root, 'etc', 'passwd'), new Date(1_700_000_000_500), new Date(1_700_000_000_500));
  return { root, outside };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('secureJoin resolves symlinks inside the root only', async (t) => {
  const { root } = await fixture(t);
  assert.equal(await secureJoin(root, '/etclink/passwd'), join(root, 'etc', 'passwd'));
  assert.equal(await secureJoin(root, '/escape/x'), join(root, root.split('/').slice(1, -1).join('/'), 'outside', 'x'), 'relative escape clamps at the root');
  assert.ok((await secureJoin(root, '/abs-escape/x')).startsWith(root + '/'), 'absolute targets restart at the root');
  assert.equal(await secureJoin(root, '/../../etc/passwd'), join(root, 'etc', 'passwd'));
});

test('statPath reports Docker ContainerPathStat with Go mode bits', async (t) => {
  const { root } = await fixture(t);
  const file = await statPath(root, '/etc/passwd');
  assert.deepEqual(file, { name: 'passwd', size: 11, mode: 0o644, mtime: '2023-11-14T22:13:20.5Z', linkTarget: '' });
  const dir = await statPath(root, '/etc');
  assert.equal(dir.mode, GoMode.Dir + 0o755);
  const link = await statPath(root, '/bin/sh');
  assert.equal(link.mode, GoMode.Symlink + 0o777);
  assert.equal(link.linkTarget, '/bin/busybox');
  assert.equal(link.size, '/bin/busybox'.length);
  assert.equal((await statPath(root, '/etclink/')).name, 'etclink');
  await assert.rejects(statPath(root, '/nope', { containerName: 'c1' }), { message: 'Could not find the file /nope in container c1' });
});

test('tarPath names entries like Docker (dir, dir/., file, symlinked dir)', async (t) => {
  const { root } = await fixture(t);
  assert.deepEqual(await listTar(await collect((await tarPath(root, '/etc')).stream)), ['directory etc/', 'file etc/passwd']);
  assert.deepEqual(await listTar(await collect((await tarPath(root, '/etc/.')).stream)), ['directory ./', 'file ./passwd']);
  assert.deepEqual(await listTar(await collect((await tarPath(root, '/bin/sh')).stream)), ['symlink sh -> /bin/busybox']);
  assert.deepEqual(await listTar(await collect((await tarPath(root, '/etclink/')).stream)), ['directory etclink/', 'file etclink/passwd']);
  const files = await readTarFiles(await collect((await tarPath(root, '/etc/passwd')).stream));
  assert.equal(files.get('passwd'), 'root:x:0:0\n');
});

test('extractArchive writes inside the root, never through symlinks out of it', async (t) => {
  const { root, outside } = await fixture(t);
  const tar = await buildTar([
    { name: 'new/', type: 'directory' },
    { name: 'new/file', content: 'content' },
    { name: 'new/hard', type: 'link', linkname: 'new/file' },
    { name: 'escape/pwned', content: 'x' },
    { name: 'abs-escape/pwned', content: 'x' },
  ]);
  await extractArchive(root, '/', Readable.from([gzipSync(tar)]), { noChown });
  assert.equal(await readFile(join(root, 'new', 'file'), 'utf8'), 'content');
  assert.equal((await lstat(join(root, 'new', 'hard'))).ino, (await lstat(join(root, 'new', 'file'))).ino);
  assert.deepEqual(await readdir(outside), [], 'nothing escaped');
  assert.ok((await lstat(join(root, 'escape'))).isSymbolicLink(), 'symlink left alone');
  // Into a symlinked directory: follows it inside the root.
  await extractArchive(root, '/etclink', Readable.from([await buildTar([{ name: 'hosts', content: 'h' }])]), { noChown });
  assert.equal(await readFile(join(root, 'etc', 'hosts'), 'utf8'), 'h');
  await assert.rejects(extractArchive(root, '/nope', Readable.from([tar]), { containerName: 'c1' }), { message: 'Could not find the file /nope in container c1' });
  await assert.rejects(extractArchive(root, '/etc/passwd', Readable.from([tar])), { message: 'extraction point is not a directory' });
  await assert.rejects(extractArchive(root, '/', Readable.from([await buildTar([{ name: '../x', content: 'x' }])])), /is outside of/);
});

test('noOverwriteDirNonDir refuses type changes with Docker messages', async (t) => {
  const { root } = await fixture(t);
  await assert.rejects(extractArchive(root, '/', Readable.from([await buildTar([{ name: 'etc', content: 'x' }])]), { noOverwriteDirNonDir: true, noChown }), {
    message: 'Error processing tar file(exit status 1): cannot overwrite directory "/etc" with non-directory "/"',
  });
  await assert.rejects(extractArchive(root, '/etc', Readable.from([await buildTar([{ name: 'passwd', type: 'directory' }])]), { noOverwriteDirNonDir: true, noChown }), {
    message: 'Error processing tar file(exit status 1): cannot overwrite non-directory "/etc/passwd" with directory "/etc"',
  });
  // Without the option the file replaces the directory, as tar does.
  await extractArchive(root, '/', Readable.from([await buildTar([{ name: 'bin', content: 'x' }])]), { noChown });
  assert.ok((await lstat(join(root, 'bin'))).isFile());
  assert.equal(await readlink(join(root, 'etclink')), '/etc');
});
