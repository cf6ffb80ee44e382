import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBusyboxTar, busyboxAvailable } from '../../../fixtures/busybox.js';
import { ImagesService } from '../../../../src/engine/images/index.js';
import { blobChildren, referenceCounts } from '../../../../src/engine/content/index.js';
import { chainIds, type Digest } from '../../../../src/core/index.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));
const skip = process.getuid?.() !== 0 ? 'needs root (layer unpacking)' : !busyboxAvailable() ? 'busybox-static missing' : false;

/** Runs the child, SIGKILLs it `delayMs` after it reports READY; resolves whether it finished first. */
function runAndKill(root: string, op: string, file: string, delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, root, op, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (timer === undefined && out.includes('READY')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(false);
      else if (code === 0 && out.includes('DONE')) resolve(true);
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

/** After recovery nothing half-made may remain: every record complete, every leftover gone. */
async function assertConsistent(root: string, expectTag: string, completed: boolean): Promise<boolean> {
  const images = new ImagesService({ root });
  await images.init();
  const ctx = images.internals;
  const list = await images.list({ all: true });
  const tagged = list.some((s) => (s.RepoTags ?? []).includes(expectTag));
  if (completed) assert.ok(tagged, `${expectTag} exists after a completed run`);
  for (const s of list) {
    const inspect = await images.inspect(s.Id);
    for (const chain of chainIds((inspect.RootFS.Layers ?? []) as Digest[])) assert.ok(ctx.layers.get(chain), `image ${s.Id} layer ${chain} unpacked`);
    // LowerDir lists the nearest layer first: the base layer is its last entry (or the UpperDir of a one-layer image).
    const lowest = inspect.GraphDriver.Data!['LowerDir']?.split(':').at(-1) ?? inspect.GraphDriver.Data!['UpperDir']!;
    assert.ok(existsSync(join(lowest, 'bin', 'busybox')), 'base layer content present');
    const rec = ctx.db.get(s.Id as `sha256:${string}`)!;
    for (const child of await blobChildren(ctx.content, rec.manifest)) assert.ok(await ctx.content.has(child), `blob ${child} present`);
  }
  assert.deepEqual(await readdir(join(root, 'content', 'ingest')), [], 'no ingests left');
  assert.deepEqual(ctx.snapshots.list().filter((s) => s.key.startsWith('extract-')), [], 'no extraction snapshots left');
  const known = new Set(ctx.snapshots.list().map((s) => String(s.id)));
  assert.deepEqual((await readdir(join(root, 'overlay', 'snapshots'))).filter((d) => !known.has(d)), [], 'no unrecorded layer dirs');
  const roots = ctx.db.images().map((r) => r.manifest);
  const reachable = await referenceCounts(ctx.content, roots);
  for (const blob of await ctx.content.list()) assert.ok(reachable.has(blob.digest), `unreferenced blob ${blob.digest} collected`);
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  assert.ok(!mounts.includes(root), 'no mounts left under the root');
  return tagged;
}

/** What a killed run left on disk before recovery: ingests and extraction snapshots in progress. */
async function leftovers(root: string): Promise<number> {
  const ingests = await readdir(join(root, 'content', 'ingest')).catch(() => []);
  const meta = await readFile(join(root, 'overlay', 'metadata.json'), 'utf8').catch(() => '{"snapshots":{}}');
  const extracting = Object.keys((JSON.parse(meta) as { snapshots: Record<string, unknown> }).snapshots).filter((k) => k.startsWith('extract-'));
  return ingests.length + extracting.length;
}

describe('a daemon killed mid-operation leaves no half-made image', { skip }, () => {
  let work: string;
  let tarPath: string;
  let archive: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-crash-'));
    tarPath = join(work, 'bb.tar');
    buildBusyboxTar(tarPath);
    const images = new ImagesService({ root: join(work, 'seed') });
    await images.init();
    await images.import(createReadStream(tarPath), { repo: 'crash/loaded:1', changes: ['CMD ["sh"]'] });
    archive = join(work, 'save.tar');
    const chunks: Buffer[] = [];
    for await (const c of await images.save(['crash/loaded:1'])) chunks.push(c as Buffer);
    await writeFile(archive, Buffer.concat(chunks));
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const op of ['load', 'import'] as const) {
    test(`${op}: killed at several points, then recovered`, async () => {
      const outcomes: boolean[] = [];
      let dirty = 0;
      for (const delay of [0, 40, 120, 250, 400, 700, 5000]) {
        const root = join(work, `${op}-${delay}`);
        const completed = await runAndKill(root, op, op === 'load' ? archive : tarPath, delay);
        dirty += await leftovers(root);
        outcomes.push(await assertConsistent(root, op === 'load' ? 'crash/loaded:1' : 'crash/imported:1', completed));
        await rm(root, { recursive: true, force: true });
      }
      assert.ok(outcomes.includes(false), 'some runs were interrupted before the image existed');
      assert.ok(dirty > 0, 'some kills left half-written state for recovery to clean');
      assert.ok(outcomes.at(-1), 'the run that was not interrupted produced the image');
    });
  }

  test('commit: killed while writing the new layer, then recovered', async () => {
    const outcomes: boolean[] = [];
    for (const delay of [0, 60, 200, 5000]) {
      const root = join(work, `commit-${delay}`);
      const images = new ImagesService({ root });
      await images.init();
      const base = await images.import(createReadStream(tarPath), { repo: 'crash/base:1' });
      await images.createContainerLayer('crash-container', base);
      const upper = images.graphDriverData('crash-container')['UpperDir']!;
      await writeFile(join(upper, 'big'), Buffer.alloc(48 * 1024 * 1024, 7));
      const completed = await runAndKill(root, 'commit', tarPath, delay);
      outcomes.push(await assertConsistent(root, 'crash/committed:1', completed));
      await rm(root, { recursive: true, force: true });
    }
    assert.ok(outcomes.at(-1), 'the uninterrupted commit produced the image');
  });
});
