/** `gatewright trace FILE`, called through runCli: the hops as text and JSON, --api, and the exit statuses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { TraceReport } from '../../src/trace/types.js';
import { HOP_IDS, VERDICTS } from '../../src/trace/types.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { captureIo } from '../helpers/cli-capture.js';

const DESIGN = 'payments.gatewright.yaml';
const NOW = new Date('2026-12-07T12:00:00Z');

async function run(cwd: string, ...args: string[]) {
  const io = captureIo(cwd, NOW);
  const status = await runCli(args, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

function folder(text: string = REFERENCE): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-trace-'));
  writeFileSync(join(dir, DESIGN), text);
  return dir;
}

test('trace --format json: the documented shape, every hop in order, evidence with file, line, column and value', async () => {
  const r = await run(folder(), 'trace', DESIGN, '--format', 'json');
  const report = JSON.parse(r.stdout) as TraceReport;
  assert.equal(report.version, 1);
  assert.equal(r.status, report.verdict === 'fail' ? 1 : 0, 'exit 1 exactly when a hop fails');
  assert.equal(report.paths.length, 1);
  const path = report.paths[0]!;
  assert.equal(path.api, 'orders');
  assert.deepEqual(path.hops.map((h) => h.id), HOP_IDS);
  for (const hop of path.hops) {
    assert.ok(VERDICTS.includes(hop.verdict));
    for (const c of hop.checks) {
      assert.ok(c.id.startsWith(`${hop.id}.`), c.id);
      for (const e of c.evidence) {
        assert.equal(typeof e.file, 'string');
        assert.ok(Number.isInteger(e.line) && e.line >= 1 && Number.isInteger(e.column) && e.column >= 1, `${c.id} ${e.file}:${e.line}:${e.column}`);
        assert.equal(typeof e.value, 'string');
      }
      if (c.verdict === 'unknown-until-deployed') assert.ok(c.dependsOn, `${c.id} says what it depends on`);
      if (c.verdict === 'fail') assert.ok(c.fix, `${c.id} says what to change`);
    }
  }
});

test('trace (text): a WAF in Detection mode fails the entry hop, at the line of the generated policy, exit 1', async () => {
  const text = mutateReference((doc) => setAt(doc, ['nodes', 'appgw', 'properties', 'wafMode'], 'Detection'));
  const r = await run(folder(text), 'trace', DESIGN);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^API orders: https:\/\/api\.contoso\.com\/orders \(payments\.gatewright\.yaml\): FAIL$/m);
  assert.match(r.stdout, /^1\. Internet to Application Gateway \(api\.contoso\.com\): FAIL$/m);
  assert.match(r.stdout, /\[FAIL\] WAF policy attached, in Prevention mode\n.*Detection mode.*\n(?:.*\n)*?\s+infra\/main\.json:\d+:\d+ {2}Detection\n/);
  assert.match(r.stdout, /fix: Set wafMode: Prevention on the applicationGateway node\./);
  // Without certificate files the trusted roots are Key Vault's to hold until deployment: the trace says on what.
  assert.match(r.stdout, /depends on: \S/);
});

test('trace --api: one API; an unknown API traces nothing, names the APIs and exits 1', async () => {
  const dir = folder();
  const one = await run(dir, 'trace', DESIGN, '--api', 'orders', '--format', 'json');
  assert.deepEqual((JSON.parse(one.stdout) as TraceReport).paths.map((p) => p.api), ['orders']);
  const none = await run(dir, 'trace', DESIGN, '--api', 'refunds');
  assert.equal(none.status, 1);
  assert.match(none.stdout, /note: No API named "refunds"; the APIs are orders\./);
});

test('trace: usage errors and unreadable files exit 2', async () => {
  const dir = folder();
  for (const args of [['trace'], ['trace', DESIGN, '--format', 'xml'], ['trace', DESIGN, '--api='], ['trace', DESIGN, 'extra'], ['trace', 'missing.gatewright.yaml']]) {
    const r = await run(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /gatewright: /);
  }
  writeFileSync(join(dir, 'bad.gatewright.yaml'), 'apiVersion: gatewright/v1\nkind: Architecture\nnodes: [\n');
  const bad = await run(dir, 'trace', 'bad.gatewright.yaml');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /cannot trace bad\.gatewright\.yaml/);
  const help = await run(dir, 'trace', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: gatewright trace FILE \[--api NAME\] \[--format text\|json\]/);
});
