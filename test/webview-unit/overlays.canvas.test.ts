/**
 * The overlays as the canvas keeps and draws them: view state in the store that outlives new `state` messages,
 * and the node and edge data the memoized components render (objects reused while nothing changed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFlowEdges, buildFlowNodes } from '../../src/webview/graph.js';
import { expiryBadges } from '../../src/webview/overlays/expiry.js';
import { INITIAL_STATE, reduce, type ViewState } from '../../src/webview/store.js';
import type { DeploymentMessage } from '../../src/webview/overlays/deployment.js';
import type { RehearsalMessage } from '../../src/webview/overlays/rehearsal.js';
import { mutateReference, REFERENCE } from '../helpers/reference.js';
import { REF, stateOf } from './canvas.fixtures.js';

const WHAT_IF: DeploymentMessage = {
  type: 'deployment',
  phase: 'whatIf',
  title: 'What-if for payments-rg: 1 to create, 1 to modify',
  nodes: { appgw: { change: 'create' }, bastion: { change: 'modify', details: ['~ sku.name: Basic -> Standard'] } },
};

const REHEARSAL: RehearsalMessage = {
  type: 'rehearsal',
  at: '2026-01-01T00:00:00Z',
  edges: {
    'apim-aks': { pass: true, cases: [{ title: 'valid client certificate', expected: 'accepted', got: 'accepted', pass: true, detail: 'ok' }] },
    // Not a TLS edge: drawn nowhere.
    'apim-entra': { pass: true, cases: [] },
  },
  summary: { cases: 1, passed: 1, failed: 0 },
};

const positions = new Map(Object.entries(REF.layout ?? {}));

function drawn(s: ViewState) {
  const design = s.design!;
  return buildFlowNodes({ design, positions, counts: new Map(), selected: new Set(), deployment: s.deployment?.nodes }, []);
}

test('overlays are view state: they outlive new states; a node that disappeared just loses its marker; clear and close remove them', () => {
  let s = reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) });
  s = reduce(s, { type: 'deployment', message: WHAT_IF });
  s = reduce(s, { type: 'rehearsal', message: REHEARSAL });
  const deployment = s.deployment;
  assert.ok(deployment && s.rehearsal);

  // The user deletes bastion in the text: the overlay stays as it was, and bastion is not drawn any more.
  const withoutBastion = mutateReference((doc) => {
    const nodes = doc.get('nodes') as { items: { get(k: string): unknown }[] };
    const i = nodes.items.findIndex((n) => n.get('id') === 'bastion');
    doc.deleteIn(['nodes', i]);
  });
  s = reduce(s, { type: 'state', message: stateOf(withoutBastion, 2) });
  assert.equal(s.deployment, deployment, 'the same overlay object after a new state');
  const nodes = drawn(s);
  assert.equal(nodes.find((n) => n.id === 'appgw')!.data.deploy, 'create');
  assert.equal(nodes.some((n) => n.id === 'bastion'), false);
  assert.deepEqual(nodes.filter((n) => n.data.deploy).map((n) => n.id), ['appgw']);

  const closed = reduce(s, { type: 'dismissDeployment' });
  assert.equal(closed.deployment, undefined);
  assert.ok(closed.rehearsal, 'closing the banner leaves the rehearsal');
  s = reduce(s, { type: 'deployment', message: { type: 'deployment', phase: 'clear', title: '', nodes: {} } });
  assert.equal(s.deployment, undefined);
  s = reduce(s, { type: 'rehearsal', message: { ...REHEARSAL, edges: {}, summary: { cases: 0, passed: 0, failed: 0 } } });
  assert.equal(s.rehearsal, undefined);
});

test('the state carries certificateExpiry; a syntax error keeps the last one with the last good design', () => {
  const expiry = { 'gateway-tls': { notAfter: '2026-01-10', source: 'file' as const } };
  let s = reduce(INITIAL_STATE, { type: 'state', message: { ...stateOf(REFERENCE, 1), certificateExpiry: expiry } });
  assert.equal(s.certificateExpiry, expiry);
  s = reduce(s, { type: 'state', message: stateOf(REFERENCE.replace('kind: Architecture', 'kind: [Architecture'), 2) });
  assert.equal(s.certificateExpiry, expiry);
  s = reduce(s, { type: 'state', message: stateOf(REFERENCE, 3) });
  assert.equal(s.certificateExpiry, undefined, 'a good state without dates has none');
});

test('nodes carry their marker, tooltip and screen reader text, and stay the same objects while the overlay does', () => {
  let s = reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) });
  const plain = drawn(s);
  s = reduce(s, { type: 'deployment', message: WHAT_IF });
  const input = { design: s.design!, positions, counts: new Map(), selected: new Set<string>(), deployment: s.deployment!.nodes };
  const first = buildFlowNodes(input, plain);
  const appgw = first.find((n) => n.id === 'appgw')!;
  assert.equal(appgw.data.deploySymbol, '+');
  assert.equal(appgw.data.deployLabel, 'create');
  assert.match(appgw.ariaLabel!, /^Application Gateway appgw; what-if: to be created$/);
  const bastion = first.find((n) => n.id === 'bastion')!;
  assert.match(bastion.data.tooltip, /what-if: to be modified\n~ sku.name: Basic -> Standard$/);
  const unmarked = first.filter((n) => !n.data.deploy);
  assert.ok(unmarked.every((n) => plain.includes(n)), 'nodes without a marker are not rebuilt');

  const again = buildFlowNodes(input, first);
  assert.ok(again.every((n, i) => n === first[i]), 'the same overlay rebuilds nothing');
  const cleared = buildFlowNodes({ ...input, deployment: undefined }, first);
  assert.equal(cleared.find((n) => n.id === 'appgw')!.data.deploy, '');
});

test('edges: the rehearsal badge only on https and mtls edges, expiry badges on the edge that uses the certificate', () => {
  const s = reduce(reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) }), { type: 'rehearsal', message: REHEARSAL });
  const expiry = expiryBadges(s.design!, { 'apim-client': { notAfter: '2026-01-10', source: 'file' } }, new Date('2026-01-01T00:00:00Z'));
  const input = { design: s.design!, counts: new Map(), selected: new Set<string>(), rehearsal: s.rehearsal!.edges, expiry: expiry.edges };
  const edges = buildFlowEdges(input, []);
  const mtls = edges.find((e) => e.id === 'apim-aks')!.data!;
  assert.equal(mtls.rehearsal, 'pass');
  assert.equal(mtls.rehearsalText, '✓ 1/1');
  assert.match(mtls.rehearsalTitle, /valid client certificate: expected accepted, got accepted/);
  assert.equal(mtls.expiry, 'warning');
  assert.match(mtls.expiryTitle, /^cert apim-client expires in 10 days/);
  assert.match(edges.find((e) => e.id === 'apim-aks')!.ariaLabel!, /rehearsal passed, 1 of 1 handshake as expected; cert apim-client expires in 10 days/);
  assert.equal(edges.find((e) => e.id === 'apim-entra')!.data!.rehearsal, '', 'token validation is not rehearsed');
  assert.ok(buildFlowEdges(input, edges).every((e, i) => e === edges[i]), 'unchanged overlays reuse every edge');
});
