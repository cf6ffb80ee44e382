import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NamespaceCache } from '../../../../src/cluster/apiserver/storage/namespace-cache.js';

test('namespace cache: trusts only the newest news, and only "active"', () => {
  const c = new NamespaceCache();
  assert.equal(c.isActive('a'), false, 'unknown: look it up');
  c.observe('a', { metadata: { name: 'a' } }, 5);
  assert.equal(c.isActive('a'), true);
  c.observe('a', { metadata: { name: 'a', deletionTimestamp: '2026-01-01T00:00:00Z' } }, 7);
  assert.equal(c.isActive('a'), false, 'terminating');
  c.observe('a', { metadata: { name: 'a' } }, 6);
  assert.equal(c.isActive('a'), false, 'a late watch event does not undo a newer write');
  c.observe('a', undefined, 9);
  assert.equal(c.isActive('a'), false, 'deleted');
  c.observe('a', { metadata: { name: 'a' } }, 12);
  assert.equal(c.isActive('a'), true, 'created again');
});
