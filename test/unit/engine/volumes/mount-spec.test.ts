import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountSpec, convertTmpfsOptions, mergeTmpfsOptions, tmpfsMountOptions } from '../../../../src/engine/volumes/index.js';
import type { MountSpec } from '../../../../src/core/index.js';
import { statusForError } from '../../../../src/engine/api/index.js';

/** Messages recorded from dockerd 20.10 for the same HostConfig.Mounts entries (all 400). */
const rejected: [MountSpec, string][] = [
  [{ Type: 'bind', Source: '/nope-berth-test', Target: '/x' }, 'invalid mount config for type "bind": bind source path does not exist: /nope-berth-test'],
  [{ Type: 'bind', Source: 'rel', Target: '/x' }, `invalid mount config for type "bind": invalid mount path: 'rel' mount path must be absolute`],
  [{ Type: 'bind', Target: '/x' }, 'invalid mount config for type "bind": field Source must not be empty'],
  [{ Type: 'bind', Source: '/tmp', Target: 'x' }, `invalid mount config for type "bind": invalid mount path: 'x' mount path must be absolute`],
  [{ Type: 'bind', Source: '/tmp' }, 'invalid mount config for type "bind": field Target must not be empty'],
  [{ Type: 'bind', Source: '/tmp', Target: '/' }, `invalid mount config for type "bind": invalid specification: destination can't be '/'`],
  [{ Type: 'bind', Source: '/tmp', Target: '/x', BindOptions: { Propagation: 'foo' } }, 'invalid mount config for type "bind": invalid propagation mode: foo'],
  [{ Type: 'bind', Source: '/tmp', Target: '/x', VolumeOptions: {} }, 'invalid mount config for type "bind": field VolumeOptions must not be specified'],
  [{ Type: 'volume', Source: 'aa', Target: '/x', BindOptions: {} }, 'invalid mount config for type "volume": field BindOptions must not be specified'],
  [{ Type: 'volume', Target: '/x', ReadOnly: true }, 'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes'],
  [{ Type: 'tmpfs', Source: 'x', Target: '/x' }, 'invalid mount config for type "tmpfs": field Source must not be specified'],
  [{ Type: 'foo' as 'bind', Target: '/x' }, 'invalid mount config for type "foo": mount type unknown'],
  [{ Target: '/x' }, 'invalid mount config for type "": mount type unknown'],
  [{ Type: 'npipe', Source: '/a', Target: '/x' }, 'invalid mount config for type "npipe": mount type unknown'],
];

for (const [spec, message] of rejected) {
  test(`parseMountSpec rejects ${JSON.stringify(spec)}`, () => {
    assert.throws(() => parseMountSpec(spec), (err: Error) => err.message === message && statusForError(err) === 400);
  });
}

test('parseMountSpec: bind, volume and tmpfs', () => {
  const bind = parseMountSpec({ Type: 'bind', Source: '/tmp/', Target: '/h/', ReadOnly: true, BindOptions: { Propagation: 'rslave', NonRecursive: true } });
  assert.deepEqual([bind.source, bind.destination, bind.rw, bind.propagation, bind.nonRecursive, bind.createSource, bind.mode], ['/tmp', '/h', false, 'rslave', true, false, '']);
  const vol = parseMountSpec({ Type: 'volume', Source: 'v', Target: '/v', VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Name: 'local', Options: { type: 'tmpfs', device: 'tmpfs' } } } });
  assert.deepEqual([vol.source, vol.copyData, vol.driver, vol.labels, vol.driverOptions], ['v', false, 'local', { a: 'b' }, { type: 'tmpfs', device: 'tmpfs' }]);
  const tmp = parseMountSpec({ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } });
  assert.equal(tmp.tmpfsData, 'mode=1770,size=1m');
});

test('convertTmpfsOptions picks the largest dividing suffix', () => {
  assert.equal(convertTmpfsOptions({ SizeBytes: 3 * 2 ** 30 }, false), 'size=3g');
  assert.equal(convertTmpfsOptions({ SizeBytes: 1536 * 1024 }, false), 'size=1536k');
  assert.equal(convertTmpfsOptions({ SizeBytes: 1000 }, true), 'ro,size=1000');
  assert.equal(convertTmpfsOptions(null, false), '');
});

test('tmpfs options: defaults first, the user wins per kind, like dockerd', () => {
  // `--tmpfs /x:exec,size=1k,size=2k,ro` showed up as ro,nosuid,nodev,size=2k in a dockerd container.
  assert.deepEqual(tmpfsMountOptions('exec,size=1k,size=2k,ro'), ['nosuid', 'nodev', 'rprivate', 'exec', 'size=2k', 'ro']);
  assert.deepEqual(tmpfsMountOptions(''), ['noexec', 'nosuid', 'nodev', 'rprivate']);
  assert.deepEqual(mergeTmpfsOptions(['rprivate', 'rshared', 'defaults', 'mode=700']), ['rshared', 'mode=700']);
  assert.throws(() => tmpfsMountOptions('foo=bar'), /^BerthError: invalid tmpfs option \["foo" "bar"\]$/);
  assert.throws(() => tmpfsMountOptions('bogus'), /^BerthError: invalid tmpfs option \["bogus"\]$/);
});
