/**
 * The OCI mounts the volume hooks describe, run by runc through the engine's
 * runtime layer (without the daemon): what the container sees. Root only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Harness, Sink, skipReason } from '../runtime/harness.js';
import { createVolumeSubsystem, linuxVolumeKernel, type VolumeSubsystem } from '../../../../src/engine/volumes/index.js';
import { FakeLookup, makeRecord } from '../../../unit/engine/volumes/fakes.js';
import type { ContainerRecord } from '../../../../src/engine/containers/types.js';

const skip = skipReason() ?? false;
let h: Harness;
let volumes: VolumeSubsystem;
const lookup = new FakeLookup();

before(async () => {
  if (skip) return;
  h = await new Harness().init();
  // Image content at a future mount point, with an owner and mode to carry over.
  mkdirSync(join(h.lower, 'data', 'sub'), { recursive: true });
  writeFileSync(join(h.lower, 'data', 'sub', 'f'), 'from image\n');
  chownSync(join(h.lower, 'data'), 1000, 1001);
  chmodSync(join(h.lower, 'data'), 0o750);
  volumes = await createVolumeSubsystem({ root: join(h.root, 'vroot'), lookup, kernel: linuxVolumeKernel });
});

after(async () => {
  if (skip) return;
  await h.cleanup();
});

/** Creates the container's mounts, runs `script` in it with them, returns its output. */
async function runWith(rec: ContainerRecord, script: string): Promise<string> {
  await volumes.containers.onCreate(rec, []);
  lookup.records.push(rec);
  const mounts = await volumes.containers.setUp(rec, h.lower);
  const spec = h.spec('vol', ['sh', '-c', script], { mounts });
  const out = new Sink();
  try {
    await h.runtime.start(spec, { logPath: h.logPath(spec.id) }, [{ stdout: out, stderr: out }]);
    await h.runtime.wait(spec.id);
    await h.runtime.delete(spec.id);
  } finally {
    await volumes.containers.tearDown(rec);
  }
  return out.text();
}

test('tmpfs mounts, a fresh volume filled from the image, ro binds and a tmpfs-backed volume, as the container sees them', { skip }, async () => {
  const host = join(h.root, 'hostdir');
  mkdirSync(host);
  writeFileSync(join(host, 'hf'), 'host\n');
  await volumes.service.create('tvol', { options: { type: 'tmpfs', device: 'tmpfs', o: 'size=3m' } });
  const rec = makeRecord({
    Binds: ['fresh:/data', `${host}:/h:ro`, 'tvol:/tv'],
    Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } }],
    Tmpfs: { '/tt': 'size=2m,mode=700' },
  });
  const out = await runWith(rec, [
    'grep -E " /(t|tt|tv) " /proc/mounts | sort -k2 | cut -d" " -f2-4',
    'stat -c "%a %u %g" /data /t /tt',
    'cat /data/sub/f /h/hf',
    'touch /h/x 2>/dev/null || echo ro-ok',
    'echo written > /data/new',
  ].join('; '));
  assert.equal(out, [
    '/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=1770',
    '/tt tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k,mode=700',
    '/tv tmpfs rw,relatime,size=3072k',
    '750 1000 1001', '1770 0 0', '700 0 0',
    'from image', 'host', 'ro-ok', '',
  ].join('\n'));
  // The volume kept what the container wrote; the tmpfs volume is unmounted after its only user stopped.
  const again = await runWith(makeRecord({ Binds: ['fresh:/data:ro'] }), 'cat /data/new; ls /data');
  assert.equal(again, 'written\nnew\nsub\n');
  assert.equal(await linuxVolumeKernel.isMounted(volumes.service.dataPath('tvol')), false);
});
