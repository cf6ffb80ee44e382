import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarMatch, familiarName, familiarString, parseAnyReference, parseNormalizedNamed, referenceString, validateTag, withDefaultTag } from '../../../../src/core/reference.js';

const hex = 'ebbf14a8b88ad90442c0bbcbdaa19041a5b48b3aee13faa257e894b1f4706bc8';

test('normalises familiar names like Docker', () => {
  const cases: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['user/app:1', 'docker.io/user/app:1', 'user/app:1'],
    ['localhost:5000/a/b:t', 'localhost:5000/a/b:t', 'localhost:5000/a/b:t'],
    ['localhost/a', 'localhost/a:latest', 'localhost/a:latest'],
    ['index.docker.io/library/x', 'docker.io/library/x:latest', 'x:latest'],
    ['docker.io/library/busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['quay.io/org/img', 'quay.io/org/img:latest', 'quay.io/org/img:latest'],
    [`x@sha256:${hex}`, `docker.io/library/x@sha256:${hex}`, `x@sha256:${hex}`],
  ];
  for (const [input, full, familiar] of cases) {
    const ref = withDefaultTag(parseNormalizedNamed(input));
    assert.equal(referenceString(ref), full, input);
    assert.equal(familiarString(ref), familiar, input);
  }
  assert.equal(familiarName(parseNormalizedNamed('docker.io/library/busybox')), 'busybox');
});

test('refuses invalid references with Docker messages', () => {
  assert.throws(() => parseNormalizedNamed('UPPER'), { message: 'invalid reference format: repository name must be lowercase' });
  assert.throws(() => parseNormalizedNamed('a:b:c'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedNamed(''), { message: 'invalid reference format' });
  assert.throws(() => parseNormalizedNamed(hex), { message: `invalid repository name (${hex}), cannot specify 64-byte hexadecimal strings` });
  assert.throws(() => parseNormalizedNamed('a/' + 'x'.repeat(300)), /must not be more than 255 characters/);
  assert.throws(() => parseNormalizedNamed('-bad'), { message: 'invalid reference format' });
  assert.throws(() => validateTag('-bad'), { message: 'invalid tag format' });
  assert.throws(() => validateTag('b:c'), { message: 'invalid tag format' });
  validateTag('v1.0_rc-2');
});

test('parseAnyReference tells IDs from names', () => {
  assert.deepEqual(parseAnyReference(hex), { kind: 'digest', digest: `sha256:${hex}` });
  assert.deepEqual(parseAnyReference(`sha256:${hex}`), { kind: 'digest', digest: `sha256:${hex}` });
  assert.equal(parseAnyReference('ebbf').kind, 'named');
});

test('familiarMatch follows Go path.Match', () => {
  const ref = withDefaultTag(parseNormalizedNamed('team/app:1.0'));
  assert.ok(familiarMatch('team/app', ref));
  assert.ok(familiarMatch('team/*', ref));
  assert.ok(familiarMatch('team/app:1.?', ref));
  assert.ok(!familiarMatch('*', ref), '* does not cross /');
  assert.ok(familiarMatch('*/*:1.0', ref));
  assert.ok(familiarMatch('team/[a-z]pp', ref));
  assert.ok(!familiarMatch('other', ref));
});
