import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxTar, busyboxAvailable } from '../../../fixtures/busybox.js';
import { mountAll, unmountIfMounted } from '../../../../src/platform/linux/mount.js';
import { ImagesService, type ImageUser } from '../../../../src/engine/images/index.js';
import { listTar } from '../../../unit/engine/snapshots/tar-builder.js';

const skip = process.getuid?.() !== 0 ? 'needs root (overlay mounts)' : !busyboxAvailable() ? 'busybox-static missing' : false;

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('container layers: create, change, diff, commit, export, remove', { skip }, () => {
  let dir: string;
  let images: ImagesService;
  let imageId: string;
  const users = new Map<string, ImageUser[]>();
  const rootfs = (): string => join(dir, 'rootfs');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-ctr-layer-'));
    images = new ImagesService({ root: join(dir, 'root'), isInUse: (id) => users.get(id) ?? [] });
    await images.init();
    const tar = join(dir, 'bb.tar');
    buildBusyboxTar(tar);
    imageId = await images.import(createReadStream(tar), { repo: 'bb:1', changes: ['CMD ["/bin/sh"]', 'ENV A=1'] });
    await mkdir(rootfs());
  });
  after(async () => {
    await unmountIfMounted(rootfs()).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('resolve gives ID and config by name, ID and short ID', async () => {
    for (const name of ['bb:1', imageId, imageId.slice(7), imageId.slice(7, 19), imageId.slice(0, 19)]) {
      const r = await images.resolve(name);
      assert.equal(r.id, imageId, name);
      assert.deepEqual(r.config.Cmd, ['/bin/sh']);
    }
    await assert.rejects(images.resolve('nope'), { message: 'No such image: nope:latest' });
  });

  test('a container layer sees the image, records changes, commits and exports', async () => {
    const mounts = await images.createContainerLayer('c1', imageId);
    assert.deepEqual(images.containerMounts('c1'), mounts);
    await mountAll(mounts, rootfs());
    try {
      assert.ok(existsSync(join(rootfs(), 'bin', 'busybox')));
      await writeFile(join(rootfs(), 'tmp', 'hello'), 'hi\n');
      await writeFile(join(rootfs(), 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
      await unlink(join(rootfs(), 'etc', 'group'));
      await symlink('/tmp/hello', join(rootfs(), 'link'));
    } finally {
      await unmountIfMounted(rootfs());
    }
    const changes = (await images.containerChanges('c1')).map((c) => `${'CAD'[c.Kind]} ${c.Path}`);
    assert.deepEqual(changes, ['C /etc', 'D /etc/group', 'C /etc/passwd', 'A /link', 'C /tmp', 'A /tmp/hello']);
    const gd = images.graphDriverData('c1');
    assert.ok(gd['UpperDir'] && gd['LowerDir'] && gd['WorkDir'] && gd['MergedDir']);

    const newId = await images.commit('c1', {
      imageId,
      containerConfig: { Cmd: ['sh', '-c', 'echo hi > /tmp/hello'], Env: ['A=1'], Image: 'bb:1' },
      changes: ['ENV B=2', 'LABEL x=y'],
      repo: 'committed',
      tag: 'v1',
      author: 'tester',
      comment: 'a commit',
    });
    const inspect = await images.inspect('committed:v1');
    assert.equal(inspect.Id, newId);
    assert.equal(inspect.Parent, imageId);
    assert.equal(inspect.Author, 'tester');
    assert.equal(inspect.Comment, 'a commit');
    assert.equal(inspect.Container, 'c1');
    assert.deepEqual((inspect.Config as { Env: string[] }).Env, ['A=1', 'B=2']);
    assert.deepEqual((inspect.Config as { Labels: Record<string, string> }).Labels, { x: 'y' });
    assert.equal(inspect.RootFS.Layers?.length, 2);
    const history = await images.history('committed:v1');
    assert.equal(history[0]!.Id, newId);
    assert.equal(history[0]!.CreatedBy, 'sh -c echo hi > /tmp/hello');
    assert.equal(history[0]!.Comment, 'a commit');
    assert.ok(history[0]!.Size > 0);
    assert.equal(history[1]!.Id, imageId);

    // A container of the committed image sees the change and the deletion.
    await mountAll(await images.createContainerLayer('c2', newId), rootfs());
    try {
      assert.equal(await readFile(join(rootfs(), 'tmp', 'hello'), 'utf8'), 'hi\n');
      assert.ok(!existsSync(join(rootfs(), 'etc', 'group')));
    } finally {
      await unmountIfMounted(rootfs());
    }

    const exported = await listTar(await collect(images.exportContainer('c1')));
    assert.ok(exported.includes('directory bin/') && exported.includes('file bin/busybox'));
    assert.ok(exported.includes('symlink link -> /tmp/hello'));
    assert.ok(!exported.some((e) => e.endsWith(' ./') || e.includes(' etc/group')), 'no ./ entry, deleted file absent');
    assert.ok(!existsSync(join(dir, 'root', 'image', 'tmp-mounts')) || (await import('node:fs/promises')).readdir(join(dir, 'root', 'image', 'tmp-mounts')).then((l) => l.length === 0));
  });

  test('an empty diff commits as an empty layer', async () => {
    await images.createContainerLayer('c3', imageId);
    const id = await images.commit('c3', { imageId, containerConfig: { Cmd: ['true'] } });
    const inspect = await images.inspect(id);
    assert.equal(inspect.RootFS.Layers?.length, 1);
    const history = await images.history(id);
    assert.equal(history[0]!.Size, 0);
    await images.removeContainerLayer('c3');
    await images.remove(id);
  });

  test('force-removing an image keeps its layers while a container uses them', async () => {
    users.set(imageId, [{ id: 'c1'.padEnd(64, '0'), running: false }]);
    const committed = await images.resolve('committed:v1');
    await images.removeContainerLayer('c2');
    await images.remove('committed:v1');
    const out = await images.remove(imageId, { force: true });
    assert.deepEqual(out.map((o) => Object.keys(o)[0]), ['Untagged', 'Deleted'], 'image deleted, layer kept (c1 uses it)');
    assert.ok(images.containerMounts('c1').length === 1);
    await images.removeContainerLayer('c1');
    users.clear();
    assert.deepEqual(await images.list({ all: true }), []);
    void committed;
    const internals = images.internals;
    assert.deepEqual(internals.snapshots.list(), [], 'all layers collected once unused');
    assert.deepEqual(await internals.content.list(), [], 'all blobs collected');
  });
});
