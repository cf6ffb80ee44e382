/**
 * TypeStructure from OpenAPI fragments: `$ref` resolution (v3 components,
 * v2 definitions, allOf wrappers), kube-openapi's list semantics fallbacks,
 * map types, unknown fields, and the upstream definitions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deducedStructure, findSchemaForKind, structureFromOpenApi, type OpenApiDocumentLike } from '../../../../src/cluster/apiserver/patch/index.js';
import { DEPLOYMENT, SERVICE, upstreamDocument, upstreamStructure } from './upstream-openapi.js';

const v3: OpenApiDocumentLike = {
  components: {
    schemas: {
      'x.Thing': {
        type: 'object',
        'x-kubernetes-group-version-kind': [{ group: 'x.io', version: 'v1', kind: 'Thing' }],
        properties: {
          meta: { allOf: [{ $ref: '#/components/schemas/x.Meta' }], default: {} },
          items: { type: 'array', items: { $ref: '#/components/schemas/x.Item' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
          keyed: { type: 'array', items: { $ref: '#/components/schemas/x.Item' }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name', 'proto'] },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
          args: { type: 'array', items: { type: 'string' } },
          overridden: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'atomic' },
          selector: { $ref: '#/components/schemas/x.Selector' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          port: { 'x-kubernetes-int-or-string': true },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          opaque: {},
        },
      },
      'x.Meta': { type: 'object', properties: { name: { type: 'string' } } },
      'x.Item': { type: 'object', properties: { name: { type: 'string' }, proto: { type: 'string', description: 'Protocol. Defaults to "TCP".' } } },
      'x.Selector': { type: 'object', properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } }, 'x-kubernetes-map-type': 'atomic' },
    },
  },
};

describe('structureFromOpenApi', () => {
  const thing = structureFromOpenApi('x.Thing', v3);

  it('resolves $ref and allOf wrappers into the referenced type', () => {
    assert.equal(thing.kind, 'object');
    assert.equal(thing.field('meta')?.field('name')?.kind, 'scalar');
    assert.equal(thing.field('meta')?.field('nope'), undefined);
    assert.equal(thing.field('selector')?.mapType, 'atomic');
    const v2 = structureFromOpenApi({ $ref: '#/definitions/y.A' }, { definitions: { 'y.A': { type: 'object', properties: { b: { $ref: '#/definitions/y.B' } } }, 'y.B': { type: 'integer' } } });
    assert.equal(v2.field('b')?.kind, 'scalar');
  });

  it('derives list semantics like kube-openapi: list-type first, else merge strategy, else atomic', () => {
    const items = thing.field('items');
    assert.deepStrictEqual([items?.listType, items?.listMapKeys, items?.patchMergeKey, items?.patchStrategy], ['map', ['name'], 'name', 'merge']);
    assert.deepStrictEqual([thing.field('keyed')?.listType, thing.field('keyed')?.listMapKeys], ['map', ['name', 'proto']]);
    assert.equal(thing.field('tags')?.listType, 'set');
    assert.equal(thing.field('args')?.listType, 'atomic');
    assert.equal(thing.field('overridden')?.listType, 'atomic');
    assert.equal(thing.field('overridden')?.patchStrategy, 'merge');
    assert.equal(thing.field('keyed')?.elements()?.field('proto')?.defaultValue, 'TCP');
    assert.equal(thing.field('keyed')?.elements()?.field('name')?.defaultValue, undefined);
  });

  it('types maps, int-or-string and unknown content', () => {
    assert.equal(thing.field('labels')?.elements()?.kind, 'scalar');
    assert.equal(thing.field('labels')?.field('anything'), undefined);
    assert.equal(thing.field('port')?.kind, 'scalar');
    const free = thing.field('free');
    assert.equal(free?.elements(), deducedStructure());
    assert.equal(thing.field('opaque')?.kind, 'any');
    assert.equal(deducedStructure().elements()?.listType, 'atomic');
    assert.equal(structureFromOpenApi('x.Missing', v3), deducedStructure());
  });

  it('finds the schema of a kind by x-kubernetes-group-version-kind', () => {
    assert.equal(findSchemaForKind(v3, { group: 'x.io', version: 'v1', kind: 'Thing' }), v3.components?.schemas?.['x.Thing']);
    assert.equal(findSchemaForKind(v3, { group: 'x.io', version: 'v2', kind: 'Thing' }), undefined);
    assert.ok(findSchemaForKind(upstreamDocument(), { group: 'apps', version: 'v1', kind: 'Deployment' }) !== undefined);
  });

  it('reads the upstream definitions the way the API server types them', () => {
    const pod = upstreamStructure(DEPLOYMENT).field('spec')?.field('template')?.field('spec');
    const containers = pod?.field('containers');
    assert.deepStrictEqual([containers?.listType, containers?.listMapKeys], ['map', ['name']]);
    const ports = containers?.elements()?.field('ports');
    assert.deepStrictEqual([ports?.listType, ports?.listMapKeys, ports?.patchMergeKey], ['map', ['containerPort', 'protocol'], 'containerPort']);
    assert.equal(ports?.elements()?.field('protocol')?.defaultValue, 'TCP');
    assert.equal(pod?.field('volumes')?.patchStrategy, 'merge,retainKeys');
    assert.equal(upstreamStructure(DEPLOYMENT).field('spec')?.field('selector')?.mapType, 'atomic');
    assert.equal(upstreamStructure(DEPLOYMENT).field('metadata')?.field('finalizers')?.listType, 'set');
    assert.equal(upstreamStructure(SERVICE).field('spec')?.field('ports')?.elements()?.field('protocol')?.defaultValue, 'TCP');
  });
});
