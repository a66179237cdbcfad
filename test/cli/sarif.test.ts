/**
 * `validate --format sarif` against the SARIF 2.1.0 JSON schema (draft-04), as shipped in
 * @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json), plus what the schema cannot check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { runCli, type CliIo } from '../../src/cli/run.js';
import { artifactLocation, toSarif } from '../../src/cli/sarif.js';
import { RULE_CATALOG } from '../../src/validation/rules/index.js';
import { analyze } from '../../src/validation/analyze.js';
import { REFERENCE } from '../helpers/reference.js';
import { MALFORMED } from './fixtures.js';

const require = createRequire(import.meta.url);
const SCHEMA_PATH = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function sarifValidator() {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  // The schema is draft-04. One of its patterns (for language tags) has a stray "]" that only a
  // non-unicode regular expression accepts, hence unicodeRegExp: false.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

async function sarifOf(text: string, file = 'designs/x.gatewright.yaml'): Promise<{ log: Sarif.Log; status: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-sarif-'));
  mkdirSync(join(dir, 'designs'));
  writeFileSync(join(dir, file), text);
  let stdout = '';
  const io: CliIo = { cwd: dir, env: {}, isTTY: false, now: new Date('2026-11-27T12:00:00Z'), out: (t) => (stdout += t), err: () => {} };
  const status = await runCli(['validate', file, '--format', 'sarif'], io);
  return { log: JSON.parse(stdout) as Sarif.Log, status, dir };
}

test('the SARIF log of the reference design is valid SARIF 2.1.0 and holds only its planned notes', async () => {
  const validate = sarifValidator();
  const { log, status } = await sarifOf(REFERENCE);
  assert.equal(status, 0);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  assert.equal(log.version, '2.1.0');
  assert.deepEqual(log.runs[0]!.results!.map((r) => `${r.ruleId} ${r.level}`).sort(), ['GW157 note', 'GW484 note']);
});

for (const [name, m] of Object.entries(MALFORMED)) {
  test(`the SARIF log of a design with ${name} is valid SARIF 2.1.0 and points at the file`, async () => {
    const validate = sarifValidator();
    const { log, status } = await sarifOf(m.text);
    assert.equal(status, 1);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    assert.ok(run.results!.length > 0);
    for (const r of run.results!) {
      assert.equal(rules[r.ruleIndex!]!.id, r.ruleId, 'ruleIndex points at the rule');
      assert.ok(['error', 'warning', 'note'].includes(r.level!));
      const loc = r.locations![0]!.physicalLocation!;
      assert.equal(loc.artifactLocation!.uri, 'designs/x.gatewright.yaml');
      assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
    }
    const own = run.results!.find((r) => r.ruleId === m.ruleId)!;
    const region = own.locations![0]!.physicalLocation!.region!;
    assert.ok(region.startLine! >= 1 && region.startColumn! >= 1);
    assert.ok(region.endLine! >= region.startLine!);
  });
}

test('the SARIF validator is not lenient: a wrong level, a line 0 and an unknown key are rejected', () => {
  const validate = sarifValidator();
  const run = (result: object, driver: object = {}) => ({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', ...driver } }, results: [result] }] });
  assert.equal(validate(run({ message: { text: 'a' }, level: 'fatal' })), false);
  assert.equal(validate(run({ message: { text: 'a' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }] })), false);
  assert.equal(validate(run({ message: { text: 'a' } }, { bogus: 1 })), false);
  assert.equal(validate(run({ message: { text: 'a' } })), true);
});

test('tool.driver describes every rule of the catalogue', async () => {
  const { log } = await sarifOf(REFERENCE);
  const driver = log.runs[0]!.tool.driver;
  assert.equal(driver.name, 'gatewright');
  assert.match(driver.version!, /^\d+\.\d+\.\d+/);
  assert.deepEqual(
    driver.rules!.map((r) => r.id),
    RULE_CATALOG.map((r) => r.id),
  );
  RULE_CATALOG.forEach((rule, i) => {
    const d = driver.rules![i]!;
    assert.equal(d.name, rule.name);
    assert.equal(d.shortDescription!.text, rule.title);
    assert.equal(d.fullDescription!.text, rule.rationale);
    assert.equal(d.helpUri, rule.source.url);
    assert.equal(d.defaultConfiguration!.level, rule.severity === 'info' ? 'note' : rule.severity);
    assert.equal(d.properties!.sourceTool, rule.source.tool);
    assert.equal(d.properties!.sourceRef, rule.source.ref);
  });
});

test('severity maps to level: info is note', () => {
  const findings = analyze(MALFORMED['a dangling edge']!.text).findings.map((f, i) => (i === 0 ? { ...f, severity: 'info' as const } : f));
  const log = toSarif(findings, { file: 'a.yaml', cwd: '/tmp', rules: RULE_CATALOG });
  assert.equal(log.runs[0]!.results![0]!.level, 'note');
});

test('artifact URIs: relative below the current directory, file: URIs elsewhere, encoded', () => {
  assert.deepEqual(artifactLocation('a/b c.yaml', '/work/x'), { uri: 'a/b%20c.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('/work/x/a.yaml', '/work/x'), { uri: 'a.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('../y/a.yaml', '/work/x'), { uri: 'file:///work/y/a.yaml' });
});
