import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile, unlink, rmdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sha256Digest } from '../../../../src/core/digest.js';
import { applyLayer, ChangeKind, findOpaqueDirs, OverlaySnapshotter } from '../../../../src/engine/snapshots/index.js';
import { mountAll, unmountIfMounted } from '../../../../src/platform/linux/mount.js';
import { buildTar, listTar } from './tar-builder.js';

const isRoot = process.getuid?.() === 0;
const hasAttrTools = existsSync('/usr/bin/setfattr') && existsSync('/usr/bin/getfattr');
const skip = !isRoot ? 'needs root (mknod whiteouts, trusted xattrs, overlay mounts)' : !hasAttrTools ? 'needs setfattr/getfattr (Debian attr)' : false;

async function tmp(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-snap-'));
  t.after(async () => {
    await unmountIfMounted(join(dir, 'merged')).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('applyLayer converts OCI whiteouts and opaque dirs, hashes the stream, sizes the layer', { skip }, async (t) => {
  const dir = await tmp(t);
  const layer = join(dir, 'layer');
  await mkdir(layer);
  const tarBuf = await buildTar([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/hosts', content: '127.0.0.1 x\n' },
    { name: 'etc/.wh.passwd' },
    { name: 'opt/', type: 'directory' },
    { name: 'opt/.wh..wh..opq' },
    { name: 'opt/new', content: 'n' },
    { name: 'bin/', type: 'directory' },
    { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox' },
    { name: 'bin/hard', type: 'link', linkname: 'etc/hosts' },
  ]);
  const result = await applyLayer(layer, Readable.from([tarBuf]));
  assert.equal(result.diffId, sha256Digest(tarBuf));
  assert.equal(result.size, 12 + 1 + '/bin/busybox'.length, 'files once (hard link not twice) plus symlink length');
  const wh = await lstat(join(layer, 'etc', 'passwd'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'whiteout is a 0/0 char device');
  assert.ok(!existsSync(join(layer, 'etc', '.wh.passwd')));
  assert.ok(!existsSync(join(layer, 'opt', '.wh..wh..opq')));
  assert.deepEqual([...(await findOpaqueDirs(layer))], [join(layer, 'opt')]);
  assert.equal((await lstat(join(layer, 'bin', 'hard'))).ino, (await lstat(join(layer, 'etc', 'hosts'))).ino);
});

test('applyLayer refuses layers that escape their root', async (t) => {
  const dir = await tmp(t);
  const outside = join(dir, 'outside');
  await mkdir(outside);
  const cases: [string, Parameters<typeof buildTar>[0], RegExp][] = [
    ['dotdot', [{ name: '../outside/evil', content: 'x' }], /escapes the layer root/],
    ['absolute', [{ name: '/etc/evil', content: 'x' }], /absolute path/],
    ['symlink parent', [{ name: 'esc', type: 'symlink', linkname: outside }, { name: 'esc/evil', content: 'x' }], /through the symlink \/esc/],
    ['hardlink out', [{ name: 'h', type: 'link', linkname: '../outside/x' }], /invalid hardlink/],
    ['relative symlink out', [{ name: 'a/', type: 'directory' }, { name: 'a/l', type: 'symlink', linkname: '../../../etc/shadow' }], /invalid symlink/],
  ];
  for (const [label, entries, message] of cases) {
    const layer = join(dir, `layer-${label.replace(/ /g, '-')}`);
    await mkdir(layer);
    await assert.rejects(applyLayer(layer, Readable.from([await buildTar(entries)]), { noChown: !isRoot }), (err: Error) => {
      assert.match(err.message, /^failed to register layer: /, label);
      assert.match(err.message, message, label);
      return true;
    });
  }
  assert.deepEqual(await readdir(outside), [], 'nothing was written outside');
});

test('snapshots: layers shared, container layer mounted, diff and changes like Docker', { skip }, async (t) => {
  const dir = await tmp(t);
  const snap = new OverlaySnapshotter(join(dir, 'overlay'));
  await snap.init();
  const base = await buildTar([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', content: 'root:x:0:0::/:/bin/sh\n' },
    { name: 'etc/group', content: 'root:x:0:\n' },
    { name: 'data/', type: 'directory' },
    { name: 'data/a', content: 'a' },
    { name: 'tmp/', type: 'directory', mode: 0o1777 },
  ]);
  await snap.prepare('extract-1');
  const applied = await applyLayer(snap.dir('extract-1'), Readable.from([base]));
  const layer = await snap.commit('layer-1', 'extract-1');
  assert.equal(layer.size, applied.size);
  assert.equal(snap.stat('extract-1'), undefined);

  const mounts = await snap.prepare('ctr', 'layer-1');
  assert.equal(mounts.length, 1);
  assert.equal(mounts[0]!.type, 'overlay');
  assert.ok(mounts[0]!.options.some((o) => o.startsWith('lowerdir=')));
  await assert.rejects(snap.remove('layer-1'), /depends on it/);

  const merged = join(dir, 'merged');
  await mkdir(merged);
  await mountAll(mounts, merged);
  await writeFile(join(merged, 'etc', 'passwd'), 'changed\n');
  await unlink(join(merged, 'etc', 'group'));
  await writeFile(join(merged, 'tmp', 'new'), 'new');
  await rm(join(merged, 'data'), { recursive: true });
  await mkdir(join(merged, 'data'));
  await writeFile(join(merged, 'data', 'b'), 'b');
  await mkdir(join(merged, 'added'));
  assert.equal(await readFile(join(merged, 'etc', 'passwd'), 'utf8'), 'changed\n');
  await unmountIfMounted(merged);

  const changes = await snap.changes('ctr');
  const fmt = changes.map((c) => `${'CAD'[c.Kind]} ${c.Path}`);
  assert.deepEqual(fmt, ['A /added', 'D /data', 'A /data/b', 'C /etc', 'D /etc/group', 'C /etc/passwd', 'C /tmp', 'A /tmp/new']);
  assert.equal(changes[0]!.Kind, ChangeKind.Add);

  const diff = await collect(snap.diff('ctr'));
  const entries = await listTar(diff);
  assert.deepEqual(entries, [
    'directory added/',
    'directory data/',
    'file data/.wh..wh..opq',
    'file data/b',
    'directory etc/',
    'file etc/.wh.group',
    'file etc/passwd',
    'directory tmp/',
    'file tmp/new',
  ]);

  // The diff applies as a new layer on top and reproduces the container's view.
  await snap.prepare('extract-2', 'layer-1');
  await applyLayer(snap.dir('extract-2'), Readable.from([diff]));
  await snap.commit('layer-2', 'extract-2');
  const view = snap.mounts('layer-2');
  await mountAll(view, merged);
  try {
    assert.deepEqual((await readdir(join(merged, 'data'))).sort(), ['b']);
    assert.deepEqual((await readdir(join(merged, 'etc'))).sort(), ['passwd']);
    assert.equal(await readFile(join(merged, 'tmp', 'new'), 'utf8'), 'new');
  } finally {
    await unmountIfMounted(merged);
  }
  await snap.remove('ctr');
  await snap.remove('layer-2');
  await snap.remove('layer-1');
  assert.deepEqual(snap.list(), []);
  assert.deepEqual(await readdir(join(dir, 'overlay', 'snapshots')), []);
});

test('init removes snapshot directories the metadata does not name', { skip: !isRoot ? 'needs root' : false }, async (t) => {
  const dir = await tmp(t);
  const root = join(dir, 'overlay');
  const snap = new OverlaySnapshotter(root);
  await snap.init();
  await snap.prepare('keep');
  await mkdir(join(root, 'snapshots', '99', 'fs'), { recursive: true });
  const again = new OverlaySnapshotter(root);
  await again.init();
  assert.deepEqual(await readdir(join(root, 'snapshots')), [String(again.stat('keep')!.id)]);
  await rmdir(join(root, 'snapshots', String(again.stat('keep')!.id), 'work')).catch(() => undefined);
});
