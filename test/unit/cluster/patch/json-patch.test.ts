/**
 * JSON Patch as the Kubernetes API server applies it (evanphx/json-patch v4
 * semantics and errors, Kubernetes status codes).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../../../src/core/index.js';
import { applyJsonPatch, applyMergePatch, type JsonValue } from '../../../../src/cluster/apiserver/patch/index.js';

const doc = (): JsonValue => ({
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 2, containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], args: ['--one'] },
});

function fails(patch: unknown[], status: { code: number; reason: string; message: string | RegExp }, cause?: RegExp): void {
  assert.throws(() => applyJsonPatch(doc(), JSON.stringify(patch)), (err: unknown) => {
    assert.ok(isBerthError(err));
    assert.equal(err.details?.['code'], status.code);
    assert.equal(err.details?.['reason'], status.reason);
    if (typeof status.message === 'string') assert.equal(err.message, status.message);
    else assert.match(err.message, status.message);
    if (cause !== undefined) assert.match(String((err.cause as Error | undefined)?.message), cause);
    return true;
  });
}

const INVALID = { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' };

describe('JSON patch (RFC 6902)', () => {
  it('applies add, remove, replace, move, copy and test in order', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'test', path: '/spec/replicas', value: 2 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/tier', value: 'web' },
      { op: 'add', path: '/spec/containers/1', value: { name: 'mid', image: 'z' } },
      { op: 'add', path: '/spec/args/-', value: '--two' },
      { op: 'remove', path: '/spec/containers/0' },
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copied' },
      { op: 'move', from: '/spec/args', path: '/spec/command' },
      { op: 'test', path: '/spec/containers', value: [{ name: 'mid', image: 'z' }, { name: 'b', image: 'y' }] },
    ]);
    assert.deepStrictEqual(out, {
      metadata: { name: 'web', labels: { app: 'web', tier: 'web', copied: 'web' } },
      spec: { replicas: 3, containers: [{ name: 'mid', image: 'z' }, { name: 'b', image: 'y' }], command: ['--one', '--two'] },
    });
  });

  it('does not modify its input and decodes ~0 and ~1 escapes', () => {
    const input = { metadata: { annotations: { 'example.com/a~b': 'x' } } };
    const out = applyJsonPatch(input, [{ op: 'replace', path: '/metadata/annotations/example.com~1a~0b', value: 'y' }]);
    assert.deepStrictEqual(out, { metadata: { annotations: { 'example.com/a~b': 'y' } } });
    assert.deepStrictEqual(input, { metadata: { annotations: { 'example.com/a~b': 'x' } } });
  });

  it('accepts negative array indexes and replace of a missing object key (evanphx v4)', () => {
    const out = applyJsonPatch(doc(), [
      { op: 'remove', path: '/spec/containers/-1' },
      { op: 'replace', path: '/spec/paused', value: true },
    ]) as { spec: Record<string, unknown> };
    assert.deepStrictEqual(out.spec['containers'], [{ name: 'a', image: 'x' }]);
    assert.equal(out.spec['paused'], true);
  });

  it('treats null as missing in test operations', () => {
    applyJsonPatch({ a: null }, [{ op: 'test', path: '/a', value: null }, { op: 'test', path: '/missing', value: null }]);
    assert.throws(() => applyJsonPatch({ a: null }, [{ op: 'test', path: '/a', value: 1 }]));
  });

  it('a failed test is the 422 Kubernetes answers, with the evanphx error as cause', () => {
    fails([{ op: 'test', path: '/spec/replicas', value: 5 }], INVALID, /^testing value \/spec\/replicas failed: test failed$/);
  });

  it('reports missing paths and bad indexes like evanphx', () => {
    fails([{ op: 'add', path: '/spec/missing/x', value: 1 }], INVALID, /^add operation does not apply: doc is missing path: "\/spec\/missing\/x": missing value$/);
    fails([{ op: 'remove', path: '/metadata/labels/nope' }], INVALID, /^error in remove for path: '\/metadata\/labels\/nope': Unable to remove nonexistent key: nope: missing value$/);
    fails([{ op: 'replace', path: '/spec/containers/9', value: {} }], INVALID, /^replace operation does not apply: doc is missing key: \/spec\/containers\/9: missing value$/);
    fails([{ op: 'add', path: '/spec/args/5', value: 'x' }], INVALID, /^error in add for path: '\/spec\/args\/5': Unable to access invalid index: 5: invalid index referenced$/);
    fails([{ op: 'add', path: '/spec/args/x', value: 'x' }], INVALID, /value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax/);
    fails([{ op: 'move', from: '/nope', path: '/x' }], INVALID, /^error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value$/);
    fails([{ op: 'frobnicate', path: '/x' }], INVALID, /^Unexpected kind: frobnicate$/);
  });

  it('rejects bodies that are not a patch with 400 and oversize patches with 413', () => {
    fails({ op: 'add' } as unknown as unknown[], { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' });
    assert.throws(() => applyJsonPatch(doc(), '[{"op":'), (err: unknown) => isBerthError(err) && err.details?.['code'] === 400);
    const big = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/spec/replicas', value: 2 }));
    fails(big, { code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001' });
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  it('follows the RFC 7386 appendix examples', () => {
    const cases: [JsonValue, JsonValue, JsonValue][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) assert.deepStrictEqual(applyMergePatch(target, patch), result, JSON.stringify(patch));
  });

  it('merges metadata the way kubectl label/annotate/scale send it', () => {
    const live = { metadata: { name: 'web', labels: { app: 'web', old: 'x' } }, spec: { replicas: 1 } };
    assert.deepStrictEqual(applyMergePatch(live, '{"metadata":{"labels":{"old":null,"new":"y"}},"spec":{"replicas":4}}'), {
      metadata: { name: 'web', labels: { app: 'web', new: 'y' } },
      spec: { replicas: 4 },
    });
  });

  it('rejects null and non-JSON bodies as "Invalid JSON Patch" (400)', () => {
    for (const body of ['null', '{', '"x"']) {
      assert.throws(() => applyMergePatch({}, body), (err: unknown) => isBerthError(err) && err.message === 'Invalid JSON Patch' && err.details?.['code'] === 400);
    }
  });
});
