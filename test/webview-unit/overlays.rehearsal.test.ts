/** The rehearsal overlay: a `rehearsal` message mapped to each edge's badge, tooltip and cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import { describeTime, rehearsalOverlay, type RehearsalCase, type RehearsalMessage } from '../../src/webview/overlays/rehearsal.js';

const ok = (title: string, expected: 'accepted' | 'refused'): RehearsalCase => ({ title, expected, got: expected, pass: true, detail: `${title}: ${expected} as expected` });

function message(edges: RehearsalMessage['edges']): RehearsalMessage {
  const cases = Object.values(edges).flatMap((e) => e.cases);
  const passed = cases.filter((c) => c.pass).length;
  const m = HostMessageSchema.parse({ type: 'rehearsal', at: '2026-01-02T03:04:05Z', edges, summary: { cases: cases.length, passed, failed: cases.length - passed } });
  return m as RehearsalMessage;
}

test('a passing edge says ✓ passed/total; a failing one how many of how many failed; the tooltip lists every case', () => {
  const failing: RehearsalCase = {
    title: 'no client certificate',
    expected: 'refused',
    got: 'accepted',
    pass: false,
    detail: 'the ingress accepted a client without a certificate: set ingress.verifyClient to on',
  };
  const overlay = rehearsalOverlay(
    message({
      'appgw-apim': { pass: true, cases: [ok('valid server certificate', 'accepted'), ok('wrong host name', 'refused'), ok('other CA', 'refused'), ok('expired', 'refused')] },
      'apim-aks': { pass: false, cases: [ok('valid client certificate', 'accepted'), failing, ok('other CA', 'refused'), ok('expired', 'refused')] },
    }),
  );
  assert.ok(overlay);
  const pass = overlay.edges.get('appgw-apim')!;
  assert.equal(pass.text, '✓ 4/4');
  assert.equal(pass.summary, 'rehearsal passed, 4 of 4 handshakes as expected');
  const fail = overlay.edges.get('apim-aks')!;
  assert.equal(fail.pass, false);
  assert.equal(fail.text, '✗ 1 of 4 failed');
  const lines = fail.tooltip.split('\n');
  assert.equal(lines[0], 'Rehearsal failed, 1 of 4 handshakes not as expected (2026-01-02 03:04 UTC).');
  assert.equal(lines.length, 5, 'a line per case');
  assert.equal(
    lines[2],
    '✗ no client certificate: expected refused, got accepted (FAILED). the ingress accepted a client without a certificate: set ingress.verifyClient to on',
  );
  assert.equal(lines[1], '✓ valid client certificate: expected accepted, got accepted. valid client certificate: accepted as expected');
  assert.equal(fail.cases.length, 4);
  assert.deepEqual(overlay.summary, { cases: 8, passed: 7, failed: 1 });
});

test('an edge that failed without a failing case says so; no edges clears; an unreadable time is shown as sent', () => {
  const overlay = rehearsalOverlay(message({ 'apim-aks': { pass: false, cases: [] } }))!;
  assert.equal(overlay.edges.get('apim-aks')!.text, '✗ failed');
  assert.equal(rehearsalOverlay(message({})), undefined);
  assert.equal(describeTime('yesterday'), 'yesterday');
});
