/**
 * applyOperations: several operations in sequence, with the edits composed against the original text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, applyOperation, applyOperations } from '../../src/document/edits/index.js';
import type { EditOperation, TextEdit } from '../../src/schemas/operations.js';
import { apply, fixture, lineDiff } from './edits.helpers.js';

const FILE = fixture('commented');

function assertSortedDisjoint(edits: TextEdit[]): void {
  edits.forEach((e, i) => {
    const next = edits[i + 1];
    if (next) assert.ok(e.offset + e.length <= next.offset, `edits ${i} and ${i + 1} overlap or are not sorted`);
  });
}

test('operations that build on each other compose into edits of the original', () => {
  const ops: EditOperation[] = [
    { op: 'addNode', node: { id: 'acr', type: 'containerRegistry' }, position: { x: 600, y: 0 } },
    { op: 'setProperty', target: { kind: 'node', id: 'acr' }, path: ['properties', 'sku'], value: 'Premium' },
    { op: 'renameNode', id: 'acr', newId: 'registry' },
    { op: 'connect', edge: { from: 'aks', to: 'registry', type: 'imagePull' } },
    { op: 'moveNode', id: 'appgw', position: { x: 250, y: 0 } },
    { op: 'deleteNode', id: 'internet' },
    { op: 'updateCertificate', id: 'ingress-tls', changes: { autoRenew: true } },
  ];
  const r = applyOperations(FILE, ops);
  assert.ok(r.ok, r.ok ? '' : r.error);
  const stepwise = ops.reduce(apply, FILE);
  assert.equal(r.text, stepwise);
  assert.equal(applyEdits(FILE, r.edits), r.text);
  assertSortedDisjoint(r.edits);
  assert.deepEqual(lineDiff(FILE, r.text), [
    { line: 22, removed: [], added: ['    autoRenew: true'] },
    { line: 25, removed: ['  - id: internet', '    type: internet'], added: [] },
    {
      line: 43,
      removed: [],
      added: ['  - id: registry', '    type: containerRegistry', '    properties:', '      sku: Premium'],
    },
    { line: 46, removed: ['  - { from: internet, to: appgw, type: https }'], added: [] },
    { line: 55, removed: [], added: ['  - { from: aks, to: registry, type: imagePull }'] },
    {
      line: 57,
      removed: ['  internet: { x: 0, y: 0 }', '  appgw: { x: 200, y: 0 } # moved by hand'],
      added: ['  appgw: { x: 250, y: 0 } # moved by hand'],
    },
    { line: 60, removed: [], added: ['  registry: { x: 600, y: 0 }'] },
  ]);
  // Each composed edit stays small: the new node is one insertion, not a rewrite of the file.
  assert.ok(r.edits.every((e) => e.length < 80), JSON.stringify(r.edits));
});

test('an edit undone by a later one disappears from the composition', () => {
  const r = applyOperations(FILE, [
    { op: 'moveNode', id: 'appgw', position: { x: 1, y: 1 } },
    { op: 'moveNode', id: 'appgw', position: { x: 200, y: 0 } },
  ]);
  assert.ok(r.ok);
  assert.equal(r.text, FILE);
  assert.equal(applyEdits(FILE, r.edits), FILE);
});

test('the first refused operation stops the sequence and is named', () => {
  const r = applyOperations(FILE, [
    { op: 'moveNode', id: 'appgw', position: { x: 1, y: 1 } },
    { op: 'deleteNode', id: 'ghost' },
    { op: 'deleteNode', id: 'aks' },
  ]);
  assert.deepEqual(r, { ok: false, error: 'node "ghost" does not exist', index: 1 });
});

test('no operation: no edit', () => {
  assert.deepEqual(applyOperations(FILE, []), { ok: true, text: FILE, edits: [] });
});

test('a fix with several operations is one undoable change', () => {
  // A rule fix: swap the listener certificate and drop an override, in one go.
  const r = applyOperations(FILE, [
    { op: 'setProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'certificate'], value: 'ingress-tls' },
    { op: 'unsetProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'minTlsVersion'] },
  ]);
  assert.ok(r.ok);
  const single = applyOperation(FILE, { op: 'unsetProperty', target: { kind: 'node', id: 'appgw' }, path: ['properties', 'minTlsVersion'] });
  assert.ok(single.ok);
  assert.deepEqual(lineDiff(FILE, r.text), [{ line: 32, removed: ['      minTlsVersion: "1.2"'], added: ['      certificate: ingress-tls'] }]);
  assertSortedDisjoint(r.edits);
});

test('renames and moves on the reference design keep it valid with no finding', async () => {
  const { analyze } = await import('../../src/validation/analyze.js');
  const { REFERENCE } = await import('../helpers/reference.js');
  const now = new Date('2026-11-27T12:00:00Z');
  // The reference has no finding; comparing rule ids keeps this test about the edits, not about the rules.
  const rules = (text: string) => analyze(text, { now }).findings.map((f) => f.ruleId).sort();
  const before = rules(REFERENCE);
  const r = applyOperations(REFERENCE, [
    { op: 'renameNode', id: 'workload-identity', newId: 'orders-identity' },
    { op: 'renameNode', id: 'kv', newId: 'vault' },
    { op: 'renameNode', id: 'apim', newId: 'gateway' },
    { op: 'updateCertificate', id: 'internal-ca', changes: { id: 'root-ca' } },
    { op: 'updateCertificate', id: 'apim-client', changes: { id: 'gateway-client' } },
    { op: 'moveNode', id: 'gateway', position: { x: 470.2, y: 180.7 } },
    { op: 'setLayout', positions: { aks: { x: 700, y: 220 }, vault: { x: 990, y: 410 } } },
  ]);
  assert.ok(r.ok, r.ok ? '' : r.error);
  const analysis = analyze(r.text, { now });
  assert.equal(analysis.parsed.complete, true);
  assert.deepEqual(rules(r.text), before);
  assert.equal(applyEdits(REFERENCE, r.edits), r.text);
});
