import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODE_ID_PATTERN, NODE_TYPES } from '../../src/schemas/design.js';
import { allocateId, copyNodeId, newCertificateId, newEdgeId, newNodeId, nodeIds, slugId } from '../../src/webview/ids.js';
import { REF } from './canvas.fixtures.js';

test('a new node gets the base id of its type, then -2, -3', () => {
  assert.equal(newNodeId('apiManagement', new Set()), 'apim');
  assert.equal(newNodeId('apiManagement', new Set(['apim'])), 'apim-2');
  assert.equal(newNodeId('apiManagement', new Set(['apim', 'apim-2'])), 'apim-3');
  assert.equal(newNodeId('keyVault', nodeIds(REF)), 'kv-2');
  assert.equal(newNodeId('internet', (id) => id === 'internet'), 'internet-2');
});

test('every node type has a base id that is a valid node id', () => {
  for (const type of NODE_TYPES) assert.match(newNodeId(type, new Set()), NODE_ID_PATTERN, type);
});

test('allocated ids stay within the length limit and never end with a hyphen', () => {
  const base = `a${'b'.repeat(38)}-`; // 40 characters, ends with a hyphen
  const first = allocateId(base, new Set());
  assert.ok(first.length <= 40 && !first.endsWith('-'), first);
  const second = allocateId(base, new Set([first]));
  assert.ok(second.length <= 40 && second.endsWith('-2'), second);
  assert.match(second, NODE_ID_PATTERN);
});

test('a copy drops a numeric suffix before allocating, but keeps zero-padded numbers', () => {
  assert.equal(copyNodeId('apim', new Set(['apim'])), 'apim-2');
  assert.equal(copyNodeId('apim-2', new Set(['apim', 'apim-2'])), 'apim-3');
  assert.equal(copyNodeId('db-0001', new Set(['db-0001'])), 'db-0001-2');
});

test('a new edge needs an explicit id only when "<from>-<to>" is taken', () => {
  assert.equal(newEdgeId('a', 'b', 'https', new Set()), undefined);
  assert.equal(newEdgeId('a', 'b', 'https', new Set(['a-b'])), 'a-b-https');
  assert.equal(newEdgeId('a', 'b', 'https', new Set(['a-b', 'a-b-https'])), 'a-b-https-2');
});

test('certificate ids and slugs', () => {
  assert.equal(newCertificateId('apim-client', new Set(['apim-client'])), 'apim-client-2');
  assert.equal(slugId('My API Gateway!'), 'my-api-gateway');
  assert.equal(slugId('42'), 'node');
});
