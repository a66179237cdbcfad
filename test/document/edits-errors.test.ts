/**
 * applyOperation never throws: broken text, unknown operations and arbitrary input give `{ ok: false }`
 * with a message; whatever it accepts leaves valid YAML.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { applyEdits, applyOperation } from '../../src/document/edits/index.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { REFERENCE } from '../helpers/reference.js';
import { fixture, refusal } from './edits.helpers.js';

const MOVE: EditOperation = { op: 'moveNode', id: 'apim', position: { x: 1, y: 2 } };

test('text that is not valid YAML is refused with its line and column', () => {
  const error = refusal('nodes:\n  - id: a\n   type: x\n  - [\n', MOVE);
  assert.match(error, /^the file is not valid YAML \(line \d+, column \d+\): .+; fix it in the text first$/);
});

test('duplicate keys are refused, also in large maps', () => {
  assert.match(refusal('nodes: []\nnodes: []\n', MOVE), /line 2, column 1.*unique/);
  let layout = 'layout:\n';
  for (let i = 0; i < 3000; i++) layout += `  n${i}: { x: 0, y: 0 }\n`;
  assert.match(refusal(`${layout}  n7: { x: 1, y: 1 }\n`, MOVE), /line 3002, column 3.*unique \("n7"\)/);
});

test('a text that is not a YAML mapping is refused', () => {
  for (const text of ['', '# only a comment\n', '- a\n- b\n', 'just a string\n', '42\n']) {
    assert.equal(refusal(text, MOVE), 'the file does not hold a design: its top level is not a YAML mapping', JSON.stringify(text));
  }
  assert.match(refusal('a: 1\n---\nb: 2\n', MOVE), /not valid YAML/);
});

test('sections of the wrong kind are refused', () => {
  const text = 'nodes: { a: 1 }\ncertificates: none\nlayout: [1]\n';
  assert.equal(refusal(text, { op: 'addNode', node: { id: 'a', type: 'internet' } }), '"nodes" is not a list; fix it in the text first');
  assert.equal(refusal(text, { op: 'addCertificate', certificate: { id: 'c', role: 'ca' } }), '"certificates" is not a list; fix it in the text first');
  assert.match(refusal('nodes:\n  - id: a\n    type: internet\nlayout: [1]\n', { op: 'moveNode', id: 'a', position: { x: 0, y: 0 } }), /"layout" is not a map/);
});

test('an edit through an alias is refused, not followed', () => {
  const text = 'base: &p { sku: WAF_v2 }\nnodes:\n  - id: a\n    type: applicationGateway\n    properties: *p\n';
  const r = applyOperation(text, { op: 'setProperty', target: { kind: 'node', id: 'a' }, path: ['properties', 'sku'], value: 'Standard_v2' });
  assert.deepEqual(r, { ok: false, error: 'properties of node "a" is an alias, not a map or a list' });
});

test('never throws, whatever the operation', () => {
  const file = fixture('commented');
  fc.assert(
    fc.property(fc.anything(), (op) => {
      const r = applyOperation(file, op as EditOperation);
      assert.equal(typeof r.ok, 'boolean');
      if (!r.ok) assert.ok(r.error.length > 0);
    }),
    { numRuns: 300 },
  );
});

test('never throws on damaged text; what it accepts still parses', () => {
  const ops: EditOperation[] = [
    { op: 'addNode', node: { id: 'waf', type: 'applicationGateway', properties: { sku: 'WAF_v2' } }, position: { x: 1, y: 2 } },
    { op: 'deleteNode', id: 'aks' },
    { op: 'renameNode', id: 'kv', newId: 'vault' },
    { op: 'connect', edge: { from: 'apim', to: 'sql', type: 'https' } },
    { op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'apis', 0, 'path'], value: 'v2' },
    { op: 'unsetProperty', target: { kind: 'edge', id: 'apim-aks' }, path: ['properties', 'clientCertificate'] },
    { op: 'updateCertificate', id: 'internal-ca', changes: { id: 'root-ca', keyVault: null } },
  ];
  fc.assert(
    fc.property(fc.nat({ max: REFERENCE.length }), fc.nat({ max: 40 }), fc.constantFrom('', ' ', '\n', '-', ':', '{', '  - x', '#'), fc.constantFrom(...ops), (at, cut, insert, op) => {
      const text = REFERENCE.slice(0, at) + insert + REFERENCE.slice(at + cut);
      const r = applyOperation(text, op);
      if (r.ok) assert.equal(parseDocument(applyEdits(text, r.edits)).errors.length, 0);
      else assert.ok(r.error.length > 0);
    }),
    { numRuns: 300 },
  );
});

test('applyEdits refuses overlapping edits instead of corrupting the text', () => {
  assert.throws(
    () =>
      applyEdits('abcdef', [
        { offset: 1, length: 3, text: 'x' },
        { offset: 2, length: 1, text: 'y' },
      ]),
    RangeError,
  );
  assert.throws(() => applyEdits('abc', [{ offset: 2, length: 5, text: '' }]), RangeError);
  assert.equal(
    applyEdits('abcdef', [
      { offset: 4, length: 1, text: 'E' },
      { offset: 0, length: 0, text: '>' },
    ]),
    '>abcdEf',
  );
});
