import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { buildBusyboxTar, busyboxAvailable } from '../../../fixtures/busybox.js';
import { startImagesHarness, type ImagesHarness } from './harness.js';

const skip = process.getuid?.() !== 0 ? 'needs root (layer unpacking)' : !busyboxAvailable() ? 'busybox-static missing' : false;

async function drain(value: unknown): Promise<string> {
  const stream = value as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('latin1');
}

describe('image endpoints through dockerode', { skip }, () => {
  let h: ImagesHarness;
  let docker: Docker;
  let work: string;
  let tarPath: string;

  before(async () => {
    h = await startImagesHarness();
    docker = new Docker({ socketPath: h.socket });
    work = await mkdtemp(join(tmpdir(), 'berth-dockerode-'));
    tarPath = join(work, 'bb.tar');
    buildBusyboxTar(tarPath);
  });
  after(async () => {
    await h?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('importImage, listImages, inspect, history, tag, get, loadImage, remove', async () => {
    const progress = await drain(await docker.importImage(createReadStream(tarPath), { repo: 'node/bb', tag: '1', changes: ['CMD ["sh"]'] } as never));
    const id = (JSON.parse(progress.trim()) as { status: string }).status;
    assert.match(id, /^sha256:[a-f0-9]{64}$/);

    const list = await docker.listImages();
    assert.equal(list.length, 1);
    assert.deepEqual(list[0]!.RepoTags, ['node/bb:1']);
    assert.equal(list[0]!.Id, id);
    assert.equal(list[0]!.Containers, -1);

    const image = docker.getImage('node/bb:1');
    const info = await image.inspect();
    assert.deepEqual(info.Config.Cmd, ['sh']);
    const history = await image.history();
    assert.equal(history.length, 1);
    assert.equal(history[0].Id, id);

    await image.tag({ repo: 'node/bb', tag: '2' });
    assert.deepEqual((await docker.getImage(id).inspect()).RepoTags, ['node/bb:1', 'node/bb:2']);

    const saved = await drain(await docker.getImage('node/bb:2').get());
    assert.ok(saved.includes('manifest.json'));

    const removed = await docker.getImage('node/bb:2').remove();
    assert.deepEqual(removed, [{ Untagged: 'node/bb:2' }]);
    const gone = await docker.getImage(id).remove({ force: true });
    assert.deepEqual(gone.map((g: Record<string, string>) => Object.keys(g)[0]), ['Untagged', 'Deleted', 'Deleted']);
    assert.deepEqual(await docker.listImages(), []);

    const loaded = await drain(await docker.loadImage(createReadStream(join(work, 'bb.tar')).on('error', () => undefined)));
    assert.match(loaded, /errorDetail/, 'a plain rootfs tar is not an image archive: error reported in-band');
    const archive = join(work, 'saved.tar');
    await import('node:fs/promises').then((fs) => fs.writeFile(archive, Buffer.from(saved, 'latin1')));
    const ok = await drain(await docker.loadImage(archive, { quiet: true } as never));
    assert.match(ok, /Loaded image: node\/bb:2/);
    await assert.rejects(docker.getImage('nope').inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
  });
});
