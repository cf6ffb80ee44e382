import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBind, parseVolumesFrom } from '../../../../src/engine/volumes/index.js';
import { statusForError } from '../../../../src/engine/api/index.js';

/** Messages recorded from dockerd 20.10 for the same Binds. */
const rejected: [string, string][] = [
  [':/x', "invalid volume specification: ':/x'"],
  ['/x:rw', "invalid volume specification: '/x:rw'"],
  ['a:/x:foo', 'invalid mode: foo'],
  ['a:/x:ro,rw', 'invalid mode: ro,rw'],
  ['aa:x', `invalid volume specification: 'aa:x': invalid mount config for type "volume": invalid mount path: 'x' mount path must be absolute`],
  ['/a:x', `invalid volume specification: '/a:x': invalid mount config for type "bind": invalid mount path: 'x' mount path must be absolute`],
  ['aa:/', `invalid volume specification: 'aa:/': invalid mount config for type "volume": invalid specification: destination can't be '/'`],
  ['a:/x:ro:z', "invalid volume specification: 'a:/x:ro:z'"],
  ['/h:/x:rshared,rslave', 'invalid mode: rshared,rslave'],
  ['aa:/x:rshared', `invalid volume specification: 'aa:/x:rshared': invalid mount config for type "volume": field BindOptions must not be specified`],
  ['/h:/x:nocopy', `invalid volume specification: '/h:/x:nocopy': invalid mount config for type "bind": field VolumeOptions must not be specified`],
  ['/h:/x:consistent,delegated', 'invalid mode: consistent,delegated'],
];

for (const [raw, message] of rejected) {
  test(`parseBind rejects ${raw} like dockerd (status 500)`, () => {
    assert.throws(() => parseBind(raw), (err: Error) => {
      assert.equal(err.message, message);
      assert.equal(statusForError(err), 500);
      return true;
    });
  });
}

test('parseBind: host path, mode and propagation', () => {
  const p = parseBind('/srv/../srv/data/:/x/../y/:ro,z,rshared');
  assert.equal(p.type, 'bind');
  assert.equal(p.source, '/srv/data');
  assert.equal(p.destination, '/y');
  assert.equal(p.rw, false);
  assert.equal(p.mode, 'ro,z,rshared');
  assert.equal(p.propagation, 'rshared');
  assert.equal(p.createSource, true);
});

test('parseBind: bind without propagation gets rprivate; a missing source is not an error at parse', () => {
  const p = parseBind('/definitely/not/here:/x');
  assert.equal(p.propagation, 'rprivate');
  assert.equal(p.rw, true);
  assert.equal(p.mode, '');
});

test('parseBind: named volume, nocopy, volume driver, anonymous destination', () => {
  const named = parseBind('data:/d:nocopy');
  assert.deepEqual([named.type, named.source, named.copyData, named.propagation], ['volume', 'data', false, '']);
  assert.equal(parseBind('data:/d', 'local').driver, 'local');
  const anon = parseBind('/only/dest');
  assert.deepEqual([anon.type, anon.source, anon.destination], ['volume', '', '/only/dest']);
  assert.equal(parseBind('data:/d:cached').rw, true);
});

test('parseVolumesFrom: modes as dockerd allows them', () => {
  assert.deepEqual(parseVolumesFrom('c1'), { container: 'c1', rw: true });
  assert.deepEqual(parseVolumesFrom('c1:ro'), { container: 'c1', rw: false });
  assert.deepEqual(parseVolumesFrom('c1:rw'), { container: 'c1', rw: true });
  assert.deepEqual(parseVolumesFrom('c1:z'), { container: 'c1', rw: true });
  assert.throws(() => parseVolumesFrom(''), /^BerthError: volumes-from specification cannot be an empty string$/);
  for (const mode of ['foo', 'rshared', 'nocopy', 'ro,rw']) {
    assert.throws(() => parseVolumesFrom(`c1:${mode}`), (err: Error) => err.message === `invalid mode: ${mode}` && statusForError(err) === 400);
  }
});
