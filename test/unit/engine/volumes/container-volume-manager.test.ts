import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createVolumeSubsystem, type VolumeSubsystem } from '../../../../src/engine/volumes/index.js';
import { EventBus, type EngineEvent } from '../../../../src/engine/events/index.js';
import { statusForError } from '../../../../src/engine/api/index.js';
import type { ContainerRecord } from '../../../../src/engine/containers/types.js';
import { FakeKernel, FakeLookup, makeRecord, tempDir } from './fakes.js';

interface Harness extends VolumeSubsystem {
  root: string;
  kernel: FakeKernel;
  lookup: FakeLookup;
  events: EngineEvent[];
  /** Creates a container the way the container service does: hooks first, then the store. */
  create(rec: ContainerRecord, imageVolumes?: string[]): Promise<ContainerRecord>;
  cleanup(): Promise<void>;
}

async function harness(): Promise<Harness> {
  const { dir, cleanup } = await tempDir('cvm');
  const kernel = new FakeKernel();
  const lookup = new FakeLookup();
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const sub = await createVolumeSubsystem({ root: dir, lookup, events: bus, kernel });
  const create = async (rec: ContainerRecord, imageVolumes: string[] = []): Promise<ContainerRecord> => {
    await sub.containers.onCreate(rec, imageVolumes);
    lookup.records.push(rec);
    return rec;
  };
  return { ...sub, root: dir, kernel, lookup, events, create, cleanup };
}

const vol = (root: string, name: string): string => join(root, 'volumes', name, '_data');

test('onCreate resolves Binds, Mounts and volume paths into Docker mount points', async () => {
  const h = await harness();
  try {
    const host = join(h.root, 'hostdir');
    await mkdir(host);
    const rec = await h.create(makeRecord({
      Binds: ['named1:/data', `${host}:/h:ro,z`, `${join(h.root, 'later')}:/n`, '/anon-bind'],
      Mounts: [
        { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } },
        { Type: 'volume', Source: 'mv', Target: '/mv', VolumeOptions: { Labels: { x: 'y' } } },
        { Type: 'bind', Source: host, Target: '/hb', BindOptions: { Propagation: 'rshared' } },
      ],
      Tmpfs: { '/tt': 'size=2m,mode=700' },
    }, { Volumes: { '/data2': {}, '/data': {}, '/tt': {} } }), ['/img']);
    const anon = rec.Mounts.filter((m) => m.Type === 'volume' && /^[0-9a-f]{64}$/.test(m.Name ?? ''));
    assert.equal(anon.length, 3, 'anonymous volumes for /anon-bind, /data2 and /img');
    const byDest = Object.fromEntries(rec.Mounts.map((m) => [m.Destination, m]));
    assert.deepEqual(byDest['/data'], { Type: 'volume', Name: 'named1', Source: vol(h.root, 'named1'), Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' });
    assert.deepEqual(byDest['/h'], { Type: 'bind', Source: host, Destination: '/h', Mode: 'ro,z', RW: false, Propagation: 'rprivate' });
    assert.deepEqual(byDest['/n'], { Type: 'bind', Source: join(h.root, 'later'), Destination: '/n', Mode: '', RW: true, Propagation: 'rprivate' });
    assert.equal(byDest['/anon-bind']?.Mode, 'z');
    assert.deepEqual(byDest['/t'], { Type: 'tmpfs', Source: '', Destination: '/t', Mode: '', RW: true, Propagation: '' });
    assert.deepEqual(byDest['/mv'], { Type: 'volume', Name: 'mv', Source: vol(h.root, 'mv'), Destination: '/mv', Driver: 'local', Mode: 'z', RW: true, Propagation: '' });
    assert.deepEqual(byDest['/hb'], { Type: 'bind', Source: host, Destination: '/hb', Mode: '', RW: true, Propagation: 'rshared' });
    assert.equal(byDest['/data2']?.Mode, '');
    assert.equal(byDest['/tt'], undefined, '--tmpfs is not a mount point in inspect');
    assert.equal(existsSync(join(h.root, 'later')), false, '-v does not create the host dir before start');
    assert.deepEqual(h.service.get('mv').Labels, { x: 'y' });
    assert.deepEqual(h.service.usedBy('named1'), [rec.Id]);
  } finally {
    await h.cleanup();
  }
});

test('onCreate: duplicate mount points and bad tmpfs paths, and nothing anonymous is left behind', async () => {
  const h = await harness();
  try {
    const reject = async (hc: Parameters<typeof makeRecord>[0], message: string, status = 400): Promise<void> => {
      await assert.rejects(h.create(makeRecord(hc)), (err: Error) => {
        assert.equal(err.message, message);
        assert.equal(statusForError(err), status);
        return true;
      });
    };
    await reject({ Binds: ['aa:/x', 'bb:/x/'] }, 'Duplicate mount point: /x');
    await reject({ Binds: ['aa:/x'], Mounts: [{ Type: 'volume', Source: 'bb', Target: '/x/' }] }, 'Duplicate mount point: /x/');
    await reject({ Binds: ['aa:/x'], Tmpfs: { '/x': '' } }, 'Duplicate mount point: /x');
    await reject({ Mounts: [{ Type: 'tmpfs', Target: '/x' }, { Type: 'tmpfs', Target: '/x' }] }, 'Duplicate mount point: /x');
    await reject({ Tmpfs: { x: '' } }, "invalid mount path: 'x' mount path must be absolute");
    await reject({ Tmpfs: { '/': '' } }, "invalid specification: destination can't be '/'");
    await reject({ Binds: ['/first', 'a:/y'] }, 'create a: volume name is too short, names should be at least two alphanumeric characters');
    await reject({ Binds: ['x:y'] }, `invalid volume specification: 'x:y': invalid mount config for type "volume": invalid mount path: 'y' mount path must be absolute`, 500);
    await reject({ VolumesFrom: ['nope'] }, 'No such container: nope');
    await reject({ VolumeDriver: 'foo', Binds: ['aa:/x'] }, 'create aa: error looking up volume plugin foo: plugin "foo" not found', 404);
    // The anonymous volume of '/first' was removed again; the named 'aa' stays, as with dockerd
    // ('bb' was never created: the duplicate is found before).
    assert.deepEqual(h.service.list().Volumes.map((v) => v.Name), ['aa']);
    assert.deepEqual(h.service.usedBy('aa'), []);
  } finally {
    await h.cleanup();
  }
});

test('--volumes-from copies mount points (mode dropped, ro applied) and keeps anonymous volumes alive', async () => {
  const h = await harness();
  try {
    const host = join(h.root, 'h');
    await mkdir(host);
    const src = await h.create(makeRecord({ Binds: ['named1:/n:ro', `${host}:/h`], Mounts: [{ Type: 'tmpfs', Target: '/tm' }] }, { Volumes: { '/anon': {} } }, 'src1'));
    const anonName = src.Mounts.find((m) => m.Destination === '/anon')?.Name ?? '';
    const vf1 = await h.create(makeRecord({ VolumesFrom: ['src1'] }));
    assert.deepEqual(vf1.Mounts.map((m) => [m.Destination, m.Mode, m.RW]), [['/n', '', false], ['/h', '', true], ['/tm', '', true], ['/anon', '', true]]);
    const vf2 = await h.create(makeRecord({ VolumesFrom: ['src1:ro'], Binds: ['other:/anon'] }));
    assert.deepEqual(vf2.Mounts.map((m) => [m.Destination, m.Name ?? m.Source, m.RW, m.Mode]), [
      ['/n', 'named1', false, ''], ['/h', host, false, ''], ['/tm', '', false, ''], ['/anon', 'other', true, 'z'],
    ]);
    // rm -v of the source keeps the anonymous volume another container still uses…
    await h.containers.onRemove(src, { removeAnonymous: true });
    h.lookup.records.splice(h.lookup.records.indexOf(src), 1);
    assert.equal(h.service.has(anonName), true);
    // …and rm -v of the last user removes it; named volumes always stay.
    await h.containers.onRemove(vf1, { removeAnonymous: true });
    h.lookup.records.splice(h.lookup.records.indexOf(vf1), 1);
    assert.equal(h.service.has(anonName), false);
    assert.equal(h.service.has('named1'), true);
  } finally {
    await h.cleanup();
  }
});

test('setUp fills a fresh volume with the image content once, then describes the OCI mounts', async () => {
  const h = await harness();
  try {
    const rootfs = join(h.root, 'rootfs');
    await mkdir(join(rootfs, 'data', 'sub'), { recursive: true });
    await writeFile(join(rootfs, 'data', 'sub', 'f'), 'hello');
    await chmod(join(rootfs, 'data'), 0o750);
    await mkdir(join(rootfs, 'keep'), { recursive: true });
    await writeFile(join(rootfs, 'keep', 'img'), 'from image');
    await writeFile(join(rootfs, 'afile'), 'x');
    const host = join(h.root, 'host');
    await mkdir(host);
    const existing = await h.service.create('full');
    await writeFile(join(existing.Mountpoint, 'mine'), 'user data');
    const rec = await h.create(makeRecord({
      Binds: ['fresh:/data', 'full:/keep', 'nc:/data/sub:nocopy', `${join(h.root, 'made-by-v')}:/mk:ro`],
      Mounts: [{ Type: 'bind', Source: host, Target: '/b', BindOptions: { NonRecursive: true } }, { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 2048 } }],
      Tmpfs: { '/run': 'size=1m' },
    }));
    const mounts = await h.containers.setUp(rec, rootfs);
    assert.equal(await readFile(join(vol(h.root, 'fresh'), 'sub', 'f'), 'utf8'), 'hello');
    assert.equal((await stat(vol(h.root, 'fresh'))).mode & 0o777, 0o750, 'the mount point dir mode is copied');
    assert.deepEqual(await readdir(vol(h.root, 'full')), ['mine'], 'a volume with data is not overwritten');
    assert.deepEqual(await readdir(vol(h.root, 'nc')), [], 'nocopy');
    assert.equal(existsSync(join(h.root, 'made-by-v')), true, '-v creates a missing host dir at start');
    assert.deepEqual(mounts, [
      { destination: '/data', type: 'bind', source: vol(h.root, 'fresh'), options: ['rbind'] },
      { destination: '/keep', type: 'bind', source: vol(h.root, 'full'), options: ['rbind'] },
      { destination: '/mk', type: 'bind', source: join(h.root, 'made-by-v'), options: ['rbind', 'ro', 'rprivate'] },
      { destination: '/b', type: 'bind', source: host, options: ['bind', 'rprivate'] },
      { destination: '/t', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=2k'] },
      { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=1m'] },
      { destination: '/data/sub', type: 'bind', source: vol(h.root, 'nc'), options: ['rbind'] },
    ]);
    const mountEvents = h.events.filter((e) => e.Action === 'mount');
    assert.deepEqual(mountEvents.map((e) => e.Actor.ID), ['fresh', 'full', 'nc']);
    assert.deepEqual(mountEvents[0]?.Actor.Attributes, { container: rec.Id, destination: '/data', driver: 'local', propagation: '', 'read/write': 'true' });
    await h.containers.tearDown(rec);
    assert.deepEqual(h.events.filter((e) => e.Action === 'unmount').map((e) => [e.Actor.ID, e.Actor.Attributes]), [
      ['fresh', { container: rec.Id, driver: 'local' }], ['full', { container: rec.Id, driver: 'local' }], ['nc', { container: rec.Id, driver: 'local' }],
    ]);
    // The copy happens once: a second start does not refill an emptied volume.
    await writeFile(join(rootfs, 'data', 'new'), 'later');
    await h.containers.setUp(rec, rootfs);
    assert.equal(existsSync(join(vol(h.root, 'fresh'), 'new')), false);
    // A volume over a file in the image is refused.
    const overFile = await h.create(makeRecord({ Binds: ['ovf:/afile'] }));
    await assert.rejects(h.containers.setUp(overFile, rootfs), /cannot mount volume over existing file, file exists .*afile$/);
  } finally {
    await h.cleanup();
  }
});

test('setUp: --mount bind source removed since create, and propagation the host cannot give', async () => {
  const h = await harness();
  try {
    const gone = join(h.root, 'gone');
    await mkdir(gone);
    const rec = await h.create(makeRecord({ Mounts: [{ Type: 'bind', Source: gone, Target: '/g' }] }));
    await (await import('node:fs/promises')).rmdir(gone);
    await assert.rejects(h.containers.setUp(rec, h.root), { message: `invalid mount config for type "bind": bind source path does not exist: ${gone}` });
    await mkdir(gone);
    const shared = await h.create(makeRecord({ Binds: [`${gone}:/s:rshared`] }));
    h.kernel.propagation = { mountPoint: '/', shared: false, slave: false };
    await assert.rejects(h.containers.setUp(shared, h.root), { message: `path ${gone} is mounted on / but it is not a shared mount` });
    const slave = await h.create(makeRecord({ Binds: [`${gone}:/s:rslave`] }));
    await assert.rejects(h.containers.setUp(slave, h.root), { message: `path ${gone} is mounted on / but it is not a shared or slave mount` });
    h.kernel.propagation = { mountPoint: '/', shared: false, slave: true };
    assert.deepEqual((await h.containers.setUp(slave, h.root))[0]?.options, ['rbind', 'rslave']);
  } finally {
    await h.cleanup();
  }
});

test('volumes with options: mounted while a container uses them, failures undo earlier mounts', async () => {
  const h = await harness();
  try {
    await h.service.create('tv', { options: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' } });
    await h.service.create('bad', { options: { type: 'none', device: '/nonexist', o: 'bind' } });
    const a = await h.create(makeRecord({ Binds: ['tv:/a'] }));
    const b = await h.create(makeRecord({ Binds: ['tv:/a', 'bad:/z'] }));
    await h.containers.setUp(a, h.root);
    assert.equal(h.kernel.mounted.has(vol(h.root, 'tv')), true);
    h.kernel.failMount = new Error('no such file');
    await assert.rejects(h.containers.setUp(b, h.root), /error while mounting volume/);
    h.kernel.failMount = undefined;
    assert.equal(h.kernel.mounted.has(vol(h.root, 'tv')), true, 'still mounted for a');
    await h.containers.tearDown(a);
    assert.equal(h.kernel.mounted.has(vol(h.root, 'tv')), false);
    // After a daemon restart: a running user keeps the mount, no user means unmount.
    h.kernel.mounted.set(vol(h.root, 'tv'), { type: 'tmpfs', source: 'tmpfs', options: [] });
    a.State.Running = true;
    await h.containers.restore();
    assert.equal(h.kernel.mounted.has(vol(h.root, 'tv')), true);
    a.State.Running = false;
    await h.containers.restore();
    assert.equal(h.kernel.mounted.has(vol(h.root, 'tv')), false);
  } finally {
    await h.cleanup();
  }
});

test('onRemove: rm -v removes anonymous volumes only; state of vanished containers is dropped', async () => {
  const h = await harness();
  try {
    const rec = await h.create(makeRecord({ Binds: ['keepme:/k', '/anon1'], Mounts: [{ Type: 'volume', Target: '/anon2' }] }), ['/img']);
    const anonymous = rec.Mounts.filter((m) => m.Name !== 'keepme').map((m) => m.Name ?? '');
    assert.equal(anonymous.length, 3);
    await assert.rejects(h.service.remove('keepme'), { message: `remove keepme: volume is in use - [${rec.Id}]` });
    const plain = await h.create(makeRecord({ Binds: ['keepme:/k'] }));
    await h.containers.onRemove(plain, { removeAnonymous: false });
    h.lookup.records.splice(h.lookup.records.indexOf(plain), 1);
    await h.containers.onRemove(rec, { removeAnonymous: true });
    h.lookup.records.splice(h.lookup.records.indexOf(rec), 1);
    assert.deepEqual(h.service.list().Volumes.map((v) => v.Name), ['keepme']);
    assert.equal(h.events.filter((e) => e.Action === 'destroy').length, 3);
    const orphan = makeRecord({ Binds: ['/o'] });
    await h.containers.onCreate(orphan, []);
    await h.containers.restore();
    assert.deepEqual(await readdir(join(h.root, 'volumes', '.containers')), []);
  } finally {
    await h.cleanup();
  }
});
