/**
 * Field sets and their FieldsV1 encoding (structured-merge-diff semantics):
 * path element syntax, ordering, "." members and set algebra.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  deserializePathElement, FieldSet, fieldSetFromFieldsV1, fieldSetToFieldsV1, pathToString, serializePathElement, toFieldSet,
  type FieldPath, type JsonObject, type PathElement,
} from '../../../../src/cluster/apiserver/patch/index.js';
import { DEPLOYMENT, upstreamStructure } from './upstream-openapi.js';

const f = (name: string): PathElement => ({ kind: 'field', name });
const k = (fields: Record<string, string | number>): PathElement => deserializePathElement(`k:${JSON.stringify(fields)}`) as PathElement;
const v = (value: string): PathElement => ({ kind: 'value', value });
const i = (index: number): PathElement => ({ kind: 'index', index });

/** What a real API server stored for `kubectl create deployment` plus a finalizer and a second container. */
const STORED: JsonObject = {
  'f:metadata': { 'f:finalizers': { '.': {}, 'v:"example.com/a"': {} }, 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': {
      'f:spec': {
        'f:containers': {
          'k:{"name":"a"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } } },
          'k:{"name":"b"}': { '.': {}, 'f:name': {} },
        },
      },
    },
  },
};

describe('FieldsV1', () => {
  it('round-trips a stored entry with sorted keys and "." after the children', () => {
    const set = fieldSetFromFieldsV1(STORED);
    const out = fieldSetToFieldsV1(set);
    assert.equal(JSON.stringify(out).length, JSON.stringify(STORED).length);
    assert.deepStrictEqual(out, STORED);
    const labels = (out['f:metadata'] as JsonObject)['f:labels'] as JsonObject;
    assert.deepStrictEqual(Object.keys(labels), ['f:app', '.']);
    // Stored maps key-order independent input: a shuffled document gives the same bytes out.
    const shuffled: JsonObject = { 'f:spec': STORED['f:spec'] as JsonObject, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:finalizers': { 'v:"example.com/a"': {}, '.': {} } } };
    assert.equal(JSON.stringify(fieldSetToFieldsV1(fieldSetFromFieldsV1(shuffled))), JSON.stringify(out));
  });

  it('lists member paths in the human form of conflict messages, a node\'s members before its children', () => {
    const paths = fieldSetFromFieldsV1(STORED).paths().map(pathToString);
    assert.deepStrictEqual(paths, [
      '.metadata.finalizers',
      '.metadata.labels',
      '.metadata.finalizers[="example.com/a"]',
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.template.spec.containers[name="a"]',
      '.spec.template.spec.containers[name="b"]',
      '.spec.template.spec.containers[name="a"].image',
      '.spec.template.spec.containers[name="a"].name',
      '.spec.template.spec.containers[name="a"].ports',
      '.spec.template.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"]',
      '.spec.template.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"].containerPort',
      '.spec.template.spec.containers[name="a"].ports[containerPort=80,protocol="TCP"].protocol',
      '.spec.template.spec.containers[name="b"].name',
    ]);
  });

  it('serializes every path element kind and orders fields < keys < values < indexes', () => {
    assert.equal(serializePathElement(k({ protocol: 'TCP', containerPort: 80 })), 'k:{"containerPort":80,"protocol":"TCP"}');
    assert.equal(serializePathElement(v('x')), 'v:"x"');
    assert.equal(serializePathElement(i(3)), 'i:3');
    assert.deepStrictEqual(deserializePathElement('i:3'), i(3));
    const set = FieldSet.of([i(1)], [v('b')], [k({ name: 'z' })], [f('a')], [i(0)], [v('a')]);
    assert.deepStrictEqual(Object.keys(fieldSetToFieldsV1(set)), ['f:a', 'k:{"name":"z"}', 'v:"a"', 'v:"b"', 'i:0', 'i:1']);
  });

  it('rejects malformed keys, and drops element kinds it does not know like upstream', () => {
    assert.throws(() => fieldSetFromFieldsV1({ f: {} }), /key must be 2 characters long/);
    assert.throws(() => fieldSetFromFieldsV1({ 'fx': {} }), /missing colon/);
    assert.throws(() => fieldSetFromFieldsV1({ 'i:x': {} }), /invalid syntax/);
    assert.throws(() => fieldSetFromFieldsV1([]), /must be a JSON object/);
    assert.deepStrictEqual(fieldSetToFieldsV1(fieldSetFromFieldsV1({ 'x:future': {}, 'f:a': {} })), { 'f:a': {} });
  });
});

describe('FieldSet algebra', () => {
  const p = (...names: string[]): FieldPath => names.map(f);

  it('union, intersection and difference work on members, node by node', () => {
    const a = FieldSet.of(p('spec', 'replicas'), p('spec', 'paused'), p('metadata', 'labels', 'x'));
    const b = FieldSet.of(p('spec', 'replicas'), p('status', 'ready'));
    assert.deepStrictEqual(a.union(b).paths().map(pathToString), ['.metadata.labels.x', '.spec.paused', '.spec.replicas', '.status.ready']);
    assert.deepStrictEqual(a.intersection(b).paths().map(pathToString), ['.spec.replicas']);
    assert.deepStrictEqual(a.difference(b).paths().map(pathToString), ['.metadata.labels.x', '.spec.paused']);
    assert.equal(a.size(), 3);
    assert.ok(a.has(p('spec', 'paused')));
    assert.equal(a.has(p('spec')), false);
  });

  it('difference keeps children of a removed member, recursiveDifference drops them', () => {
    const owned = FieldSet.of(p('spec'), p('spec', 'replicas'), p('spec', 'paused'));
    const reset = FieldSet.of(p('spec'));
    assert.deepStrictEqual(owned.difference(reset).paths().map(pathToString), ['.spec.paused', '.spec.replicas']);
    assert.ok(owned.recursiveDifference(reset).empty());
    assert.ok(FieldSet.fromFieldNames([['spec']]).equals(reset));
  });

  it('derives the set of an object from its schema: keyed list items, atomic selectors, granular maps', () => {
    const obj: JsonObject = {
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { spec: { containers: [{ name: 'web', image: 'nginx', args: ['-v'] }] } },
      },
      metadata: { labels: { app: 'web' } },
    };
    assert.deepStrictEqual(fieldSetToFieldsV1(toFieldSet(obj, upstreamStructure(DEPLOYMENT))), {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:selector': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:args': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    });
  });
});
