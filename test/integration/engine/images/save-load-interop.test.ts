import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxTar, busyboxAvailable } from '../../../fixtures/busybox.js';
import { DOCKER, startImagesHarness, type ImagesHarness } from './harness.js';
import { referenceDockerdAvailable, startReferenceDockerd, type ReferenceDockerd } from './reference-dockerd.js';

const skip =
  process.getuid?.() !== 0 ? 'needs root (dockerd and layer unpacking)'
  : !existsSync(DOCKER) ? 'docker CLI missing'
  : !referenceDockerdAvailable() ? 'reference dockerd (Debian docker.io) missing'
  : !busyboxAvailable() ? 'busybox-static missing'
  : false;

describe('docker-archive and OCI layout interoperability with Docker 20.10', { skip }, () => {
  let h: ImagesHarness;
  let ref: ReferenceDockerd;
  let work: string;
  let tarPath: string;

  const ok = async (who: { docker: ImagesHarness['docker'] }, args: string[]): Promise<string> => {
    const r = await who.docker(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const inspect = async (who: { docker: ImagesHarness['docker'] }, name: string): Promise<Record<string, unknown>> => JSON.parse(await ok(who, ['image', 'inspect', name]))[0];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-interop-'));
    tarPath = join(work, 'busybox.tar');
    buildBusyboxTar(tarPath);
    h = await startImagesHarness();
    ref = await startReferenceDockerd(join(work, 'dockerd'));
  });
  after(async () => {
    await ref?.stop();
    await h?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('Berth save → dockerd load: same image ID, layers, tags', async () => {
    const id = (await ok(h, ['import', '-c', 'CMD ["/bin/sh"]', '-m', 'from berth', tarPath, 'interop/bb:1'])).trim();
    await ok(h, ['tag', 'interop/bb:1', 'interop/bb:2']);
    const archive = join(work, 'berth.tar');
    await ok(h, ['save', '-o', archive, 'interop/bb']);
    const out = await ok(ref, ['load', '-i', archive]);
    assert.equal(out.trim(), 'Loaded image: interop/bb:1\nLoaded image: interop/bb:2');
    const theirs = await inspect(ref, 'interop/bb:1');
    const ours = await inspect(h, 'interop/bb:1');
    assert.equal(theirs['Id'], id);
    assert.deepEqual(theirs['RootFS'], ours['RootFS']);
    assert.deepEqual(theirs['Config'], ours['Config']);
    assert.equal(theirs['Size'], ours['Size'], 'both measure the layer the same way');
    assert.deepEqual((theirs['RepoTags'] as string[]).sort(), ['interop/bb:1', 'interop/bb:2']);
  });

  test('dockerd save (commit chain, shared layers) → Berth load: same IDs, parent, history', async () => {
    await ok(ref, ['create', '--name', 'interop-c1', 'interop/bb:1']);
    const child = (await ok(ref, ['commit', '-c', 'ENV X=1', '-a', 'me', '-m', 'a msg', 'interop-c1', 'interop/child:1'])).trim();
    await ok(ref, ['rm', 'interop-c1']);
    const archive = join(work, 'dockerd.tar');
    await ok(ref, ['save', '-o', archive, 'interop/bb:1', 'interop/child:1']);
    await ok(h, ['rmi', 'interop/bb:1', 'interop/bb:2']);
    const out = await ok(h, ['load', '-i', archive]);
    assert.equal(out.trim(), 'Loaded image: interop/bb:1\nLoaded image: interop/child:1');
    const ours = await inspect(h, 'interop/child:1');
    const theirs = await inspect(ref, 'interop/child:1');
    assert.equal(ours['Id'], child);
    for (const key of ['Parent', 'Comment', 'Author', 'Config', 'ContainerConfig', 'RootFS', 'Size', 'Created', 'DockerVersion']) {
      assert.deepEqual(ours[key], theirs[key], key);
    }
    const hist = async (who: { docker: ImagesHarness['docker'] }): Promise<string> => ok(who, ['history', '--no-trunc', '--format', '{{.ID}} {{.CreatedBy}} {{.Size}} {{.Comment}}', 'interop/child:1']);
    assert.equal(await hist(h), await hist(ref));
  });

  test('OCI layout (skopeo, gzip layers) loads with its ref.name annotation', async () => {
    const archive = join(work, 'dockerd.tar');
    const layout = join(work, 'oci');
    execFileSync('skopeo', ['copy', '--dest-compress', `docker-archive:${archive}:interop/child:1`, `oci:${layout}:example.com/team/child:oci`], { stdio: 'ignore' });
    const ociTar = join(work, 'oci.tar');
    execFileSync('tar', ['-cf', ociTar, '-C', layout, '.']);
    const out = await ok(h, ['load', '-i', ociTar]);
    assert.equal(out.trim(), 'Loaded image: example.com/team/child:oci');
    const loaded = await inspect(h, 'example.com/team/child:oci');
    const original = await inspect(h, 'interop/child:1');
    // skopeo rewrites the config as an OCI config (new ID), the layers stay the same.
    assert.deepEqual(loaded['RootFS'], original['RootFS']);
    assert.deepEqual((loaded['Config'] as { Env: string[] }).Env, (original['Config'] as { Env: string[] }).Env);
    assert.equal(loaded['Size'], original['Size']);
  });
});
