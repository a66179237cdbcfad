/**
 * Deep nesting must give a located GW001 finding (or exit 1 from validate), never abort the process: a 2 KB text
 * of brackets used to end in "FATAL ERROR: RegExpCompiler Allocation failed", exit 134 (issue #12, finding 4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_NESTING, nestingProblem } from '../../src/document/depth.js';
import { applyOperations } from '../../src/document/edits/index.js';
import { parseDesign } from '../../src/document/parse.js';
import { analyze } from '../../src/validation/analyze.js';
import { REFERENCE } from '../helpers/reference.js';

const ROOT = new URL('../..', import.meta.url).pathname;

const HOSTILE: Record<string, string> = {
  'a thousand brackets': `${'['.repeat(1000)}${']'.repeat(1000)}\n`,
  'a thousand braces in a value': `apiVersion: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}\n`,
  'a 1,500-deep compact block sequence': `${'- '.repeat(1500)}x\n`,
  'a 1,500-deep indented block sequence': `${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}-`).join('\n')} x\n`,
  'a 1,500-deep block mapping': `${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} x\n`,
  'nesting under the reference design': `${REFERENCE}extra: ${'['.repeat(600)}${']'.repeat(600)}\n`,
};

test('every deep text is one located GW001 finding, from the parser and from analyze', () => {
  for (const [name, text] of Object.entries(HOSTILE)) {
    const parsed = parseDesign(text);
    assert.equal(parsed.design, undefined, name);
    assert.equal(parsed.findings.length, 1, name);
    const [finding] = parsed.findings;
    assert.equal(finding!.ruleId, 'GW001', name);
    assert.match(finding!.message, new RegExp(`nest more than ${MAX_NESTING} levels`), name);
    assert.ok(finding!.location && finding!.location.line >= 1, `${name}: located`);
    const analysis = analyze(text);
    assert.equal(analysis.summary.errors, 1, name);
  }
});

test('the designer\'s edits refuse a deep text with an error, not a crash', () => {
  const result = applyOperations(HOSTILE['a thousand brackets']!, [{ op: 'moveNode', id: 'apim', position: { x: 1, y: 2 } }]);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.error, /nest more than/);
});

test('real designs, quoted brackets and comments are not counted as nesting', () => {
  assert.equal(nestingProblem(REFERENCE), undefined);
  assert.equal(nestingProblem(`a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\n`), undefined);
  assert.equal(nestingProblem(`${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`), undefined, 'exactly the bound is fine');
  assert.ok(nestingProblem(`${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`));
});

test('gatewright validate on each deep file exits 1 with GW001 in a fresh process (no abort, exit 134)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-deep-'));
  const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  for (const [name, text] of Object.entries(HOSTILE)) {
    const file = `${name.replace(/\W+/g, '-')}.gatewright.yaml`;
    writeFileSync(join(dir, file), text);
    for (const format of ['text', 'json', 'sarif']) {
      const run = spawnSync(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/main.ts'), 'validate', file, '--format', format], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 1, `${name} (${format}): exit ${run.status} signal ${run.signal}: ${run.stderr.slice(0, 300)}`);
      assert.match(run.stdout, /GW001/, `${name} (${format})`);
    }
  }
});
