/** Both directions of the message contract are checked with the shared schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostMessage, checkStateButDesign, parseWebviewMessage } from '../../src/extension/designer/protocol.js';
import { stateMessage } from '../../src/extension/designer/state.js';
import { analyze } from '../../src/validation/analyze.js';
import { REFERENCE } from '../helpers/reference.js';

test('every webview message type parses when well formed', () => {
  const good = [
    { type: 'ready' },
    { type: 'edit', baseVersion: 3, operations: [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 2 } }], label: 'Move' },
    { type: 'revealInText', path: ['nodes', 0, 'properties'] },
    { type: 'command', command: 'generate' },
    { type: 'exportResult', requestId: 'r1', format: 'png', data: 'AAAA' },
    { type: 'error', message: 'boom' },
  ];
  for (const m of good) assert.deepEqual(parseWebviewMessage(m), { ok: true, message: m });
});

test('errors name the first issues and how many more there are', () => {
  const r = parseWebviewMessage({ type: 'edit', baseVersion: 1.5, operations: [{ op: 'moveNode' }, { op: 'x' }, { op: 'y' }, { op: 'z' }] });
  assert.ok(!r.ok);
  assert.match(r.error, /^invalid message from the designer \(type "edit"\): /);
  assert.match(r.error, /baseVersion/);
  assert.match(r.error, /and \d+ more$/);
});

test('the state of the reference design, a broken design and unreadable text all pass the host schema', () => {
  for (const text of [REFERENCE, REFERENCE.replace('sku: WAF_v2', 'sku: 7'), 'nodes: [', '', 'just a string']) {
    const state = stateMessage(analyze(text), 1, 'x.gatewright.yaml');
    const checked = checkHostMessage(state);
    assert.ok(checked.ok, checked.ok ? '' : checked.error);
  }
});

test('a state whose design the schema made is checked but for its design: version, findings and the rest still are', () => {
  const analysis = analyze(REFERENCE);
  assert.equal(analysis.parsed.complete, true);
  const state = stateMessage(analysis, 1, 'x.gatewright.yaml');
  assert.equal(checkStateButDesign(state).ok, true);
  assert.equal(checkStateButDesign({ ...state, version: 1.5 }).ok, false, 'the envelope is checked');
  const badFinding = { ...state.findings[0]!, severity: 'fatal' } as unknown as (typeof state.findings)[number];
  const refused = checkStateButDesign({ ...state, findings: [badFinding] });
  assert.equal(refused.ok, false, 'the findings are checked');
  assert.match(refused.ok ? '' : refused.error, /refusing to send an invalid state message.*findings/);
  assert.equal(checkStateButDesign({ ...state, certificateExpiry: { ca: { notAfter: 'x'.repeat(41), source: 'file' } } }).ok, false, 'the expiry is checked');
});
