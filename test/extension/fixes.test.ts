/** Quick fixes offered at a cursor: the findings with a fix whose range touches it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixesAt } from '../../src/extension/quick-fixes/fixes-at.js';
import { locationToRange } from '../../src/extension/designer/ranges.js';
import { analyze } from '../../src/validation/analyze.js';
import type { Finding } from '../../src/schemas/finding.js';
import { REFERENCE } from '../helpers/reference.js';

test('the WAF mode fix is offered on its line and nowhere else', () => {
  const text = REFERENCE.replace('wafMode: Prevention', 'wafMode: Detection');
  const findings = analyze(text).findings;
  const waf = findings.find((f) => f.fix && f.target.id === 'appgw' && f.location && /Detection|Prevention/.test(f.message));
  assert.ok(waf?.location);
  const { start } = locationToRange(waf.location);
  const cursor = { start: { line: start.line, character: start.character + 2 }, end: { line: start.line, character: start.character + 2 } };
  assert.ok(fixesAt(findings, cursor).includes(waf as never));
  assert.equal(fixesAt(findings, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }).includes(waf as never), false);
});

test('findings without a fix are never offered; one without a location is offered on the first line', () => {
  const base: Finding = { ruleId: 'X', severity: 'warning', message: 'm', target: { kind: 'document' } };
  const fix = { title: 't', operations: [{ op: 'deleteNode' as const, id: 'a' }] };
  const findings: Finding[] = [base, { ...base, fix }, { ...base, fix, location: { line: 5, column: 1, endLine: 5, endColumn: 4 } }];
  assert.deepEqual(fixesAt(findings, { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }), [findings[1]]);
  assert.deepEqual(fixesAt(findings, { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }), [findings[2]]);
});
