/**
 * Every rule has a fixture it passes and one it flags (issue: "Each rule has a fixture that passes and one
 * that fails, and a test for each"). The failing fixture's finding must be located in the file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperations } from '../../src/document/edits/index.js';
import { analyze } from '../../src/validation/analyze.js';
import { RULES } from '../../src/validation/rules/index.js';
import { loadAllCases } from './all.cases.js';
import { REFERENCE } from '../helpers/reference.js';

const NOW = new Date('2026-11-27T12:00:00Z');

// Cases are loaded asynchronously (certificate-file fixtures generate real certificates); an async describe
// registers its tests once they are there.
describe('rule fixtures', async () => {
  const cases = await loadAllCases();

  for (const c of cases) {
    test(`${c.rule} passes its good fixture`, () => {
      const a = analyze(c.pass, { now: c.now ?? NOW, files: c.passFiles ?? c.files });
      assert.equal(a.parsed.complete, true, `pass fixture breaks the schema: ${JSON.stringify(a.parsed.findings)}`);
      const own = a.findings.filter((f) => f.ruleId === c.rule);
      assert.deepEqual(own, [], `${c.rule} reported on its passing fixture`);
    });
    test(`${c.rule} flags: ${c.title}`, () => {
      const a = analyze(c.fail, { now: c.now ?? NOW, files: c.failFiles ?? c.files });
      assert.equal(a.parsed.complete, true, `fail fixture breaks the schema: ${JSON.stringify(a.parsed.findings)}`);
      const own = a.findings.filter((f) => f.ruleId === c.rule);
      assert.ok(own.length > 0, `${c.rule} did not report; findings: ${JSON.stringify(a.findings.map((f) => f.ruleId + ' ' + f.message))}`);
      const first = own[0]!;
      assert.ok(first.location, `${c.rule} finding has no location`);
      if (c.target) assert.deepEqual(first.target, c.target);
      if (c.message) assert.ok(first.message.includes(c.message), `message "${first.message}" lacks "${c.message}"`);
      assert.equal(a.findings.filter((f) => f.ruleId === 'GW000').length, 0, 'a rule crashed');
    });
  }

  test('every fix offered on a failing fixture resolves the finding it comes with', () => {
    let fixes = 0;
    for (const c of cases) {
      const files = c.failFiles ?? c.files;
      const now = c.now ?? NOW;
      const first = analyze(c.fail, { now, files }).findings.find((f) => f.ruleId === c.rule);
      if (!first?.fix) continue;
      fixes++;
      const applied = applyOperations(c.fail, first.fix.operations);
      assert.ok(applied.ok, `${c.rule}: ${applied.ok ? '' : applied.error}`);
      const after = analyze(applied.text, { now, files });
      assert.equal(after.parsed.complete, true, `${c.rule}: the fixed design breaks the schema`);
      const again = after.findings.filter((f) => f.ruleId === c.rule && JSON.stringify(f.target) === JSON.stringify(first.target));
      assert.deepEqual(again, [], `${c.rule}: still reported after its fix "${first.fix.title}"`);
    }
    assert.ok(fixes >= 40, `only ${fixes} fixes were exercised`);
  });

  test('every rule has a passing and a failing fixture', () => {
    const covered = new Set(cases.map((c) => c.rule));
    const missing = RULES.map((r) => r.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, [], `rules without fixtures: ${missing.join(', ')}`);
  });
});

test('there are at least 60 rules, each with a unique id, a title, a rationale and a source', () => {
  assert.ok(RULES.length >= 60, `only ${RULES.length} rules`);
  const ids = new Set<string>();
  for (const r of RULES) {
    assert.match(r.id, /^GW\d{3}$/);
    assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
    ids.add(r.id);
    assert.ok(r.title.length > 5 && r.rationale.length > 20, `${r.id} needs a title and a rationale`);
    assert.ok(r.source.ref.length > 0, `${r.id} needs a source`);
  }
});

test('the reference design has no error and no warning, and only the infos it is meant to have', () => {
  const a = analyze(REFERENCE, { now: NOW });
  assert.deepEqual(a.findings.filter((f) => f.severity !== 'info'), []);
  // GW484: the reference cannot know the application id its API registration will get, so it accepts v1.0 tokens only.
  assert.deepEqual(a.findings.map((f) => f.ruleId).sort(), ['GW157', 'GW484']);
});
