/**
 * Volumes end to end: the real docker CLI against a Berth daemon running
 * real containers. Root only (the engine fixture skips otherwise).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chownSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunEngine, importBusybox, startTestEngine, type TestEngine } from '../../../fixtures/engine.js';
import { buildBusyboxRootfs } from '../../../fixtures/busybox.js';

const skip = canRunEngine() ?? false;
const IMAGE = 'busybox:test';
const VOLIMG = 'bbvol:test';
let engine: TestEngine;
let hostDir: string;
const uniq = (prefix: string): string => `${prefix}${Math.random().toString(36).slice(2, 8)}`;

before(async () => {
  if (skip) return;
  engine = await startTestEngine();
  hostDir = mkdtempSync(join(tmpdir(), 'berth-vol-e2e-host-'));
  await importBusybox(engine, IMAGE);
  // An image with content, owner and mode at its VOLUME path (as `docker build` with VOLUME would make).
  const rootfs = join(engine.dir, 'volimg');
  buildBusyboxRootfs(rootfs);
  mkdirSync(join(rootfs, 'data', 'sub'), { recursive: true });
  writeFileSync(join(rootfs, 'data', 'sub', 'f'), 'hello\n');
  writeFileSync(join(rootfs, 'data', 't'), 'top\n');
  chownSync(join(rootfs, 'data'), 1000, 1001);
  chownSync(join(rootfs, 'data', 't'), 1000, 1001);
  chmodSync(join(rootfs, 'data'), 0o750);
  const tar = join(engine.dir, 'volimg.tar');
  execFileSync('tar', ['--numeric-owner', '-C', rootfs, '-cf', tar, '.']);
  const r = await engine.docker(['import', '--change', 'CMD ["/bin/sh"]', '--change', 'VOLUME /data', tar, VOLIMG]);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  if (skip) return;
  await engine?.close();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<string> {
  const r = await engine.docker(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('a named volume keeps its data after the container is removed and a second container sees it', { skip }, async () => {
  const vol = uniq('keep');
  await ok(['run', '--name', uniq('w'), '--rm', '-v', `${vol}:/data`, IMAGE, 'sh', '-c', 'echo persisted > /data/f']);
  assert.equal(await ok(['run', '--rm', '-v', `${vol}:/data:ro`, IMAGE, 'cat', '/data/f']), 'persisted\n');
  const inspect = JSON.parse(await ok(['volume', 'inspect', vol])) as [{ Name: string; Driver: string; Mountpoint: string; Labels: unknown; Options: unknown; Scope: string }];
  assert.deepEqual([inspect[0].Name, inspect[0].Driver, inspect[0].Scope, inspect[0].Labels, inspect[0].Options], [vol, 'local', 'local', null, null]);
  assert.equal(readFileSync(join(inspect[0].Mountpoint, 'f'), 'utf8'), 'persisted\n');
  const ro = await engine.docker(['run', '--rm', '-v', `${vol}:/data:ro`, IMAGE, 'sh', '-c', 'echo x > /data/g']);
  assert.notEqual(ro.code, 0);
  assert.match(ro.stderr, /Read-only file system/);
  await ok(['volume', 'rm', vol]);
});

test('a fresh volume is filled with the image content at the mount point, with its owner and mode', { skip }, async () => {
  const vol = uniq('fresh');
  assert.equal(await ok(['run', '--rm', '-v', `${vol}:/data`, VOLIMG, 'sh', '-c', 'stat -c "%a %u %g" /data; cat /data/sub/f /data/t']), '750 1000 1001\nhello\ntop\n');
  // An anonymous volume from the image's VOLUME gets the same content; nocopy keeps a volume empty.
  assert.equal(await ok(['run', '--rm', VOLIMG, 'cat', '/data/sub/f']), 'hello\n');
  assert.equal(await ok(['run', '--rm', '-v', `${uniq('nc')}:/data:nocopy`, VOLIMG, 'ls', '-A', '/data']), '');
  // A volume that already has data is not overwritten.
  await ok(['run', '--rm', '-v', `${vol}:/data`, VOLIMG, 'sh', '-c', 'rm -r /data/sub; echo mine > /data/t']);
  assert.equal(await ok(['run', '--rm', '-v', `${vol}:/data`, VOLIMG, 'sh', '-c', 'ls /data; cat /data/t']), 't\nmine\n');
});

test('-v creates a missing bind source; --mount refuses it with dockerd\'s message', { skip }, async () => {
  const made = join(hostDir, uniq('made'));
  await ok(['run', '--rm', '-v', `${made}:/x`, IMAGE, 'true']);
  assert.equal(statSync(made).isDirectory(), true);
  assert.equal(statSync(made).mode & 0o777, 0o755);
  const missing = join(hostDir, uniq('missing'));
  const r = await engine.docker(['run', '--rm', '--mount', `type=bind,src=${missing},dst=/x`, IMAGE, 'true']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, `docker: Error response from daemon: invalid mount config for type "bind": bind source path does not exist: ${missing}\n\nRun 'docker run --help' for more information\n`);
  assert.equal(existsSync(missing), false);
  const bad = await engine.docker(['run', '--rm', '-v', 'bad:spec', IMAGE, 'true']);
  assert.match(bad.stderr, /invalid volume specification: 'bad:spec': invalid mount config for type "volume": invalid mount path: 'spec' mount path must be absolute/);
  writeFileSync(join(hostDir, 'hostfile'), 'from host\n');
  assert.equal(await ok(['run', '--rm', '--mount', `type=bind,src=${hostDir},dst=/h,readonly`, IMAGE, 'sh', '-c', 'cat /h/hostfile; touch /h/new 2>/dev/null || echo ro']), 'from host\nro\n');
});

test('tmpfs: --tmpfs and --mount type=tmpfs with size and mode', { skip }, async () => {
  const out = await ok(['run', '--rm', '--tmpfs', '/tt:size=2m,mode=700', '--mount', 'type=tmpfs,dst=/t,tmpfs-size=1048576,tmpfs-mode=1770', IMAGE,
    'sh', '-c', 'grep -E " /(t|tt) " /proc/mounts | sort -k2; stat -c "%a" /t /tt']);
  assert.equal(out, 'tmpfs /t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=1770 0 0\ntmpfs /tt tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k,mode=700 0 0\n1770\n700\n');
  const vol = uniq('tv');
  await ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=3m', vol]);
  assert.match(await ok(['run', '--rm', '-v', `${vol}:/v`, IMAGE, 'grep', ' /v ', '/proc/mounts']), /^tmpfs \/v tmpfs rw,relatime,size=3072k 0 0\n$/);
  const mountpoint = (await ok(['volume', 'inspect', '--format', '{{.Mountpoint}}', vol])).trim();
  assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${mountpoint} `), false, 'unmounted after the container exited');
});

test('volume rm of a volume in use is refused with 409; rm -v removes anonymous volumes only', { skip }, async () => {
  const vol = uniq('busy');
  const name = uniq('holder');
  const id = (await ok(['create', '--name', name, '-v', `${vol}:/n`, '-v', '/anon', IMAGE, 'true'])).trim();
  const r = await engine.api('DELETE', `/v1.41/volumes/${vol}`);
  assert.deepEqual([r.status, JSON.parse(r.body)], [409, { message: `remove ${vol}: volume is in use - [${id}]` }]);
  const mounts = JSON.parse(await ok(['inspect', '--format', '{{json .Mounts}}', name])) as { Type: string; Name: string; Destination: string; Mode: string; RW: boolean; Propagation: string; Driver: string }[];
  const anon = mounts.find((m) => m.Destination === '/anon');
  assert.match(anon?.Name ?? '', /^[0-9a-f]{64}$/);
  assert.deepEqual(mounts.find((m) => m.Destination === '/n'), {
    Type: 'volume', Name: vol, Source: join(engine.root, 'volumes', vol, '_data'), Destination: '/n', Driver: 'local', Mode: 'z', RW: true, Propagation: '',
  });
  const psMounts = (await ok(['ps', '-a', '--filter', `name=${name}`, '--format', '{{.Mounts}}'])).trim();
  assert.ok(psMounts.includes(vol), psMounts);
  await ok(['rm', '-v', name]);
  const left = (await ok(['volume', 'ls', '-q'])).split('\n');
  assert.ok(left.includes(vol), 'named volume stays');
  assert.ok(!left.includes(anon?.Name ?? ''), 'anonymous volume removed');
  await ok(['volume', 'rm', vol]);
});

test('--volumes-from shares the volumes, :ro makes them read-only', { skip }, async () => {
  const src = uniq('src');
  await ok(['create', '--name', src, '-v', '/shared', IMAGE, 'true']);
  await ok(['run', '--rm', '--volumes-from', src, IMAGE, 'sh', '-c', 'echo via-from > /shared/f']);
  assert.equal(await ok(['run', '--rm', '--volumes-from', `${src}:ro`, IMAGE, 'sh', '-c', 'cat /shared/f; touch /shared/g 2>/dev/null || echo ro']), 'via-from\nro\n');
  await ok(['rm', '-v', src]);
});

test('mount and unmount events; volumes and their data survive a daemon restart', { skip }, async () => {
  const vol = uniq('ev');
  const since = Math.floor(Date.now() / 1000) - 1;
  const c = (await ok(['run', '-d', '-v', `${vol}:/e`, IMAGE, 'sh', '-c', 'echo before > /e/f; sleep 300'])).trim();
  await ok(['stop', '-t', '0', c]);
  const until = Math.floor(Date.now() / 1000) + 1;
  const events = (await ok(['events', '--since', String(since), '--until', String(until), '--filter', 'type=volume', '--filter', `volume=${vol}`, '--format', '{{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}}'])).trim().split('\n');
  assert.deepEqual(events, [
    `create ${vol} {"driver":"local"}`,
    `mount ${vol} {"container":"${c}","destination":"/e","driver":"local","propagation":"","read/write":"true"}`,
    `unmount ${vol} {"container":"${c}","driver":"local"}`,
  ]);
  await engine.stopDaemon();
  await engine.startDaemon();
  assert.ok((await ok(['volume', 'ls', '-q'])).split('\n').includes(vol));
  const r = await engine.docker(['volume', 'rm', vol]);
  assert.match(r.stderr, new RegExp(`volume is in use - \\[${c}\\]`));
  await ok(['rm', c]);
  assert.equal(await ok(['run', '--rm', '-v', `${vol}:/e`, IMAGE, 'cat', '/e/f']), 'before\n');
  await ok(['volume', 'rm', vol]);
});

test('a daemon killed in the middle of creating volumes leaves only whole volumes', { skip }, async () => {
  const prefix = uniq('crash');
  const creates = Array.from({ length: 40 }, (_, i) => engine.api('POST', '/v1.41/volumes/create', { Name: `${prefix}-${i}`, Labels: { n: String(i) } }).catch(() => undefined));
  await new Promise((r) => setTimeout(r, 15));
  await engine.stopDaemon('SIGKILL');
  await Promise.all(creates);
  await engine.startDaemon();
  const dir = join(engine.root, 'volumes');
  assert.equal(existsSync(join(dir, '.staging')), false, 'staging cleared at start');
  const listed = (JSON.parse((await engine.api('GET', '/v1.41/volumes')).body) as { Volumes: { Name: string; Labels: Record<string, string> }[] }).Volumes.filter((v) => v.Name.startsWith(prefix));
  const onDisk = readdirSync(dir).filter((e) => e.startsWith(prefix));
  assert.deepEqual(onDisk.sort(), listed.map((v) => v.Name).sort(), 'every directory is a listed volume');
  for (const v of listed) {
    assert.equal(v.Labels['n'], v.Name.slice(prefix.length + 1), 'metadata complete');
    assert.equal(statSync(join(dir, v.Name, '_data')).isDirectory(), true);
    await ok(['volume', 'rm', v.Name]);
  }
});
