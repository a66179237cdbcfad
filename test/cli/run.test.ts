/** The command line's functions, called directly: runCli with a captured terminal, and the formatters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultName, runCli, type CliIo } from '../../src/cli/run.js';
import { COLORS, formatJson, formatText, PLAIN, styleFor, summaryLine } from '../../src/cli/report.js';
import { formatRules } from '../../src/cli/rules-list.js';
import type { Finding } from '../../src/schemas/finding.js';
import { RULE_CATALOG } from '../../src/validation/rules/index.js';
import { referenceDesign } from '../../src/designs/reference.js';
import { MALFORMED, pointsRight } from './fixtures.js';

const NOW = new Date('2026-11-27T12:00:00Z');

interface Captured extends CliIo {
  stdout: string;
  stderr: string;
}

function capture(cwd: string, extra: Partial<CliIo> = {}): Captured {
  const io: Captured = {
    cwd,
    env: {},
    isTTY: false,
    now: NOW,
    stdout: '',
    stderr: '',
    out(text) {
      io.stdout += text;
    },
    err(text) {
      io.stderr += text;
    },
    ...extra,
  };
  return io;
}

const workdir = () => mkdtempSync(join(tmpdir(), 'gatewright-run-'));

test('init then validate through runCli: 0, no error, no warning (two planned infos)', async () => {
  const dir = workdir();
  const io = capture(dir);
  assert.equal(await runCli(['init', 'x/payments.gatewright.yaml'], io), 0);
  assert.equal(readFileSync(join(dir, 'x', 'payments.gatewright.yaml'), 'utf8'), referenceDesign());
  const v = capture(dir);
  assert.equal(await runCli(['validate', 'x/payments.gatewright.yaml', '--format', 'json'], v), 0);
  const out = JSON.parse(v.stdout) as { findings: Array<{ ruleId: string; severity: string }>; summary: object };
  assert.deepEqual(out.summary, { errors: 0, warnings: 0, infos: 2 });
  assert.deepEqual(out.findings.map((f) => `${f.ruleId} ${f.severity}`).sort(), ['GW157 info', 'GW484 info']);
});

for (const [name, m] of Object.entries(MALFORMED)) {
  test(`runCli on ${name}: 1 and a located ${m.ruleId}`, async () => {
    const dir = workdir();
    writeFileSync(join(dir, 'b.gatewright.yaml'), m.text);
    const io = capture(dir);
    assert.equal(await runCli(['validate', 'b.gatewright.yaml', '-f', 'json'], io), 1);
    const out = JSON.parse(io.stdout) as { findings: Array<{ ruleId: string; location?: { line: number; column: number } }> };
    const f = out.findings.find((x) => x.ruleId === m.ruleId);
    assert.ok(f?.location, `no located ${m.ruleId}: ${io.stdout}`);
    assert.ok(pointsRight(m, f.location.line));
    assert.equal(io.stderr, '');
  });
}

test('usage errors: 2, message and usage on stderr, nothing on stdout', async () => {
  const io = capture(workdir());
  assert.equal(await runCli(['validate', '--nope', 'x'], io), 2);
  assert.match(io.stderr, /^gatewright: validate: unknown option '--nope'/);
  assert.match(io.stderr, /Usage: gatewright validate/);
  assert.equal(io.stdout, '');
});

test('an unexpected exception: one line, 2', async () => {
  const dir = workdir();
  writeFileSync(join(dir, 'a.gatewright.yaml'), referenceDesign());
  const io = capture(dir, {
    out() {
      throw new Error('disk on fire\n    at somewhere (x.js:1:1)');
    },
  });
  assert.equal(await runCli(['validate', 'a.gatewright.yaml'], io), 2);
  assert.equal(io.stderr, 'gatewright: internal error: disk on fire\n');
});

test('--root: certificate files are read relative to it', async () => {
  const dir = workdir();
  const text = referenceDesign().replace('    notAfter: "2035-12-31"\n', '    notAfter: "2035-12-31"\n    file: certs/internal-ca.pem\n');
  writeFileSync(join(dir, 'a.gatewright.yaml'), text);
  const io = capture(dir);
  await runCli(['validate', 'a.gatewright.yaml', '-f', 'json', '--root', 'elsewhere'], io);
  const out = JSON.parse(io.stdout) as { findings: Array<{ message: string; target: { id?: string } }> };
  // The file is missing under either folder; what matters is that it was looked for under --root.
  const about = out.findings.filter((f) => f.target.id === 'internal-ca').map((f) => f.message).join('\n');
  assert.match(about, /elsewhere/, about);
  assert.equal(await runCli(['validate', 'a.gatewright.yaml', '--root', ''], capture(dir)), 2);
});

test('defaultName takes the file name when it is a valid design name', () => {
  assert.equal(defaultName('demo/payments.gatewright.yaml', false), 'payments');
  assert.equal(defaultName('a/b/orders-eu.gatewright.yml', false), 'orders-eu');
  assert.equal(defaultName('x.gatewright.yaml', false), 'payments');
  assert.equal(defaultName('Bad_Name.gatewright.yaml', true), 'my-api');
});

const SAMPLE: Finding[] = [
  {
    ruleId: 'GW011',
    severity: 'error',
    message: 'edge "a-b": to "b" is not a node id',
    target: { kind: 'edge', id: 'a-b' },
    path: ['edges', 0, 'to'],
    location: { line: 12, column: 20, endLine: 12, endColumn: 21 },
  },
  { ruleId: 'GW000', severity: 'error', message: 'internal error in rule GW999 (x): boom\nsecond line', target: { kind: 'document' } },
  { ruleId: 'GW182', severity: 'warning', message: 'no workspace', target: { kind: 'document' }, location: { line: 1, column: 1, endLine: 1, endColumn: 1 } },
];
const SUMMARY = { errors: 2, warnings: 1, infos: 0 };

test('formatText: compiler-style lines, one line per finding, summary', () => {
  assert.equal(
    formatText('f.yaml', SAMPLE, SUMMARY),
    'f.yaml:12:20: error GW011 edge "a-b": to "b" is not a node id\n' +
      'f.yaml: error GW000 internal error in rule GW999 (x): boom second line\n' +
      'f.yaml:1:1: warning GW182 no workspace\n' +
      'f.yaml: 2 errors, 1 warning, 0 infos\n',
  );
  assert.equal(formatText('f.yaml', [], { errors: 0, warnings: 0, infos: 0 }), 'f.yaml: no findings\n');
  assert.equal(summaryLine({ errors: 1, warnings: 0, infos: 1 }), '1 error, 0 warnings, 1 info');
});

test('colors only on a terminal without NO_COLOR', () => {
  assert.equal(styleFor(true, {}), COLORS);
  assert.equal(styleFor(false, {}), PLAIN);
  assert.equal(styleFor(true, { NO_COLOR: '1' }), PLAIN);
  assert.equal(styleFor(true, { NO_COLOR: '' }), COLORS, 'an empty NO_COLOR does not count (no-color.org)');
  const colored = formatText('f.yaml', SAMPLE, SUMMARY, COLORS);
  const ESC = '\u001b';
  assert.ok(colored.includes(`${ESC}[31merror${ESC}[39m`), 'errors are red');
  assert.equal(colored.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), ''), formatText('f.yaml', SAMPLE, SUMMARY));
});

test('formatJson: the spec keys only, location without its end', () => {
  const out = JSON.parse(formatJson(SAMPLE, SUMMARY)) as { findings: Array<Record<string, unknown>> };
  assert.deepEqual(out.findings[0], {
    ruleId: 'GW011',
    severity: 'error',
    message: 'edge "a-b": to "b" is not a node id',
    target: { kind: 'edge', id: 'a-b' },
    location: { line: 12, column: 20 },
  });
  assert.deepEqual(out.findings[1], { ruleId: 'GW000', severity: 'error', message: SAMPLE[1]!.message, target: { kind: 'document' } });
});

test('formatRules: every rule, with its source', () => {
  const text = formatRules(RULE_CATALOG, 'text');
  assert.equal(text.trimEnd().split('\n').length, RULE_CATALOG.length + 1);
  const withUrl = RULE_CATALOG.find((r) => r.source.url);
  if (withUrl) assert.ok(formatRules(RULE_CATALOG, 'markdown').includes(`](${withUrl.source.url})`));
  const json = JSON.parse(formatRules(RULE_CATALOG, 'json')) as { rules: Array<{ id: string; fixable: boolean }> };
  assert.equal(json.rules.length, RULE_CATALOG.length);
});
