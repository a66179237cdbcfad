import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditOperationSchema, type EditOperation } from '../../src/schemas/operations.js';
import { applyOperations } from '../../src/document/edits/index.js';
import {
  addNodeOperation,
  copySelection,
  deleteOperations,
  freeSpot,
  moveOperations,
  nodeForClipboard,
  parseClipboard,
  pasteOperations,
  withoutDefaults,
} from '../../src/webview/intents.js';
import { designOf, REF, REFERENCE } from './canvas.fixtures.js';

const positionsOf = (d = REF) => new Map(Object.entries(d.layout ?? {}));

function applies(ops: EditOperation[]): string {
  for (const op of ops) assert.ok(EditOperationSchema.safeParse(op).success, JSON.stringify(op));
  const result = applyOperations(REFERENCE, ops);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.text;
}

test('adding a node gives it a fresh id and a rounded position', () => {
  const { op, id, label } = addNodeOperation(REF, 'apiManagement', { x: 10.4, y: 20.6 });
  assert.equal(id, 'apim-2');
  assert.deepEqual(op, { op: 'addNode', node: { id: 'apim-2', type: 'apiManagement' }, position: { x: 10, y: 21 } });
  assert.match(label, /API Management "apim-2"/);
  assert.equal(designOf(applies([op])).layout?.['apim-2']?.x, 10);
});

test('a keyboard add steps away from nodes already at the centre', () => {
  assert.deepEqual(freeSpot({ x: 0, y: 0 }, []), { x: 0, y: 0 });
  assert.deepEqual(freeSpot({ x: 0, y: 0 }, [{ x: 0, y: 0 }, { x: 24, y: 24 }]), { x: 48, y: 48 });
});

test('one drag is one edit: moveNode for one node, setLayout for several', () => {
  assert.equal(moveOperations({}), undefined);
  assert.deepEqual(moveOperations({ apim: { x: 1.2, y: 2.7 } })?.ops, [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 3 } }]);
  const multi = moveOperations({ apim: { x: 1, y: 2 }, aks: { x: 3, y: 4 } });
  assert.deepEqual(multi?.ops, [{ op: 'setLayout', positions: { apim: { x: 1, y: 2 }, aks: { x: 3, y: 4 } } }]);
  assert.equal(multi?.label, 'Move 2 nodes');
});

test('deleting a selection is one edit: edges not removed with their nodes, nodes, certificates', () => {
  const d = deleteOperations(REF, [
    { kind: 'edge', id: 'apim-aks' }, // goes with aks
    { kind: 'edge', id: 'appgw-apim' },
    { kind: 'node', id: 'aks' },
    { kind: 'certificate', id: 'gateway-tls' },
    { kind: 'node', id: 'missing' },
  ]);
  assert.ok(d);
  assert.deepEqual(d.ops, [
    { op: 'disconnect', id: 'appgw-apim' },
    { op: 'deleteNode', id: 'aks' },
    { op: 'removeCertificate', id: 'gateway-tls' },
  ]);
  assert.equal(d.label, 'Delete 1 node, 1 edge, 1 certificate');
  const after = designOf(applies(d.ops));
  assert.ok(!after.nodes.some((n) => n.id === 'aks'));
  assert.ok(!after.edges.some((e) => e.from === 'aks' || e.to === 'aks' || (e.from === 'appgw' && e.to === 'apim')));
  assert.equal(deleteOperations(REF, []), undefined);
});

test('a copied node keeps only what differs from the defaults, and never its Azure name', () => {
  assert.deepEqual(withoutDefaults({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 2, d: 4 }, e: [1] }), { b: { d: 3 } });
  const apim = REF.nodes.find((n) => n.id === 'apim')!;
  const clip = nodeForClipboard({ ...apim, name: 'contoso-apim' } as typeof apim);
  assert.equal(clip.name, undefined);
  assert.equal((clip.properties as Record<string, unknown>).hostName, 'gateway.internal.contoso.com');
  assert.equal((clip.properties as Record<string, unknown>).sku, undefined, 'a default (Developer) is left out');
  assert.equal((clip.properties as Record<string, unknown>).minTlsVersion, undefined, 'a default is left out');
  const identity = nodeForClipboard(REF.nodes.find((n) => n.type === 'managedIdentity')!);
  assert.equal(identity.properties, undefined);
});

test('paste remaps ids, offsets positions and keeps the edges between copied nodes', () => {
  const clip = copySelection(REF, ['aks', 'sql', 'workload-identity', 'nope'], positionsOf());
  assert.ok(clip);
  assert.deepEqual(clip.nodes.map((n) => n.id), ['aks', 'workload-identity', 'sql']);
  // Only aks -> sql (privateLink, identity workload-identity) joins copied nodes.
  assert.deepEqual(clip.edges.map((e) => `${e.from}-${e.to}:${e.type}`), ['aks-sql:privateLink']);
  const text = JSON.stringify(clip);
  const back = parseClipboard(text);
  assert.deepEqual(back, clip);
  assert.equal(parseClipboard('{"kind":"other"}'), undefined);
  assert.equal(parseClipboard('not json'), undefined);

  const p = pasteOperations(back!, REF, { x: 40, y: 40 });
  assert.deepEqual(p.ids, ['aks-2', 'workload-identity-2', 'sql-2']);
  const add = p.ops.find((o) => o.op === 'addNode' && o.node.id === 'aks-2');
  assert.deepEqual(add && add.op === 'addNode' ? add.position : undefined, { x: REF.layout!.aks!.x + 40, y: REF.layout!.aks!.y + 40 });
  const connect = p.ops.find((o) => o.op === 'connect');
  assert.deepEqual(connect && connect.op === 'connect' ? connect.edge : undefined, {
    from: 'aks-2',
    to: 'sql-2',
    type: 'privateLink',
    properties: { identity: 'workload-identity-2' },
  });
  const after = designOf(applies(p.ops));
  assert.equal(after.nodes.length, REF.nodes.length + 3);
  const pasted = after.nodes.find((n) => n.id === 'aks-2');
  assert.equal(pasted?.type, 'aksCluster');
  assert.equal(pasted?.type === 'aksCluster' && pasted.properties.ingress.hostName, 'orders.internal.contoso.com');
});

test('pasting twice gives fresh ids again; edges with explicit ids get new explicit ids', () => {
  const clip = copySelection(REF, ['aks', 'kv'], positionsOf())!;
  const first = pasteOperations(clip, REF, { x: 40, y: 40 });
  const once = designOf(applies(first.ops));
  const second = pasteOperations(clip, once, { x: 80, y: 80 });
  assert.deepEqual(second.ids, ['aks-3', 'kv-3']);
  const edgeIds = first.ops.flatMap((o) => (o.op === 'connect' ? [o.edge.id ?? `${o.edge.from}-${o.edge.to}`] : []));
  assert.equal(new Set(edgeIds).size, edgeIds.length, 'no two pasted edges share an id');
  const result = applyOperations(applies(first.ops), second.ops);
  assert.ok(result.ok, result.ok ? '' : result.error);
});
