import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { buildTar } from '../../../unit/engine/snapshots/tar-builder.js';
import { referenceCounts } from '../../../../src/engine/content/index.js';
import { buildBusyboxTar, busyboxAvailable } from '../../../fixtures/busybox.js';
import type { EngineEvent } from '../../../../src/engine/events/index.js';
import { DOCKER, startImagesHarness, type ImagesHarness } from './harness.js';

const skip = process.getuid?.() !== 0 ? 'needs root (layer unpacking keeps owners and creates whiteout devices)' : !existsSync(DOCKER) ? 'docker CLI missing' : !busyboxAvailable() ? 'busybox-static missing' : false;

describe('image commands through the real docker CLI', { skip }, () => {
  let h: ImagesHarness;
  let work: string;
  let tarPath: string;
  let id: string;
  const seen: EngineEvent[] = [];

  const ok = async (args: string[], input?: Buffer): Promise<string> => {
    const r = await h.docker(args, input !== undefined ? { input } : {});
    assert.equal(r.code, 0, `docker ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const fails = async (args: string[], message: string | RegExp): Promise<void> => {
    const r = await h.docker(args);
    assert.notEqual(r.code, 0, `docker ${args.join(' ')} should fail`);
    if (typeof message === 'string') assert.equal(r.stderr.trim(), message, args.join(' '));
    else assert.match(r.stderr, message, args.join(' '));
  };

  before(async () => {
    h = await startImagesHarness();
    h.events.subscribe((e) => seen.push(e));
    work = await mkdtemp(join(tmpdir(), 'berth-img-cli-'));
    tarPath = join(work, 'busybox.tar');
    buildBusyboxTar(tarPath);
    id = (await ok(['import', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin', '-m', 'base', tarPath, 'bb:1'])).trim();
  });
  after(async () => {
    await h?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('import from a file: ID printed, tag and config set, events published', async () => {
    assert.match(id, /^sha256:[a-f0-9]{64}$/);
    const inspect = JSON.parse(await ok(['image', 'inspect', 'bb:1']))[0];
    assert.equal(inspect.Id, id);
    assert.deepEqual(inspect.RepoTags, ['bb:1']);
    assert.deepEqual(inspect.Config.Cmd, ['/bin/sh']);
    assert.equal(inspect.Comment, 'base');
    assert.equal(inspect.RootFS.Layers.length, 1);
    assert.equal(inspect.RootFS.Layers[0], `sha256:${execFileSync('sha256sum', [tarPath], { encoding: 'utf8' }).split(' ')[0]}`, 'diffID is the tar digest');
    assert.ok(inspect.Size > 1_000_000 && inspect.Size === inspect.VirtualSize);
    assert.equal(inspect.GraphDriver.Name, 'overlay2');
    assert.ok(existsSync(inspect.GraphDriver.Data.UpperDir + '/bin/busybox'));
    assert.notEqual(inspect.Metadata.LastTagTime, '0001-01-01T00:00:00Z');
    const actions = seen.filter((e) => e.Actor.ID === id).map((e) => `${e.Action}:${e.Actor.Attributes['name']}`);
    assert.deepEqual(actions, ['tag:bb:1', `import:${id}`]);
  });

  test('import from stdin (gzip) with a repo and default message', async () => {
    const gz = gzipSync(await readFile(tarPath));
    const newId = (await ok(['import', '-', 'stdin/img:gz'], gz)).trim();
    assert.equal(newId.length, 71);
    const inspect = JSON.parse(await ok(['image', 'inspect', 'stdin/img:gz']))[0];
    assert.equal(inspect.Comment, 'Imported from -');
    assert.equal(inspect.Config.Cmd, null);
    assert.equal(inspect.RootFS.Layers[0], JSON.parse(await ok(['image', 'inspect', 'bb:1']))[0].RootFS.Layers[0], 'same layer after decompression');
    await ok(['rmi', 'stdin/img:gz']);
  });

  test('import refuses bad changes and references with Docker messages', async () => {
    await fails(['import', '-c', 'RUN x', tarPath, 'x:1'], 'Error response from daemon: run is not a valid change command');
    const r = await h.request('POST', '/v1.41/images/create?fromSrc=-&repo=UPPER', await readFile(tarPath));
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body.toString()), { message: 'invalid reference format: repository name must be lowercase' });
    const list = JSON.parse((await h.docker(['images', '--format', '{{json .}}'])).stdout.split('\n')[0] ?? '{}');
    assert.ok(list.Repository !== 'x');
  });

  test('images: columns, -q, --digests, filters, -a', async () => {
    await ok(['tag', 'bb:1', 'localhost:5000/team/bb:v2']);
    const table = await ok(['images']);
    const lines = table.trim().split('\n');
    assert.match(lines[0]!, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    assert.ok(lines.some((l) => /^bb\s+1\s+[a-f0-9]{12}\s+.*ago\s+[\d.]+MB$/.test(l)), table);
    assert.ok(lines.some((l) => l.startsWith('localhost:5000/team/bb   v2')), table);
    assert.deepEqual((await ok(['images', '-q'])).trim().split('\n'), [id.slice(7, 19), id.slice(7, 19)]);
    assert.match(await ok(['images', '--digests']), /DIGEST/);
    assert.equal((await ok(['images', '--filter', 'reference=bb', '--format', '{{.Repository}}:{{.Tag}}'])).trim(), 'bb:1');
    assert.equal((await ok(['images', '--filter', 'reference=*/team/*', '--format', '{{.Repository}}:{{.Tag}}'])).trim(), 'localhost:5000/team/bb:v2');
    assert.equal((await ok(['images', '--filter', 'dangling=true', '-q'])).trim(), '');
    assert.equal((await ok(['images', '--filter', 'label=nope', '-q'])).trim(), '');
    await fails(['images', '--filter', 'foo=bar'], "Error response from daemon: Invalid filter 'foo'");
    await fails(['images', '--filter', 'dangling=maybe'], "Error response from daemon: Invalid filter 'dangling=[maybe]'");
    await ok(['rmi', 'localhost:5000/team/bb:v2']);
  });

  test('labels, since/before, dangling and -a after re-tagging', async () => {
    const labelled = (await ok(['import', '-c', 'LABEL team=blue', tarPath, 'lab:1'])).trim();
    assert.equal((await ok(['images', '--filter', 'label=team=blue', '-q'])).trim(), labelled.slice(7, 19));
    assert.equal((await ok(['images', '--filter', `since=bb:1`, '-q'])).trim(), labelled.slice(7, 19));
    assert.equal((await ok(['images', '--filter', `before=lab:1`, '-q'])).trim(), id.slice(7, 19));
    // Re-importing under the same tag leaves the old image dangling, as `<none>`.
    const again = (await ok(['import', '-c', 'LABEL team=red', tarPath, 'lab:1'])).trim();
    assert.notEqual(again, labelled);
    const dangling = (await ok(['images', '--filter', 'dangling=true', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])).trim();
    assert.equal(dangling, `<none>:<none> ${labelled.slice(7, 19)}`);
    const pruned = await ok(['image', 'prune', '-f']);
    assert.match(pruned, new RegExp(`^Deleted Images:\ndeleted: ${labelled}\n`));
    assert.match(pruned, /Total reclaimed space: 0B/, 'the layer is still shared');
    await ok(['rmi', 'lab:1']);
  });

  test('history, tag errors, inspect of missing images', async () => {
    const hist = (await ok(['history', 'bb:1'])).trim().split('\n');
    assert.match(hist[0]!, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    assert.match(hist[1]!, new RegExp(`^${id.slice(7, 19)}\\s+.*ago\\s+[\\d.]+MB\\s+base$`));
    const bad = await h.request('POST', '/v1.41/images/bb:1/tag?repo=Bad');
    assert.deepEqual([bad.status, JSON.parse(bad.body.toString())], [400, { message: 'invalid reference format: repository name must be lowercase' }]);
    const digestTag = await h.request('POST', `/v1.41/images/bb:1/tag?repo=x@${id}`);
    assert.deepEqual(JSON.parse(digestTag.body.toString()), { message: 'refusing to create a tag with a digest reference' });
    const badTag = await h.request('POST', '/v1.41/images/bb:1/tag?repo=x&tag=-bad');
    assert.deepEqual(JSON.parse(badTag.body.toString()), { message: 'invalid tag format' });
    const missing = await h.request('GET', '/v1.41/images/nope/json');
    assert.deepEqual([missing.status, JSON.parse(missing.body.toString())], [404, { message: 'no such image: nope: No such image: nope:latest' }]);
    await fails(['tag', 'nope', 'x'], 'Error response from daemon: No such image: nope:latest');
    await fails(['image', 'inspect', 'nope'], /No such image: nope/);
    await fails(['history', 'nope:2'], 'Error response from daemon: No such image: nope:2');
  });

  test('rmi: untag vs delete, conflicts with containers and repositories', async () => {
    const img = (await ok(['import', tarPath, 'rm:1'])).trim();
    await ok(['tag', 'rm:1', 'rm:2']);
    await fails(['rmi', img.slice(7, 19)], `Error response from daemon: conflict: unable to delete ${img.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`);
    assert.equal((await ok(['rmi', 'rm:2'])).trim(), 'Untagged: rm:2');
    h.users.set(img, [{ id: 'c0ffee0000000000000000000000000000000000000000000000000000000000', running: false }]);
    await fails(['rmi', 'rm:1'], `Error response from daemon: conflict: unable to remove repository reference "rm:1" (must force) - container c0ffee000000 is using its referenced image ${img.slice(7, 19)}`);
    h.users.set(img, [{ id: 'c0ffee0000000000000000000000000000000000000000000000000000000000', running: true }]);
    await fails(['rmi', '-f', img.slice(7)], `Error response from daemon: conflict: unable to delete ${img.slice(7, 19)} (cannot be forced) - image is being used by running container c0ffee000000`);
    h.users.delete(img);
    const out = (await ok(['rmi', 'rm:1'])).trim().split('\n');
    assert.deepEqual(out, ['Untagged: rm:1', `Deleted: ${img}`]);
    await fails(['rmi', 'rm:1'], 'Error response from daemon: No such image: rm:1');
  });

  test('save and load round trip, several images, tags reported like Docker', async () => {
    await ok(['tag', 'bb:1', 'bb:other']);
    const child = (await ok(['import', '-c', 'ENV X=1', tarPath, 'child:1'])).trim();
    const archive = join(work, 'save.tar');
    await ok(['save', '-o', archive, 'bb', 'child:1']);
    const listing = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
    assert.ok(listing.includes('manifest.json') && listing.includes('repositories'));
    assert.ok(listing.includes(`${id.slice(7)}.json`) && listing.includes(`${child.slice(7)}.json`));
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }));
    assert.deepEqual(manifest.map((m: { RepoTags: string[] }) => m.RepoTags), [['bb:1', 'bb:other'], ['child:1']]);
    assert.ok(listing.some((l) => /^[a-f0-9]{64}\/layer\.tar$/.test(l)));
    await ok(['rmi', 'bb:other', 'child:1']);
    const loaded = await ok(['load', '-i', archive]);
    assert.equal(loaded.trim(), 'Loaded image: bb:1\nLoaded image: bb:other\nLoaded image: child:1');
    assert.equal(JSON.parse(await ok(['image', 'inspect', 'child:1']))[0].Id, child);
    const viaStdin = await ok(['load'], await readFile(archive));
    assert.match(viaStdin, /Loaded image: child:1/);
    await ok(['rmi', 'bb:other', 'child:1']);
  });

  test('load refuses broken archives without leaving anything behind', async () => {
    const before = (await ok(['images', '-a', '-q'])).trim();
    const bad = join(work, 'bad.tar');
    await writeFile(bad, 'this is not a tar');
    const r1 = await h.docker(['load', '-i', bad]);
    assert.notEqual(r1.code, 0);
    const empty = join(work, 'empty-dir');
    execFileSync('mkdir', ['-p', empty]);
    execFileSync('tar', ['-cf', join(work, 'nomanifest.tar'), '-C', empty, '.']);
    const r2 = await h.docker(['load', '-i', join(work, 'nomanifest.tar')]);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /manifest\.json: no such file or directory/);
    assert.equal((await ok(['images', '-a', '-q'])).trim(), before);

    // A layer that escapes its root is refused with a clear message; nothing is left of it.
    const evilLayer = await buildTar([{ name: '../evil', content: 'x' }]);
    const diffId = `sha256:${createHash('sha256').update(evilLayer).digest('hex')}`;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } }));
    const configHex = createHash('sha256').update(config).digest('hex');
    const evil = join(work, 'evil.tar');
    await writeFile(evil, await buildTar([
      { name: `${configHex}.json`, data: config },
      { name: 'l1/layer.tar', data: evilLayer },
      { name: 'manifest.json', content: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: ['evil:1'], Layers: ['l1/layer.tar'] }]) },
    ]));
    const r3 = await h.docker(['load', '-i', evil]);
    assert.notEqual(r3.code, 0);
    assert.match(r3.stderr, /failed to register layer: path "\.\.\/evil" escapes the layer root/);
    assert.equal((await ok(['images', '-a', '-q'])).trim(), before);
    assert.ok(!existsSync(join(h.root, 'overlay', 'evil')) && !existsSync(join(h.root, 'evil')));
    assert.deepEqual(h.images.internals.snapshots.list().filter((s) => s.key.startsWith('extract-')), []);
    const ctx = h.images.internals;
    const reachable = await referenceCounts(ctx.content, ctx.db.images().map((r) => r.manifest));
    for (const blob of await ctx.content.list()) assert.ok(reachable.has(blob.digest), `blob ${blob.digest} of the failed load was collected`);
  });
});
