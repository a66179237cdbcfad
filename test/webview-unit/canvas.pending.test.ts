/**
 * Optimistic edits (src/webview/canvas/pending.ts) and the store's queue of unanswered intents: the effect drawn
 * at once must be the host's own answer (checked against the core: applyOperations on the text, then parsed), a
 * new host state wins and the intents it has not answered are drawn again on top, a refusal takes its intent back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOperations } from '../../src/document/edits/index.js';
import type { Design } from '../../src/schemas/design.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { applyIntent, markPending, pendingMarks, rebase, setIn, unanswered, unsetIn, type PendingIntent } from '../../src/webview/canvas/pending.js';
import { INITIAL_STATE, reduce, resolvePositions, type ViewState } from '../../src/webview/store.js';
import { designOf, REF, REFERENCE, stateOf } from './canvas.fixtures.js';

/** What the host draws after it carried out `ops` on the reference text. */
function hostAnswer(ops: readonly EditOperation[], text = REFERENCE): Design {
  const result = applyOperations(text, ops);
  assert.ok(result.ok, `the core applies ${JSON.stringify(ops)}`);
  return designOf(result.text);
}

const CASES: Record<string, EditOperation[]> = {
  'add a node with a position': [{ op: 'addNode', node: { id: 'apim-2', type: 'apiManagement' }, position: { x: 700, y: 40 } }],
  'add a node with properties and a label': [
    { op: 'addNode', node: { id: 'db-2', type: 'sqlDatabase', label: 'Orders DB', properties: { publicNetworkAccess: 'Disabled' } }, position: { x: 1, y: 2 } },
  ],
  'move a node': [{ op: 'moveNode', id: 'apim', position: { x: 480, y: 260 } }],
  'move several nodes': [{ op: 'setLayout', positions: { apim: { x: 1, y: 2 }, aks: { x: 3, y: 4 } } }],
  'connect two nodes': [{ op: 'connect', edge: { from: 'appgw', to: 'appinsights', type: 'diagnostics' } }],
  'connect with an explicit id and properties': [
    { op: 'connect', edge: { id: 'apim-aks-2', from: 'apim', to: 'aks', type: 'mtls', properties: { clientCertificate: 'apim-client' } } },
  ],
  'disconnect an edge': [{ op: 'disconnect', id: 'apim-aks' }],
  'delete a node with its edges and position': [{ op: 'deleteNode', id: 'kv' }],
  'rename a node (edges, layout, references follow)': [{ op: 'renameNode', id: 'kv', newId: 'vault' }],
  'change a property in the inspector': [{ op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'sku'], value: 'Premium' }],
  'change a label': [{ op: 'setProperty', target: { kind: 'node', id: 'aks' }, path: ['label'], value: 'Orders cluster' }],
  'reset a property to its default': [{ op: 'unsetProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'capacity'] }],
  'change an edge property': [{ op: 'setProperty', target: { kind: 'edge', id: 'appgw-apim' }, path: ['properties', 'validateCertificateName'], value: false }],
  'change the metadata': [{ op: 'setProperty', target: { kind: 'metadata' }, path: ['description'], value: 'Payments APIs' }],
  'add a certificate': [{ op: 'addCertificate', certificate: { id: 'extra-ca', role: 'ca' } }],
  'update a certificate': [{ op: 'updateCertificate', id: 'ingress-tls', changes: { dnsNames: ['orders.internal.contoso.com'] } }],
  'remove a certificate': [{ op: 'removeCertificate', id: 'gateway-tls' }],
  'an intent of several operations (paste two nodes and the edge between them)': [
    { op: 'addNode', node: { id: 'sql-2', type: 'sqlDatabase' }, position: { x: 10, y: 10 } },
    { op: 'addNode', node: { id: 'aks-2', type: 'aksCluster' }, position: { x: 200, y: 10 } },
    { op: 'connect', edge: { from: 'aks-2', to: 'sql-2', type: 'privateLink' } },
  ],
};

for (const [name, ops] of Object.entries(CASES)) {
  test(`optimistic effect = the host's answer: ${name}`, () => {
    assert.deepEqual(applyIntent(REF, ops), hostAnswer(ops));
  });
}

test('carrying out an intent keeps the objects it does not touch (the canvas redraws only what changed)', () => {
  const moved = applyIntent(REF, CASES['move a node']!);
  assert.equal(moved.nodes, REF.nodes);
  assert.equal(moved.edges, REF.edges);
  const changed = applyIntent(REF, CASES['change a property in the inspector']!);
  changed.nodes.forEach((n, i) => (n.id === 'apim' ? assert.notEqual(n, REF.nodes[i]) : assert.equal(n, REF.nodes[i])));
});

test('an intent the host already carried out changes nothing when applied again (rebase is safe on an answered state)', () => {
  for (const [name, ops] of Object.entries(CASES)) {
    if (name.startsWith('rename') || name.startsWith('update') || name.includes('property') || name.includes('label') || name.includes('metadata')) continue;
    const answered = hostAnswer(ops);
    assert.deepEqual(applyIntent(answered, ops), answered, name);
  }
});

test('an operation that does not apply is skipped, the rest of the intent is drawn', () => {
  const ops: EditOperation[] = [
    { op: 'deleteNode', id: 'ghost' },
    { op: 'connect', edge: { from: 'ghost', to: 'aks', type: 'https' } },
    { op: 'addNode', node: { id: 'apim', type: 'apiManagement' } },
    { op: 'addNode', node: { id: 'Bad Id', type: 'apiManagement' } },
    { op: 'moveNode', id: 'apim', position: { x: 5, y: 6 } },
  ];
  const out = applyIntent(REF, ops);
  assert.equal(out.nodes, REF.nodes);
  assert.equal(out.edges, REF.edges);
  assert.deepEqual(out.layout?.apim, { x: 5, y: 6 });
});

test('setIn / unsetIn copy the way to the value and leave the rest shared', () => {
  const root = { a: { b: 1, c: [1, 2, 3] }, d: { e: 1 } };
  const set = setIn(root, ['a', 'c', 1], 9) as typeof root;
  assert.deepEqual(set, { a: { b: 1, c: [1, 9, 3] }, d: { e: 1 } });
  assert.equal(set.d, root.d);
  assert.deepEqual(root.a.c, [1, 2, 3], 'the original is untouched');
  assert.deepEqual(setIn({}, ['x', 'y'], 1), { x: { y: 1 } });
  assert.deepEqual(unsetIn(root, ['a', 'c', 0]), { a: { b: 1, c: [2, 3] }, d: { e: 1 } });
  assert.equal(unsetIn(root, ['a', 'zzz']), root);
});

test('rebase: the host state with the unanswered intents on top, in order; unanswered() drops those up to ack', () => {
  const intents: PendingIntent[] = [
    { seq: 1, ops: CASES['add a node with a position']!, label: 'Add' },
    { seq: 2, ops: [{ op: 'moveNode', id: 'apim-2', position: { x: 900, y: 90 } }], label: 'Move' },
    { seq: 3, ops: CASES['change a property in the inspector']!, label: 'Set sku' },
  ];
  const all = rebase(REF, intents);
  assert.deepEqual(all.layout?.['apim-2'], { x: 900, y: 90 }, 'the move of the added node applies after the add');
  assert.deepEqual(all, hostAnswer(intents.flatMap((i) => i.ops)));
  assert.deepEqual(unanswered(intents, 0), intents);
  assert.equal(unanswered(intents, 0), intents, 'nothing answered: the same queue');
  assert.deepEqual(unanswered(intents, 2).map((i) => i.seq), [3]);
  assert.deepEqual(unanswered(intents, 3), []);
});

test('pending marks name what the intents add, move or change', () => {
  const marks = pendingMarks([
    { seq: 1, ops: CASES['an intent of several operations (paste two nodes and the edge between them)']!, label: 'Paste' },
    { seq: 2, ops: CASES['change an edge property']!, label: 'Set' },
    { seq: 3, ops: [{ op: 'renameNode', id: 'sql-2', newId: 'orders-db' }], label: 'Rename' },
  ]);
  assert.deepEqual([...marks.nodes].sort(), ['aks-2', 'orders-db']);
  assert.deepEqual([...marks.edges].sort(), ['aks-2-sql-2', 'appgw-apim']);
});

test('pending marks keep the sets of the previous marks that hold the same ids, so that what is built from them is not built again', () => {
  const move = (seq: number, id: string): PendingIntent => ({ seq, ops: [{ op: 'moveNode', id, position: { x: seq, y: 0 } }], label: 'Move' });
  const first = pendingMarks([move(1, 'apim')]);
  assert.deepEqual([...first.nodes], ['apim']);
  const again = pendingMarks([move(1, 'apim'), move(2, 'apim')], first);
  assert.equal(again, first, 'the same ids: the same marks');
  const other = pendingMarks([move(1, 'apim'), move(2, 'aks')], first);
  assert.notEqual(other.nodes, first.nodes);
  assert.deepEqual([...other.nodes].sort(), ['aks', 'apim']);
  assert.equal(other.edges, first.edges, 'no edge marked before or after: the same (empty) set of edges');
});

test('markPending marks and unmarks with a class and data-pending, keeping every other element the same object', () => {
  const els: { id: string; className: string; domAttributes?: object }[] = [
    { id: 'a', className: 'gwc-node' },
    { id: 'b', className: 'gwc-node' },
  ];
  const marked = markPending(els, new Set(['b']));
  assert.equal(marked[0], els[0]);
  assert.equal(marked[1]!.className, 'gwc-node gwc-pending');
  assert.deepEqual(marked[1]!.domAttributes, { 'data-pending': 'true' });
  assert.equal(markPending(marked, new Set(['b'])), marked, 'nothing changes: the same array');
  const unmarked = markPending(marked, new Set());
  assert.equal(unmarked[1]!.className, 'gwc-node');
  assert.deepEqual(unmarked[1]!.domAttributes, {});
});

// ---------------------------------------------------------------- the store's queue

function start(): ViewState {
  return reduce(INITIAL_STATE, { type: 'state', message: { ...stateOf(REFERENCE, 1), ack: 0 } });
}

test('an intent is drawn at once and marked pending; the host state that acknowledges it settles it', () => {
  const add = CASES['add a node with a position']!;
  let s = start();
  s = reduce(s, { type: 'intent', seq: 1, ops: add, label: 'Add' });
  assert.ok(s.design?.nodes.some((n) => n.id === 'apim-2'), 'drawn before the host answers');
  assert.deepEqual(resolvePositions(s).get('apim-2'), { x: 700, y: 40 });
  assert.deepEqual([...s.marks.nodes], ['apim-2']);
  assert.equal(s.nextSeq, 2);
  assert.equal(s.hostDesign?.nodes.some((n) => n.id === 'apim-2'), false);

  const text = applyOperations(REFERENCE, add);
  assert.ok(text.ok);
  // The shape state comes first (findings pending): the findings drawn so far stay.
  const findings = s.drawnFindings;
  s = reduce(s, { type: 'state', message: { ...stateOf(text.text, 2), findings: [], findingsPending: true, ack: 1 } });
  assert.deepEqual(s.intents, []);
  assert.equal(s.marks.nodes.size, 0, 'no longer pending');
  assert.ok(s.design?.nodes.some((n) => n.id === 'apim-2'));
  assert.equal(s.drawnFindings, findings);
  s = reduce(s, { type: 'state', message: { ...stateOf(text.text, 2), ack: 1 } });
  assert.notEqual(s.drawnFindings, findings, 'the analysis brings the findings');
});

test('several intents in flight: each host state keeps the ones it has not answered, drawn on top of it', () => {
  let s = start();
  const first = CASES['add a node with a position']!;
  const second: EditOperation[] = [{ op: 'connect', edge: { from: 'apim-2', to: 'aks', type: 'mtls', properties: { clientCertificate: 'apim-client' } } }];
  const third = CASES['change a label']!;
  s = reduce(s, { type: 'intent', seq: 1, ops: first, label: 'Add' });
  s = reduce(s, { type: 'intent', seq: 2, ops: second, label: 'Connect' });
  s = reduce(s, { type: 'intent', seq: 3, ops: third, label: 'Label' });
  assert.deepEqual(s.design, hostAnswer([...first, ...second, ...third]));

  // The host answered the first only.
  const one = applyOperations(REFERENCE, first);
  assert.ok(one.ok);
  s = reduce(s, { type: 'state', message: { ...stateOf(one.text, 2), ack: 1 } });
  assert.deepEqual(s.intents.map((i) => i.seq), [2, 3]);
  assert.deepEqual(s.design, hostAnswer([...first, ...second, ...third]), 'nothing lost');
  assert.deepEqual([...s.marks.edges], ['apim-2-aks']);
  assert.deepEqual([...s.marks.nodes], ['aks']);

  // Someone types in the text editor meanwhile (a state that answers nothing new): still on top.
  const typed = one.text.replace('sku: Developer', 'sku: Premium');
  s = reduce(s, { type: 'state', message: { ...stateOf(typed, 3), ack: 1 } });
  const apim = s.design?.nodes.find((n) => n.id === 'apim');
  assert.ok(apim?.type === 'apiManagement' && apim.properties.sku === 'Premium', 'the host wins where it spoke');
  assert.ok(s.design?.edges.some((e) => e.from === 'apim-2' && e.to === 'aks'), 'the unanswered connect is still drawn');

  // All answered.
  const all = applyOperations(typed, [...second, ...third]);
  assert.ok(all.ok);
  s = reduce(s, { type: 'state', message: { ...stateOf(all.text, 4), ack: 3 } });
  assert.deepEqual(s.intents, []);
  assert.deepEqual(s.design, designOf(all.text));
  assert.equal(s.design, s.hostDesign, 'nothing pending: the host design itself');
});

test('a refused intent is taken back and its reason kept for the banner; the intents after it stay', () => {
  let s = start();
  s = reduce(s, { type: 'select', selection: [{ kind: 'node', id: 'kv' }] });
  s = reduce(s, { type: 'intent', seq: 1, ops: CASES['delete a node with its edges and position']!, label: 'Delete 1 node' });
  assert.equal(s.design?.nodes.some((n) => n.id === 'kv'), false);
  assert.deepEqual(s.selection, [], 'the deleted node is no longer selected');
  s = reduce(s, { type: 'intent', seq: 2, ops: CASES['move a node']!, label: 'Move "apim"' });
  s = reduce(s, { type: 'refused', seq: 1, reason: 'could not delete kv: the document is read-only' });
  assert.ok(s.design?.nodes.some((n) => n.id === 'kv'), 'the node is back');
  assert.deepEqual(s.design?.layout?.apim, { x: 480, y: 260 }, 'the later intent is still drawn');
  assert.deepEqual(s.refusal, { seq: 1, label: 'Delete 1 node', reason: 'could not delete kv: the document is read-only' });
  // The state that follows the refusal acknowledges it; the banner stays until the next intent or its close button.
  s = reduce(s, { type: 'state', message: { ...stateOf(REFERENCE, 1), ack: 1 } });
  assert.ok(s.refusal);
  s = reduce(s, { type: 'dismissRefusal' });
  assert.equal(s.refusal, undefined);
  s = reduce(s, { type: 'refused', seq: 2, reason: 'x' });
  assert.deepEqual(s.design?.layout?.apim, REF.layout?.apim, "the host's place again");
  s = reduce(s, { type: 'intent', seq: 3, ops: CASES['move a node']!, label: 'Move' });
  assert.equal(s.refusal, undefined, 'the next intent hides the banner');
});

test('a refused move puts the node back where the host has it, even where the drag left a position waiting for the host', () => {
  let s = start();
  // A drag: the canvas keeps the dropped position (so that the node does not jump back while the edit travels), then sends the move.
  s = reduce(s, { type: 'moved', positions: { apim: { x: 480, y: 260 } } });
  s = reduce(s, { type: 'intent', seq: 1, ops: CASES['move a node']!, label: 'Move "apim"' });
  assert.deepEqual(resolvePositions(s).get('apim'), { x: 480, y: 260 }, 'drawn where it was dropped');
  // The text stops parsing (the state keeps the last good drawing), then the host refuses the move.
  s = reduce(s, { type: 'state', message: { ...stateOf('nodes: [', 2), ack: 0 } });
  s = reduce(s, { type: 'refused', seq: 1, reason: 'the file is not valid YAML' });
  assert.deepEqual(resolvePositions(s).get('apim'), REF.layout?.apim, "back at the host's position");
  assert.equal(s.refusal?.label, 'Move "apim"');

  // A later move of the same node, still unanswered, keeps its position when an earlier one is refused.
  let t = start();
  t = reduce(t, { type: 'moved', positions: { apim: { x: 1, y: 2 } } });
  t = reduce(t, { type: 'intent', seq: 1, ops: [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 2 } }], label: 'Move "apim"' });
  t = reduce(t, { type: 'moved', positions: { apim: { x: 480, y: 260 } } });
  t = reduce(t, { type: 'intent', seq: 2, ops: CASES['move a node']!, label: 'Move "apim"' });
  t = reduce(t, { type: 'refused', seq: 1, reason: 'x' });
  assert.deepEqual(resolvePositions(t).get('apim'), { x: 480, y: 260 }, 'the later move still drawn');
});

test('a state without ack (a host that does not number intents) answers every intent; out-of-order seqs are ignored', () => {
  let s = start();
  s = reduce(s, { type: 'intent', seq: 1, ops: CASES['move a node']!, label: 'Move' });
  assert.equal(reduce(s, { type: 'intent', seq: 5, ops: CASES['move a node']!, label: 'Move' }), s);
  s = reduce(s, { type: 'state', message: stateOf(REFERENCE, 2) });
  assert.deepEqual(s.intents, []);
  assert.deepEqual(s.design?.layout?.apim, REF.layout?.apim, "the host's design");
  assert.equal(reduce(INITIAL_STATE, { type: 'intent', seq: 1, ops: CASES['move a node']!, label: 'Move' }), INITIAL_STATE, 'nothing drawn yet: no intent kept');
});
