/**
 * The `rehearsal` message the designer draws on the https and mtls edges: from a real rehearsal of the reference
 * design (its edge ids are the canvas's), and from reports with failures and more cases than a message carries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rehearsalMessage } from '../../src/extension/designer/rehearsal-overlay.js';
import type { CaseResult, RehearsalReport } from '../../src/rehearsal/run.js';
import { edgeId } from '../../src/schemas/design.js';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { analyze } from '../../src/validation/analyze.js';
import { resultsOf, workspace } from '../rehearsal/workspace.js';

const AT = new Date('2026-11-27T12:34:56Z');

test('a real rehearsal of the reference design: one entry per https and mtls edge, keyed as the canvas keys edges', async () => {
  const ws = await workspace();
  const outcome = await ws.rehearse();
  const results = resultsOf(outcome);
  assert.ok(outcome.ok);
  const message = rehearsalMessage(outcome.report, AT);
  assert.equal(HostMessageSchema.safeParse(message).success, true);
  assert.equal(message.at, '2026-11-27T12:34:56.000Z');

  const design = analyze(ws.design()).design!;
  const tlsEdges = design.edges.filter((e) => e.type === 'https' || e.type === 'mtls').map(edgeId).sort();
  assert.deepEqual(Object.keys(message.edges).sort(), tlsEdges);
  assert.deepEqual(message.summary, { cases: 12, passed: 12, failed: 0 });

  const mtls = message.edges['apim-aks'];
  assert.ok(mtls);
  assert.equal(mtls.pass, true);
  assert.deepEqual(
    mtls.cases.map((c) => `${c.title}: ${c.expected}/${c.got}`),
    results.filter((r) => r.edge === 'apim-aks').map((r) => `${r.title}: ${r.expected}/${r.got}`),
  );
  const noCertificate = mtls.cases.find((c) => c.title === 'no client certificate');
  assert.equal(noCertificate?.got, 'refused');
  assert.match(noCertificate?.detail ?? '', /no client certificate was sent/);
});

function result(edge: string, title: string, pass: boolean, detail = 'why'): CaseResult {
  return {
    edge,
    type: 'mtls',
    from: 'apim',
    to: 'aks',
    kind: 'expected',
    title,
    expected: 'accepted',
    got: pass ? 'accepted' : 'refused',
    pass,
    reason: pass ? 'accepted' : 'client-certificate-untrusted',
    detail,
  };
}

function report(results: CaseResult[]): RehearsalReport {
  const passed = results.filter((r) => r.pass).length;
  return { results, summary: { cases: results.length, passed, failed: results.length - passed } };
}

test('an edge with one failed case fails; the others pass; not-run cases keep their verdict', () => {
  const notRun: CaseResult = { ...result('appgw-apim', 'rehearsable', false, 'the server certificate has no key'), got: 'not run', reason: 'not-rehearsable', kind: 'setup' };
  const message = rehearsalMessage(report([result('apim-aks', 'caller as designed', true), result('apim-aks', 'no client certificate', false), notRun]), AT);
  assert.equal(HostMessageSchema.safeParse(message).success, true);
  assert.equal(message.edges['apim-aks']?.pass, false);
  assert.deepEqual(message.edges['apim-aks']?.cases.map((c) => c.pass), [true, false]);
  assert.deepEqual(message.edges['appgw-apim'], {
    pass: false,
    cases: [{ title: 'rehearsable', expected: 'accepted', got: 'not run', pass: false, detail: 'the server certificate has no key' }],
  });
  assert.deepEqual(message.summary, { cases: 3, passed: 1, failed: 2 });
});

test('within the schema limits: long texts are clipped, and past 50 cases per edge the failures are the ones kept', () => {
  const many = [...Array.from({ length: 60 }, (_, i) => result('apim-aks', `case ${i}`, true)), result('apim-aks', 'the broken one', false, 'x'.repeat(9000))];
  const message = rehearsalMessage(report(many), AT);
  assert.equal(HostMessageSchema.safeParse(message).success, true);
  const edge = message.edges['apim-aks']!;
  assert.equal(edge.cases.length, 50);
  assert.equal(edge.pass, false);
  assert.equal(edge.cases[0]?.title, 'the broken one');
  assert.equal(edge.cases[0]?.detail.length, 5000);
  assert.deepEqual(message.summary, { cases: 61, passed: 60, failed: 1 });
});

test('a design without https or mtls edges gives no edges, which clears the drawing', () => {
  const message = rehearsalMessage(report([]), AT);
  assert.deepEqual(message.edges, {});
  assert.equal(HostMessageSchema.safeParse(message).success, true);
});
