import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VolumeService } from '../../../../src/engine/volumes/index.js';
import { EventBus, type EngineEvent } from '../../../../src/engine/events/index.js';
import { statusForError } from '../../../../src/engine/api/index.js';
import { parseFilters } from '../../../../src/core/index.js';
import { FakeKernel, tempDir } from './fakes.js';

interface Harness {
  root: string;
  service: VolumeService;
  kernel: FakeKernel;
  events: EngineEvent[];
  refs: Map<string, string[]>;
  cleanup(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const { dir, cleanup } = await tempDir('svc');
  const kernel = new FakeKernel();
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const service = new VolumeService({ root: dir, kernel, events: bus });
  await service.init();
  const refs = new Map<string, string[]>();
  service.useReferences({ usedBy: (n) => refs.get(n) ?? [], mountedBy: () => [] });
  return { root: dir, service, kernel, events, refs, cleanup };
}

const rejectsWith = async (p: Promise<unknown>, status: number, message: string): Promise<void> => {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.message, message);
    assert.equal(statusForError(err), status);
    return true;
  });
};

test('create: Docker shape, layout on disk, idempotent for an existing name', async () => {
  const h = await harness();
  try {
    const v = await h.service.create('data1', { labels: { a: 'b' } });
    assert.deepEqual(Object.keys(v), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
    assert.equal(v.Mountpoint, join(h.root, 'volumes', 'data1', '_data'));
    assert.deepEqual([v.Driver, v.Scope, v.Options, v.Labels], ['local', 'local', null, { a: 'b' }]);
    assert.match(v.CreatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    assert.equal((await stat(v.Mountpoint)).mode & 0o7777, 0o755);
    assert.equal((await stat(join(h.root, 'volumes', 'data1'))).mode & 0o7777, 0o701);
    const again = await h.service.create('data1', { labels: { other: 'x' } });
    assert.deepEqual(again, v, 'an existing volume is returned unchanged');
    assert.deepEqual(h.events.map((e) => [e.Type, e.Action, e.Actor.ID, e.Actor.Attributes['driver']]), [
      ['volume', 'create', 'data1', 'local'],
      ['volume', 'create', 'data1', 'local'],
    ]);
    const anon = await h.service.create(undefined);
    assert.match(anon.Name, /^[0-9a-f]{64}$/);
    const withOpts = await h.service.create('tmp1', { options: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m' }, labels: {} });
    assert.deepEqual([withOpts.Options, withOpts.Labels], [{ type: 'tmpfs', device: 'tmpfs', o: 'size=10m' }, {}]);
  } finally {
    await h.cleanup();
  }
});

test('create: dockerd validation messages and statuses', async () => {
  const h = await harness();
  try {
    await rejectsWith(h.service.create('x'), 400, 'create x: volume name is too short, names should be at least two alphanumeric characters');
    await rejectsWith(h.service.create('a/b'), 400, 'create a/b: "a/b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path');
    await rejectsWith(h.service.create('v2', { driver: 'foo' }), 404, 'create v2: error looking up volume plugin foo: plugin "foo" not found');
    await rejectsWith(h.service.create('v3', { options: { foo: 'x' } }), 400, 'create v3: invalid option: "foo"');
    await rejectsWith(h.service.create('v3', { options: { type: 'tmpfs' } }), 400, 'create v3: missing required option: "device"');
    await rejectsWith(h.service.create('v3', { options: { device: '/x' } }), 400, 'create v3: missing required option: "type"');
    await rejectsWith(h.service.create('v3', { options: { o: 'size=1m' } }), 400, 'create v3: missing required option: "device"');
    await rejectsWith(h.service.create('v3', { options: { size: '10m' } }), 400, 'create v3: quota size requested but no quota support');
    assert.deepEqual(h.service.list().Volumes, []);
  } finally {
    await h.cleanup();
  }
});

test('get, remove, force and in-use refusal', async () => {
  const h = await harness();
  try {
    assert.throws(() => h.service.get('nope'), (err: Error) => err.message === 'get nope: no such volume' && statusForError(err) === 404);
    await rejectsWith(h.service.remove('nope'), 404, 'get nope: no such volume');
    await h.service.remove('nope', { force: true });
    await h.service.create('busy');
    h.refs.set('busy', ['c1', 'c2']);
    await rejectsWith(h.service.remove('busy'), 409, 'remove busy: volume is in use - [c1, c2]');
    await rejectsWith(h.service.remove('busy', { force: true }), 409, 'remove busy: volume is in use - [c1, c2]');
    h.refs.delete('busy');
    await h.service.remove('busy');
    assert.equal(h.service.has('busy'), false);
    assert.deepEqual((await readdir(join(h.root, 'volumes'))).filter((e) => !e.startsWith('.')), []);
    assert.deepEqual(h.events.at(-1)?.Action, 'destroy');
  } finally {
    await h.cleanup();
  }
});

test('list filters: name (regexp), driver, label, dangling; Docker errors', async () => {
  const h = await harness();
  try {
    await h.service.create('v1', { labels: { a: 'b' } });
    await h.service.create('v3');
    await h.service.create('w1', { labels: { a: 'c', k: '' } });
    h.refs.set('v3', ['c1']);
    const names = (f: string): string[] => h.service.list(parseFilters(f)).Volumes.map((v) => v.Name);
    assert.deepEqual(names(''), ['v1', 'v3', 'w1']);
    assert.deepEqual(names('{"name":{"v":true}}'), ['v1', 'v3']);
    assert.deepEqual(names('{"name":{"^v1$":true}}'), ['v1']);
    assert.deepEqual(names('{"name":{"1":true}}'), ['v1', 'w1']);
    assert.deepEqual(names('{"name":{"V1":true}}'), []);
    assert.deepEqual(names('{"driver":{"local":true}}'), ['v1', 'v3', 'w1']);
    assert.deepEqual(names('{"driver":{"loc":true}}'), []);
    assert.deepEqual(names('{"label":{"a":true}}'), ['v1', 'w1']);
    assert.deepEqual(names('{"label":["a=b"]}'), ['v1']);
    assert.deepEqual(names('{"label":["k="]}'), ['w1']);
    assert.deepEqual(names('{"dangling":{"true":true}}'), ['v1', 'w1']);
    assert.deepEqual(names('{"dangling":{"0":true}}'), ['v3']);
    assert.deepEqual(names('{"dangling":{"true":true,"false":true}}'), ['v1', 'w1']);
    assert.throws(() => names('{"dangling":{"x":true}}'), (e: Error) => e.message === "Invalid filter 'dangling=[x]'" && statusForError(e) === 400);
    assert.throws(() => names('{"label!":{"a":true}}'), /Invalid filter 'label!'/);
    assert.equal(h.service.list().Warnings, null);
  } finally {
    await h.cleanup();
  }
});

test('prune (API 1.41): unused local volumes without options, label filters, bytes reclaimed', async () => {
  const h = await harness();
  try {
    const keepLabel = await h.service.create('keepme', { labels: { keep: '1' } });
    const a = await h.service.create('aa');
    await h.service.create('inuse');
    await h.service.create('opts', { options: { type: 'none', device: '/srv', o: 'bind' } });
    await h.service.create('emptyopts', { options: {} });
    await writeFile(join(a.Mountpoint, 'f'), 'hello');
    await mkdir(join(a.Mountpoint, 'd'));
    await writeFile(join(a.Mountpoint, 'd', 'g'), '123');
    await writeFile(join(keepLabel.Mountpoint, 'k'), 'x');
    h.refs.set('inuse', ['c1']);
    await rejectsWith(h.service.prune(parseFilters('{"name":{"x":true}}')), 400, "Invalid filter 'name'");
    await assert.rejects(h.service.prune(parseFilters('{"all":{"true":true}}')), /Invalid filter 'all'/);
    const none = await h.service.prune(parseFilters('{"label":{"nomatch":true}}'));
    assert.deepEqual(none, { VolumesDeleted: [], SpaceReclaimed: 0 });
    const report = await h.service.prune(parseFilters('{"label!":{"keep":true}}'));
    assert.deepEqual(report.VolumesDeleted.sort(), ['aa', 'emptyopts']);
    assert.equal(report.SpaceReclaimed, 8);
    assert.deepEqual(h.service.list().Volumes.map((v) => v.Name), ['inuse', 'keepme', 'opts']);
    const pruneEvent = h.events.filter((e) => e.Action === 'prune').at(-1);
    assert.deepEqual(pruneEvent?.Actor, { ID: '', Attributes: { reclaimed: '8' } });
    const all = await h.service.prune();
    assert.deepEqual(all, { VolumesDeleted: ['keepme'], SpaceReclaimed: 1 });
  } finally {
    await h.cleanup();
  }
});

test('persistence: a new service sees the volumes; half-made ones never appear', async () => {
  const h = await harness();
  try {
    const v = await h.service.create('persist', { labels: { x: 'y' }, options: { type: 'tmpfs', device: 'tmpfs' } });
    // What a daemon killed in the middle of a create or a remove leaves behind.
    await mkdir(join(h.root, 'volumes', '.staging', 'new-deadbeef', '_data'), { recursive: true });
    await mkdir(join(h.root, 'volumes', '.staging', 'rm-cafe', '_data'), { recursive: true });
    const again = new VolumeService({ root: h.root, kernel: h.kernel });
    await again.init();
    assert.deepEqual(again.list().Volumes, [v]);
    assert.deepEqual(await readdir(join(h.root, 'volumes')), ['persist']);
  } finally {
    await h.cleanup();
  }
});

test('volumes with options are mounted for their first user and unmounted after the last', async () => {
  const h = await harness();
  try {
    await h.service.create('tv', { options: { type: 'tmpfs', device: 'tmpfs', o: 'size=10m,mode=700' } });
    await h.service.create('bv', { options: { type: 'none', device: '/srv/x', o: 'bind' } });
    const path = await h.service.mount('tv', 'c1');
    await h.service.mount('tv', 'c2');
    assert.deepEqual(h.kernel.calls, [`mount tmpfs tmpfs ${path} size=10m,mode=700`]);
    await h.service.unmount('tv', 'c1');
    assert.equal(h.kernel.mounted.has(path), true);
    await h.service.unmount('tv', 'c2');
    assert.equal(h.kernel.mounted.has(path), false);
    const bpath = await h.service.mount('bv', 'c3');
    assert.equal(h.kernel.calls.at(-1), `mount bind /srv/x ${bpath} bind`);
    // A plain volume is never mounted.
    await h.service.create('plain');
    await h.service.mount('plain', 'c1');
    assert.equal(h.kernel.calls.filter((c) => c.includes('plain')).length, 0);
    h.kernel.failMount = new Error('special device /nonexist does not exist');
    await h.service.create('broken', { options: { type: 'none', device: '/nonexist', o: 'bind' } });
    const bp = h.service.dataPath('broken');
    await rejectsWith(h.service.mount('broken', 'c4'), 500, `error while mounting volume '${bp}': failed to mount local volume: mount /nonexist:${bp}: special device /nonexist does not exist`);
    // Removing unmounts first, so a recursive delete never walks into a host directory.
    await h.service.unmount('bv', 'c3');
    h.kernel.mounted.set(bpath, { type: 'bind', source: '/srv/x', options: [] });
    await h.service.remove('bv');
    assert.equal(h.kernel.calls.at(-1), `unmount ${bpath}`);
  } finally {
    await h.cleanup();
  }
});

test('a reference taken at container create holds the volume until released', async () => {
  const h = await harness();
  try {
    await h.service.create('held', { reference: 'c9' });
    assert.deepEqual(h.service.usedBy('held'), ['c9']);
    await rejectsWith(h.service.remove('held'), 409, 'remove held: volume is in use - [c9]');
    assert.deepEqual((await h.service.prune()).VolumesDeleted, []);
    h.service.releasePending('c9');
    await h.service.remove('held');
  } finally {
    await h.cleanup();
  }
});
