import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFlowEdges, buildFlowNodes, edgeText, findingCounts, keySettings, nodeAriaLabel, onlyAppendedUnnamed, selectionSets, trustLookup } from '../../src/webview/graph.js';
import { BROKEN_MTLS, designOf, REF, stateOf } from './canvas.fixtures.js';

const positions = new Map(Object.entries(REF.layout ?? {}));

test('a node says what it is and how many problems it has', () => {
  assert.equal(nodeAriaLabel('apiManagement', 'apim', { errors: 2, warnings: 0 }), 'API Management apim: 2 errors');
  assert.equal(nodeAriaLabel('keyVault', 'kv', { errors: 1, warnings: 1 }), 'Key Vault kv: 1 error, 1 warning');
  assert.equal(nodeAriaLabel('keyVault', 'kv', undefined), 'Key Vault kv');
  const apim = REF.nodes.find((n) => n.id === 'apim')!;
  assert.deepEqual(keySettings(apim), ['Developer', 'Internal VNet', 'gateway.internal.contoso.com']);
  const aks = REF.nodes.find((n) => n.id === 'aks')!;
  assert.deepEqual(keySettings(aks), ['private', 'appRouting', 'mTLS verify on']);
});

test('finding counts per element ignore infos and document findings', () => {
  const counts = findingCounts(stateOf(BROKEN_MTLS, 1).findings);
  assert.deepEqual(counts.get('edge:apim-aks'), { errors: 1, warnings: 0 });
  for (const [key] of counts) assert.ok(!key.startsWith('document'));
});

test('flow nodes carry data, position, selection and aria label, and unchanged ones are reused', () => {
  const counts = new Map([['node:apim', { errors: 2, warnings: 1 }]]);
  const first = buildFlowNodes({ design: REF, positions, counts, selected: new Set(['aks']) }, []);
  assert.equal(first.length, 16);
  const apim = first.find((n) => n.id === 'apim')!;
  assert.equal(apim.type, 'arch');
  assert.deepEqual(apim.position, { x: 525, y: 274 });
  assert.equal(apim.data.errors, 2);
  assert.equal(apim.ariaLabel, 'API Management apim: 2 errors, 1 warning');
  assert.equal(first.find((n) => n.id === 'aks')!.selected, true);

  const measured = first.map((n) => ({ ...n, measured: { width: 160, height: 72 } }));
  const again = buildFlowNodes({ design: REF, positions, counts, selected: new Set(['aks']) }, measured);
  assert.ok(again.every((n, i) => n === measured[i]), 'same inputs, same objects');
  const moved = buildFlowNodes({ design: REF, positions: new Map([...positions, ['apim', { x: 1, y: 2 }]]), counts, selected: new Set() }, measured);
  const changed = moved.filter((n, i) => n !== measured[i]).map((n) => n.id).sort();
  assert.deepEqual(changed, ['aks', 'apim']);
  assert.deepEqual(moved.find((n) => n.id === 'apim')!.measured, { width: 160, height: 72 }, 'the measured size is kept');
});

test('nodes without a position are placed under the others', () => {
  const nodes = buildFlowNodes({ design: REF, positions: new Map([['apim', { x: 0, y: 0 }]]), counts: new Map(), selected: new Set() }, []);
  const others = nodes.filter((n) => n.id !== 'apim');
  assert.ok(others.every((n) => n.position.y > 72));
  assert.equal(new Set(others.map((n) => `${n.position.x},${n.position.y}`)).size, others.length, 'no two on the same spot');
});

test('mTLS edges show the client certificate and the CA; Private Link the endpoint and zone; https the CA', () => {
  const lookup = trustLookup(REF);
  const edge = (from: string, to: string, type: string) => REF.edges.find((e) => e.from === from && e.to === to && e.type === type)!;
  assert.deepEqual(edgeText(edge('apim', 'aks', 'mtls'), REF, lookup).lines, ['mTLS', 'cert apim-client', 'CA internal-ca']);
  assert.match(edgeText(edge('apim', 'aks', 'mtls'), REF, lookup).detail, /presents client certificate apim-client; the ingress of aks verifies it against internal-ca/);
  assert.deepEqual(edgeText(edge('aks', 'sql', 'privateLink'), REF, lookup).lines, ['Private Link', 'pe-payments-sql', 'privatelink.database.windows.net']);
  assert.deepEqual(edgeText(edge('appgw', 'apim', 'https'), REF, lookup).lines, ['HTTPS', 'CA internal-ca']);
  assert.deepEqual(edgeText(edge('internet', 'appgw', 'https'), REF, lookup).lines, ['HTTPS', 'CA public CA']);
  assert.deepEqual(edgeText(edge('appgw', 'logs', 'diagnostics'), REF, lookup).lines, []);
});

test('flow edges: family, severity, selection, control plane hidden, duplicate ids made unique', () => {
  const broken = designOf(BROKEN_MTLS);
  const counts = findingCounts(stateOf(BROKEN_MTLS, 1).findings);
  const edges = buildFlowEdges({ design: broken, counts, selected: new Set(['appgw-apim']) }, []);
  assert.equal(edges.length, broken.edges.length);
  const mtls = edges.find((e) => e.id === 'apim-aks')!;
  assert.equal(mtls.type, 'tls');
  assert.equal(mtls.data?.severity, 'error');
  assert.equal(mtls.data?.lock, true);
  assert.match(mtls.ariaLabel ?? '', /^mTLS edge apim-aks from apim to aks: 1 error$/);
  assert.equal(edges.find((e) => e.id === 'appgw-apim')!.selected, true);
  assert.equal(edges.find((e) => e.id === 'appgw-logs')!.type, 'control');
  assert.equal(edges.find((e) => e.id === 'aks-acr-link')!.type, 'privateLink');

  const hidden = buildFlowEdges({ design: broken, counts, selected: new Set(), hideControlPlane: true }, edges);
  assert.ok(hidden.filter((e) => e.type === 'control').every((e) => e.hidden));
  assert.ok(hidden.filter((e) => e.type !== 'control').every((e) => !e.hidden));
  const reused = buildFlowEdges({ design: broken, counts, selected: new Set(['appgw-apim']) }, edges);
  assert.ok(reused.every((e, i) => e === edges[i]));

  const dup = designOf(`apiVersion: gatewright/v1
kind: Architecture
metadata: { name: dup, location: westeurope }
nodes: [{ id: aks, type: aksCluster }, { id: kv, type: keyVault }, { id: logs, type: logAnalytics }]
edges:
  - { from: aks, to: kv, type: privateLink }
  - { from: aks, to: kv, type: secrets }
  - { from: aks, to: nowhere, type: diagnostics }
`);
  const dupEdges = buildFlowEdges({ design: dup, counts: new Map(), selected: new Set(['aks-kv']) }, []);
  assert.deepEqual(dupEdges.map((e) => e.id), ['aks-kv', 'aks-kv~2'], 'a dangling edge is left out');
  assert.deepEqual(dupEdges.map((e) => e.data?.edgeId), ['aks-kv', 'aks-kv']);
});

test('selection sets split by kind', () => {
  const s = selectionSets([{ kind: 'node', id: 'a' }, { kind: 'edge', id: 'e' }, { kind: 'certificate', id: 'c' }]);
  assert.deepEqual([[...s.nodes], [...s.edges], [...s.certificates]], [['a'], ['e'], ['c']]);
});

test('onlyAppendedUnnamed: the edges need no rebuild after nodes are appended that no edge names, and only then', () => {
  const design = REF;
  const nodes = design.nodes;
  const added = { ...nodes[0]!, id: 'acr-new' };
  assert.equal(onlyAppendedUnnamed(nodes, [...nodes, added], design.edges), true, 'an added node no edge names');
  assert.equal(onlyAppendedUnnamed(nodes, nodes, design.edges), true, 'the same nodes');
  const named = design.edges[0]!;
  assert.equal(onlyAppendedUnnamed(nodes, [...nodes, { ...added, id: named.to }], design.edges), false, 'an added node an edge names');
  const dangling = [...design.edges, { ...named, to: 'acr-new' }];
  assert.equal(onlyAppendedUnnamed(nodes, [...nodes, added], dangling), false, 'an edge that waited for the added node');
  assert.equal(onlyAppendedUnnamed(nodes, [{ ...nodes[0]! }, ...nodes.slice(1), added], design.edges), false, 'a node changed (a new object)');
  assert.equal(onlyAppendedUnnamed(nodes, nodes.slice(1), design.edges), false, 'a node taken away');
});
