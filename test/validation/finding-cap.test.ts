/**
 * Repeated findings of one rule are capped in the engine, for every rule: the first MAX_FINDINGS_PER_RULE are listed
 * in the rule's order, then one finding counts the rest, keeps the worst severity of what it stands for and points at
 * the first one not listed; the same input gives the same findings on every run; `validate` prints the capped list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDesign } from '../../src/document/parse.js';
import { runCli } from '../../src/cli/run.js';
import { defineRule, type RuleViolation } from '../../src/validation/rule.js';
import { MAX_FINDINGS_PER_RULE, validateDesign } from '../../src/validation/engine.js';
import { analyze } from '../../src/validation/analyze.js';
import { captureIo } from '../helpers/cli-capture.js';
import { REFERENCE } from '../helpers/reference.js';

const NOW = new Date('2026-12-07T12:00:00Z');

function noisyRule(count: number, errorAt?: number) {
  return defineRule({
    id: 'GW999',
    name: 'noisy',
    category: 'graph',
    severity: 'warning',
    title: 'noisy',
    rationale: 'a test rule',
    source: { tool: 'Gatewright', ref: 'test' },
    *check() {
      for (let i = 0; i < count; i++) {
        const v: RuleViolation = { message: `finding ${i}`, target: { kind: 'document' }, path: ['layout', `n${i}`] };
        yield i === errorAt ? { ...v, severity: 'error' } : v;
      }
    },
  });
}

test('a rule with 5,000 findings: the first 100 listed, then one that counts 4,900 more, with the worst severity among them', () => {
  const design = parseDesign(REFERENCE).design!;
  const findings = validateDesign(design, { now: NOW }, [noisyRule(5000, 4321)]);
  assert.equal(findings.length, MAX_FINDINGS_PER_RULE + 1);
  assert.deepEqual(findings.slice(0, MAX_FINDINGS_PER_RULE).map((f) => f.message), Array.from({ length: MAX_FINDINGS_PER_RULE }, (_, i) => `finding ${i}`));
  assert.ok(findings.slice(0, MAX_FINDINGS_PER_RULE).every((f) => f.severity === 'warning'));
  const last = findings.at(-1)!;
  assert.equal(last.ruleId, 'GW999');
  assert.equal(last.severity, 'error', 'an error among the ones not listed keeps the summary an error');
  assert.equal(last.message, '... and 4900 more of GW999 (noisy): 5000 in all, the first 100 listed; the first one not listed: finding 100');
  assert.deepEqual(last.path, ['layout', 'n100']);
  assert.deepEqual(validateDesign(design, { now: NOW }, [noisyRule(5000, 4321)]), findings, 'the same findings on every run');
});

test('exactly the cap: no summary; one more: a summary of one, with the listed ones\' severity', () => {
  const design = parseDesign(REFERENCE).design!;
  assert.equal(validateDesign(design, { now: NOW }, [noisyRule(MAX_FINDINGS_PER_RULE)]).length, MAX_FINDINGS_PER_RULE);
  const over = validateDesign(design, { now: NOW }, [noisyRule(MAX_FINDINGS_PER_RULE + 1)]);
  assert.equal(over.length, MAX_FINDINGS_PER_RULE + 1);
  assert.equal(over.at(-1)!.severity, 'warning');
  assert.match(over.at(-1)!.message, /^\.\.\. and 1 more of GW999/);
});

/** The reference design with `n` more APIs, each forwarding to a service no cluster has (GW023 for each). */
function withGhostApis(n: number): string {
  const apis = Array.from({ length: n }, (_, i) => `        - { name: api-${i}, path: p${i}, service: ghost-${i} }`).join('\n');
  return REFERENCE.replace(/( +)apis:\n/, (m) => `${m}${apis}\n`);
}

test('a real design with 2,000 findings of one rule (GW023): capped, located, and validate prints the capped list and exits 1', { timeout: 120_000 }, async () => {
  const text = withGhostApis(2000);
  const analysis = analyze(text, { now: NOW });
  const gw023 = analysis.findings.filter((f) => f.ruleId === 'GW023');
  assert.equal(gw023.length, MAX_FINDINGS_PER_RULE + 1);
  assert.ok(gw023.every((f) => f.severity === 'error' && f.location !== undefined), 'every one an error, located in the text');
  assert.match(gw023.at(-1)!.message, /^\.\.\. and 1900 more of GW023 \(api-service\): 2000 in all, the first 100 listed; the first one not listed: API "api-100" /);
  // Every other rule is capped the same way (GW484 fires once per API too).
  const perRule = new Map<string, number>();
  for (const f of analysis.findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  for (const [rule, n] of perRule) assert.ok(n <= MAX_FINDINGS_PER_RULE + 1, `${rule}: ${n}`);
  assert.equal(perRule.get('GW484'), MAX_FINDINGS_PER_RULE + 1);

  const dir = mkdtempSync(join(tmpdir(), 'gatewright-cap-'));
  writeFileSync(join(dir, 'x.gatewright.yaml'), text);
  const io = captureIo(dir, NOW);
  assert.equal(await runCli(['validate', 'x.gatewright.yaml'], io), 1);
  assert.equal(io.stdout.split('\n').filter((l) => / error GW023 /.test(l)).length, MAX_FINDINGS_PER_RULE + 1);
  assert.match(io.stdout, /error GW023 \.\.\. and 1900 more of GW023/);
});
