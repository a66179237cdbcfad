/**
 * From a failing hop to the design change: each design mistake that breaks a hop fails its check, the validation rule
 * that covers the cause is found for it with its fix, applying that fix to the YAML makes the check pass again; the
 * mapping names only real rules and real checks; the command line prints the fix under the failing check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOperations } from '../../src/document/edits/apply.js';
import { parseDesign } from '../../src/document/parse.js';
import { runCli } from '../../src/cli/run.js';
import { CHECK_RULES, fixesFor } from '../../src/trace/design-fixes.js';
import { HOP_IDS } from '../../src/trace/types.js';
import { validateDesign } from '../../src/validation/engine.js';
import { RULES } from '../../src/validation/rules/index.js';
import { captureIo } from '../helpers/cli-capture.js';
import { indexOf, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { checkOf, generated, hopOf, trace } from './helpers.js';

const NOW = new Date('2026-12-07T12:00:00Z');

const CASES: { what: string; text: string; check: string; rule: string }[] = [
  { what: 'a WAF in Detection mode', text: mutateReference((d) => setAt(d, ['nodes', 'appgw', 'properties', 'wafMode'], 'Detection')), check: 'entry.waf', rule: 'GW101' },
  { what: 'no token validation', text: mutateReference((d) => d.deleteIn(['edges', indexOf(d, 'edges', 'apim-entra')])), check: 'apim.caller', rule: 'GW222' },
  { what: 'a backend host the ingress certificate does not name', text: mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName'], 'billing.internal.contoso.com')), check: 'apim-ingress.server-certificate', rule: 'GW205' },
  { what: 'an ingress that does not verify clients', text: mutateReference((d) => setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'off')), check: 'apim-ingress.client-certificate', rule: 'GW203' },
  { what: 'a database open to the internet', text: mutateReference((d) => setAt(d, ['nodes', 'cosmos', 'properties', 'publicNetworkAccess'], 'Enabled')), check: 'no-bypass.data', rule: 'GW162' },
];

function findingsOf(text: string) {
  const parsed = parseDesign(text);
  assert.ok(parsed.design);
  return validateDesign(parsed.design, { now: NOW });
}

for (const c of CASES) {
  test(`${c.what}: ${c.check} fails, ${c.rule}'s fix is offered for it, and applying it makes the check pass`, () => {
    const report = trace(generated(c.text));
    const check = checkOf(report, c.check);
    assert.equal(check.verdict, 'fail', check.message);
    assert.ok(check.fix, 'the check says what to change');
    const hop = hopOf(report, c.check.split('.')[0] as (typeof HOP_IDS)[number]);
    const fixes = fixesFor(check, hop, findingsOf(c.text));
    assert.deepEqual(fixes.map((f) => f.ruleId), [c.rule]);
    const applied = applyOperations(c.text, fixes[0]!.fix.operations);
    assert.ok(applied.ok, applied.ok ? '' : applied.error);
    const after = checkOf(trace(generated(applied.text)), c.check);
    assert.notEqual(after.verdict, 'fail', `after "${fixes[0]!.fix.title}": ${after.message}`);
  });
}

test('a passing check offers no fix, and a finding about an element off the hop is not offered', () => {
  const report = trace(generated());
  const findings = findingsOf(REFERENCE);
  for (const hop of report.paths[0]!.hops) for (const c of hop.checks) assert.deepEqual(fixesFor(c, hop, findings), [], c.id);
  const waf = { id: 'entry.waf', verdict: 'fail' as const };
  const finding = { ruleId: 'GW101', severity: 'warning' as const, message: 'm', target: { kind: 'node' as const, id: 'other-gateway' }, fix: { title: 'Use Prevention mode', operations: [{ op: 'setProperty' as const, target: { kind: 'node' as const, id: 'other-gateway' }, path: ['properties', 'wafMode'], value: 'Prevention' }] } };
  assert.deepEqual(fixesFor(waf, { nodes: ['internet', 'appgw'], edges: [] }, [finding]), []);
  assert.equal(fixesFor(waf, { nodes: ['internet', 'other-gateway'], edges: [] }, [finding, { ...finding }]).length, 1, 'one per fix title');
  assert.deepEqual(fixesFor(waf, { nodes: ['other-gateway'], edges: [] }, [{ ...finding, fix: undefined }]), [], 'a finding without a fix is not offered');
});

test('the mapping names real rules and checks of real hops', () => {
  const rules = new Set(RULES.map((r) => r.id));
  for (const [check, ids] of Object.entries(CHECK_RULES)) {
    assert.ok((HOP_IDS as readonly string[]).includes(check.split('.')[0]!), check);
    for (const id of ids) assert.ok(rules.has(id), `${check}: ${id} is no rule`);
  }
  const traced = new Set(trace(generated()).paths[0]!.hops.flatMap((h) => h.checks.map((c) => c.id)));
  // Two checks exist only when they fail: no Application Gateway in front, no ingress serving the backend host.
  const onlyFailing = ['entry.route', 'apim-ingress.ingress'];
  for (const check of Object.keys(CHECK_RULES).filter((k) => !onlyFailing.includes(k))) assert.ok(traced.has(check), `${check} is a check of the trace`);
});

test('trace (text): a failing check names the quick fix the design\'s rule offers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-trace-fix-'));
  writeFileSync(join(dir, 'payments.gatewright.yaml'), CASES[0]!.text);
  const io = captureIo(dir, NOW);
  const status = await runCli(['trace', 'payments.gatewright.yaml'], io);
  assert.equal(status, 1);
  assert.match(io.stdout, /\[FAIL\] WAF policy attached, in Prevention mode\n(?:.*\n)*? {10}fix: Set wafMode: Prevention on the applicationGateway node\.\n {10}quick fix \(GW101, in the design\): Use Prevention mode\n/);
  const ok = captureIo(dir, NOW);
  writeFileSync(join(dir, 'payments.gatewright.yaml'), REFERENCE);
  await runCli(['trace', 'payments.gatewright.yaml'], ok);
  assert.doesNotMatch(ok.stdout, /quick fix/);
});
