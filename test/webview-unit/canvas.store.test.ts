import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStore, INITIAL_STATE, nodesNeedingLayout, reduce, resolvePositions } from '../../src/webview/store.js';
import { REFERENCE, stateOf } from './canvas.fixtures.js';

const BROKEN_YAML = REFERENCE.replace('kind: Architecture', 'kind: [Architecture');

test('a state message is drawn; a syntax error keeps the last good drawing and shows the error and its line', () => {
  const good = reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) });
  assert.ok(good.received && good.design && !good.problem);
  assert.equal(good.design.nodes.length, 16);

  const broken = reduce(good, { type: 'state', message: stateOf(BROKEN_YAML, 2) });
  assert.equal(broken.design, good.design, 'the last good design stays');
  assert.equal(broken.drawnFindings, good.drawnFindings);
  assert.equal(broken.version, 2);
  assert.ok(broken.problem?.stale);
  assert.match(broken.problem.message, /YAML/);
  assert.equal(broken.problem.line, 5);
  assert.ok(broken.findings.some((f) => f.ruleId === 'GW001'), 'the panels get the syntax error');

  const fixed = reduce(broken, { type: 'state', message: stateOf(REFERENCE, 3) });
  assert.equal(fixed.problem, undefined);
});

test('a syntax error before any good state shows the problem without a drawing', () => {
  const s = reduce(INITIAL_STATE, { type: 'state', message: stateOf(BROKEN_YAML, 1) });
  assert.equal(s.design, null);
  assert.equal(s.problem?.stale, false);
});

test('a moved node keeps its pending position until the host confirms it or gives up', () => {
  let s = reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) });
  s = reduce(s, { type: 'moved', positions: { apim: { x: 500, y: 210 } } });
  assert.deepEqual(resolvePositions(s).get('apim'), { x: 500, y: 210 });
  // The next state (the host's answer may still be on its way) keeps it.
  s = reduce(s, { type: 'state', message: stateOf(REFERENCE, 2) });
  assert.deepEqual(resolvePositions(s).get('apim'), { x: 500, y: 210 });
  // Two versions later without it: the host refused; the text's position wins.
  s = reduce(s, { type: 'state', message: stateOf(REFERENCE, 3) });
  assert.deepEqual(resolvePositions(s).get('apim'), { x: 525, y: 274 });

  let t = reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) });
  t = reduce(t, { type: 'moved', positions: { apim: { x: 500.4, y: 210 } } });
  t = reduce(t, { type: 'state', message: stateOf(REFERENCE.replace('apim: { x: 525, y: 274 }', 'apim: { x: 500, y: 210 }'), 2) });
  assert.deepEqual(t.pending, {}, 'confirmed');
});

test('the selection drops elements that no longer exist', () => {
  let s = reduce(INITIAL_STATE, { type: 'state', message: stateOf(REFERENCE, 1) });
  s = reduce(s, { type: 'select', selection: [{ kind: 'node', id: 'apim' }, { kind: 'edge', id: 'apim-aks' }, { kind: 'certificate', id: 'apim-client' }] });
  assert.equal(s.selection.length, 3);
  const same = reduce(s, { type: 'select', selection: [...s.selection].reverse() });
  assert.equal(same, s, 'the same selection in another order changes nothing');
  const without = REFERENCE.replace(/ {2}- from: apim\n {4}to: aks\n {4}type: mtls\n {4}properties:\n {6}clientCertificate: apim-client\n/, '');
  assert.notEqual(without, REFERENCE);
  s = reduce(s, { type: 'state', message: stateOf(without, 2) });
  assert.deepEqual(s.selection, [{ kind: 'node', id: 'apim' }, { kind: 'certificate', id: 'apim-client' }]);
});

test('nodes without a position are laid out once; automatic positions give way to the file', () => {
  const noLayout = REFERENCE.replace(/\nlayout:[\s\S]*$/, '\n');
  let s = reduce(INITIAL_STATE, { type: 'state', message: stateOf(noLayout, 1) });
  assert.equal(nodesNeedingLayout(s).length, 16);
  assert.equal(resolvePositions(s).size, 0);
  s = reduce(s, { type: 'autoLayout', positions: { internet: { x: 0, y: 0 }, appgw: { x: 300, y: 0 } } });
  assert.equal(nodesNeedingLayout(s).length, 14);
  assert.deepEqual(resolvePositions(s).get('appgw'), { x: 300, y: 0 });
  s = reduce(s, { type: 'state', message: stateOf(REFERENCE, 2) });
  assert.deepEqual(s.auto, {}, 'the file has positions now');
  assert.deepEqual(resolvePositions(s).get('appgw'), { x: 281, y: 274 });
  assert.deepEqual(nodesNeedingLayout(s), []);
  const broken = reduce(s, { type: 'state', message: stateOf(REFERENCE.replace('kind: Architecture', 'kind: [x'), 3) });
  assert.deepEqual(nodesNeedingLayout(broken), [], 'never while the text does not parse');
});

test('the store notifies subscribers on changes only', () => {
  const store = createStore();
  let calls = 0;
  const off = store.subscribe(() => calls++);
  store.dispatch({ type: 'select', selection: [] });
  assert.equal(calls, 0);
  store.dispatch({ type: 'state', message: stateOf(REFERENCE, 1) });
  assert.equal(calls, 1);
  off();
  store.dispatch({ type: 'select', selection: [{ kind: 'node', id: 'apim' }] });
  assert.equal(calls, 1);
  assert.equal(store.getState().selection.length, 1);
});
