/** The element under the text cursor, for selecting it on the canvas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { elementAt } from '../../src/extension/designer/element-at.js';
import { REFERENCE } from '../helpers/reference.js';

const doc = parseDocument(REFERENCE);
const at = (needle: string, delta = 0) => {
  const i = REFERENCE.indexOf(needle);
  assert.ok(i >= 0, needle);
  return elementAt(doc, REFERENCE, i + delta);
};

test('nodes, edges (own id or from-to), certificates and layout lines', () => {
  assert.deepEqual(at('sku: Developer'), { kind: 'node', id: 'apim' });
  assert.deepEqual(at('  - id: apim\n'), { kind: 'node', id: 'apim' }, 'on the indentation before the dash');
  assert.deepEqual(at('  - id: apim\n', 2), { kind: 'node', id: 'apim' }, 'on the dash');
  assert.deepEqual(at('role: client'), { kind: 'certificate', id: 'apim-client' });
  assert.deepEqual(at('- { from: internet', 5), { kind: 'edge', id: 'internet-appgw' });
  assert.deepEqual(at('  appgw: { x', 4), { kind: 'node', id: 'appgw' });
});

test('outside every entry: nothing', () => {
  assert.equal(at('apiVersion'), undefined);
  assert.equal(at('  name: payments'), undefined);
  assert.equal(elementAt(parseDocument('just text'), 'just text', 3), undefined);
  assert.equal(elementAt(parseDocument('nodes: [\n'), 'nodes: [\n', 3), undefined);
  assert.equal(elementAt(undefined, '', 0), undefined);
});

test('an edge with an id of its own is named by it', () => {
  const text = 'edges:\n  - id: e1\n    from: a\n    to: b\n    type: https\n';
  assert.deepEqual(elementAt(parseDocument(text), text, text.indexOf('from')), { kind: 'edge', id: 'e1' });
});
