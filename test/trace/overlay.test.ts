/** The `trace` message the designer draws: valid against the message schema, for an internet node and for an API. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceMessage } from '../../src/extension/designer/trace-overlay.js';
import { HostMessageSchema, WebviewMessageSchema } from '../../src/schemas/messages.js';
import { generated, trace } from './helpers.js';

const report = trace(generated());

test('trace message from the internet node: every hop, valid against the schema', () => {
  const m = traceMessage(report, { kind: 'internet', node: 'internet' });
  assert.equal(HostMessageSchema.parse(m).type, 'trace');
  assert.equal(m.paths.length, 1);
  assert.deepEqual(m.paths[0]!.hops.map((h) => h.id), ['entry', 'gateway-apim', 'apim', 'apim-ingress', 'ingress-service', 'no-bypass']);
  assert.equal(m.verdict, report.verdict);
});

test('trace message from an internet node the path does not start at: no path, and a note saying so', () => {
  const m = traceMessage(report, { kind: 'internet', node: 'partners' });
  assert.equal(m.paths.length, 0);
  assert.equal(m.verdict, 'fail');
  assert.match(m.notes.join(' '), /partners/);
  assert.ok(HostMessageSchema.safeParse(m).success);
});

test('the webview asks for a trace and for evidence with messages the host accepts', () => {
  assert.ok(WebviewMessageSchema.safeParse({ type: 'trace', target: { kind: 'api', node: 'apim', api: 'orders' } }).success);
  assert.ok(WebviewMessageSchema.safeParse({ type: 'openEvidence', evidence: { file: 'infra/main.json', line: 3, column: 1, value: 'x' } }).success);
  assert.ok(!WebviewMessageSchema.safeParse({ type: 'openEvidence', evidence: { file: 'infra/main.json', line: 0, column: 1, value: 'x' } }).success);
});
