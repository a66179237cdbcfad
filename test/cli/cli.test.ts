/**
 * The `gatewright` command line, run as users run it: the built dist/cli.js as a child process
 * (scripts/build.mjs first), in a temporary folder. Exit statuses and output formats follow
 * shared/spec/design-format.md, "Command line".
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_CATALOG } from '../../src/validation/rules/index.js';
import { referenceDesign } from '../../src/designs/reference.js';
import { version } from '../../package.json';
import { MALFORMED, pointsRight } from './fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');
const NO_STACK = /^\s+at .+[:(]\d+/m;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gatewright(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'gatewright-cli-'));
}

interface JsonOut {
  findings: Array<{
    ruleId: string;
    severity: string;
    message: string;
    target: { kind: string; id?: string };
    location?: { line: number; column: number };
  }>;
  summary: { errors: number; warnings: number; infos: number };
}

before(() => {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
  assert.ok(statSync(CLI).mode & 0o100, 'dist/cli.js is not executable');
});

describe('gatewright init', () => {
  test('init then validate: exit 0 with no error and no warning, in every format', () => {
    const dir = workdir();
    const init = gatewright(dir, 'init', 'demo/payments.gatewright.yaml');
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /Wrote the reference architecture "payments"/);
    const text = readFileSync(join(dir, 'demo', 'payments.gatewright.yaml'), 'utf8');
    assert.equal(text, referenceDesign('payments', 'westeurope'));

    const plain = gatewright(dir, 'validate', 'demo/payments.gatewright.yaml');
    assert.equal(plain.status, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /^demo\/payments\.gatewright\.yaml:\d+:\d+: info GW157 /m);
    assert.doesNotMatch(plain.stdout, /: (error|warning) GW/);
    assert.equal(plain.stderr, '');

    const json = gatewright(dir, 'validate', 'demo/payments.gatewright.yaml', '--format', 'json');
    assert.equal(json.status, 0);
    const out = JSON.parse(json.stdout) as { findings: Array<{ ruleId: string }>; summary: object };
    // Two planned infos: the move to the Gateway API (GW157), and only v1 tokens until the design names the API's
    // application id, which the reference cannot know (GW484).
    assert.deepEqual(out.summary, { errors: 0, warnings: 0, infos: 2 });
    assert.deepEqual(out.findings.map((f) => f.ruleId).sort(), ['GW157', 'GW484']);

    const sarif = gatewright(dir, 'validate', 'demo/payments.gatewright.yaml', '--format=sarif');
    assert.equal(sarif.status, 0);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
    assert.equal(log.version, '2.1.0');
    assert.deepEqual(log.runs[0]!.results.map((r) => `${r.ruleId} ${r.level}`).sort(), ['GW157 note', 'GW484 note']);
  });

  test('--name, --location and --blank', () => {
    const dir = workdir();
    const r = gatewright(dir, 'init', 'orders.gatewright.yaml', '--name', 'orders-eu', '--location', 'northeurope');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'orders.gatewright.yaml'), 'utf8'), referenceDesign('orders-eu', 'northeurope'));
    assert.equal(gatewright(dir, 'validate', 'orders.gatewright.yaml').status, 0);

    const blank = gatewright(dir, 'init', 'empty/x.gatewright.yaml', '--blank');
    assert.equal(blank.status, 0, blank.stderr);
    const text = readFileSync(join(dir, 'empty', 'x.gatewright.yaml'), 'utf8');
    assert.match(text, /^nodes: \[\]$/m);
    assert.match(text, /^ {2}name: my-api$/m, 'x is not a valid design name, so the default is used');
    const v = gatewright(dir, 'validate', 'empty/x.gatewright.yaml', '--format', 'json');
    assert.equal((JSON.parse(v.stdout) as JsonOut).summary.errors, 0);
  });

  test('the design name defaults to the file name when it is a valid name', () => {
    const dir = workdir();
    assert.equal(gatewright(dir, 'init', 'shop-api.gatewright.yaml').status, 0);
    assert.match(readFileSync(join(dir, 'shop-api.gatewright.yaml'), 'utf8'), /^ {2}name: shop-api$/m);
  });

  test('refuses to overwrite: exit 2, a clear message, the file unchanged', () => {
    const dir = workdir();
    const file = join(dir, 'mine.gatewright.yaml');
    writeFileSync(file, '# my own work\n');
    const before = statSync(file).mtimeMs;
    const r = gatewright(dir, 'init', 'mine.gatewright.yaml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /mine\.gatewright\.yaml already exists; init never overwrites/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(readFileSync(file, 'utf8'), '# my own work\n');
    assert.equal(statSync(file).mtimeMs, before);
    assert.equal(r.stdout, '');
  });

  test('bad --name or --location: exit 2 with the reason', () => {
    const dir = workdir();
    const r = gatewright(dir, 'init', 'a.gatewright.yaml', '--name', 'Payments!');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--name "Payments!" must match/);
    assert.equal(gatewright(dir, 'init', 'a.gatewright.yaml', '--location', 'West Europe').status, 2);
    assert.equal(gatewright(dir, 'init').status, 2, 'FILE is required');
    assert.equal(gatewright(dir, 'init', 'a.yaml', 'b.yaml').status, 2);
  });

  test('a folder that cannot be created: exit 2, one line', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, () => {
    const dir = workdir();
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    const r = gatewright(dir, 'init', 'locked/sub/x.gatewright.yaml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gatewright: cannot write locked\/sub\/x\.gatewright\.yaml: /);
  });

  test('a parent that is a file: exit 2, one line, no stack', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'plain'), 'x');
    const r = gatewright(dir, 'init', 'plain/x.gatewright.yaml');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gatewright: cannot write plain\/x\.gatewright\.yaml: /);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});

describe('gatewright validate', () => {
  for (const [name, m] of Object.entries(MALFORMED)) {
    test(`${name}: exit 1, a located ${m.ruleId} finding, no stack trace`, () => {
      const dir = workdir();
      writeFileSync(join(dir, 'broken.gatewright.yaml'), m.text);
      const r = gatewright(dir, 'validate', 'broken.gatewright.yaml', '--format', 'json');
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
      assert.doesNotMatch(r.stdout, NO_STACK);
      const out = JSON.parse(r.stdout) as JsonOut;
      const own = out.findings.filter((f) => f.ruleId === m.ruleId);
      assert.ok(own.length > 0, `no ${m.ruleId} in ${JSON.stringify(out.findings)}`);
      const first = own[0]!;
      assert.equal(first.severity, 'error');
      assert.ok(first.location, 'no location');
      assert.ok(first.location.line >= 1 && first.location.column >= 1);
      assert.ok(pointsRight(m, first.location.line), `${m.ruleId} at line ${first.location.line}, expected the line with "${m.lineHas}"`);
      assert.ok(out.summary.errors >= 1);
      assert.equal(out.summary.errors, out.findings.filter((f) => f.severity === 'error').length);

      const text = gatewright(dir, 'validate', 'broken.gatewright.yaml');
      assert.equal(text.status, 1);
      assert.match(text.stdout, new RegExp(`^broken\\.gatewright\\.yaml:${first.location.line}:${first.location.column}: error ${m.ruleId} `, 'm'));
      assert.doesNotMatch(text.stdout, NO_STACK);
    });
  }

  test('JSON output has exactly the keys of the spec', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'd.gatewright.yaml'), MALFORMED['a dangling edge']!.text);
    const out = JSON.parse(gatewright(dir, 'validate', 'd.gatewright.yaml', '--format', 'json').stdout) as JsonOut;
    assert.deepEqual(Object.keys(out), ['findings', 'summary']);
    assert.deepEqual(Object.keys(out.summary), ['errors', 'warnings', 'infos']);
    for (const f of out.findings) {
      const keys = Object.keys(f);
      assert.deepEqual(keys.filter((k) => k !== 'location'), ['ruleId', 'severity', 'message', 'target']);
      assert.ok(['error', 'warning', 'info'].includes(f.severity));
      assert.ok(['document', 'node', 'edge', 'certificate'].includes(f.target.kind));
      if (f.location) assert.deepEqual(Object.keys(f.location), ['line', 'column']);
      if (f.target.kind !== 'document') assert.ok(f.location, `${f.ruleId} on ${f.target.kind} has no location`);
    }
    const dangling = out.findings.find((f) => f.ruleId === 'GW011')!;
    assert.deepEqual(dangling.target, { kind: 'edge', id: 'apim-nowhere' });
  });

  test('text output: FILE:LINE:COL: severity RULE message, a summary line, no colors when not a terminal', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'd.gatewright.yaml'), MALFORMED['a dangling edge']!.text);
    const r = gatewright(dir, 'validate', 'd.gatewright.yaml');
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines.slice(0, -1)) assert.match(line, /^d\.gatewright\.yaml:\d+:\d+: (error|warning|info) GW\d{3} \S/);
    assert.match(lines[lines.length - 1]!, /^d\.gatewright\.yaml: \d+ errors?, \d+ warnings?, \d+ infos?$/);
    assert.ok(!r.stdout.includes('\u001b['), 'no ANSI escape');
  });

  test('an empty file and a YAML file that is not a design: findings, exit 1', () => {
    const dir = workdir();
    for (const [file, content] of [
      ['empty.gatewright.yaml', ''],
      ['list.gatewright.yaml', '- a\n- b\n'],
      ['scalar.gatewright.yaml', 'hello\n'],
      ['binary.gatewright.yaml', '\u0000\u0001\u0002\uffff'],
    ]) {
      writeFileSync(join(dir, file!), content!);
      const r = gatewright(dir, 'validate', file!, '--format', 'json');
      assert.equal(r.status, 1, `${file}: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as JsonOut;
      assert.ok(out.findings.length > 0);
      assert.ok(out.findings.every((f) => f.location), `${file}: a finding without location`);
    }
  });

  test('a warning alone exits 0', () => {
    const dir = workdir();
    // Detection mode is a warning-level concern at most; the design stays deployable.
    const text = referenceDesign().replace('      wafMode: Prevention\n', '      wafMode: Detection\n');
    writeFileSync(join(dir, 'w.gatewright.yaml'), text);
    const out = JSON.parse(gatewright(dir, 'validate', 'w.gatewright.yaml', '--format', 'json').stdout) as JsonOut;
    const status = gatewright(dir, 'validate', 'w.gatewright.yaml').status;
    assert.equal(status, out.summary.errors > 0 ? 1 : 0);
  });

  test('missing file, a folder: exit 2, one line, no stack trace', () => {
    const dir = workdir();
    for (const target of ['missing.gatewright.yaml', '.']) {
      const r = gatewright(dir, 'validate', target);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^gatewright: cannot read /);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.doesNotMatch(r.stderr, NO_STACK);
    }
  });

  test('bad flags and arguments: exit 2 with the usage', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'a.gatewright.yaml'), referenceDesign());
    for (const args of [
      ['validate', 'a.gatewright.yaml', '--bogus'],
      ['validate', 'a.gatewright.yaml', '--format', 'xml'],
      ['validate', 'a.gatewright.yaml', '--format'],
      ['validate'],
      ['validate', 'a.gatewright.yaml', 'b.gatewright.yaml'],
      ['frobnicate'],
      ['--bogus'],
      [],
      ['rules', '--format', 'pdf'],
      ['rules', 'extra'],
    ]) {
      const r = gatewright(dir, ...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^gatewright: /);
      assert.match(r.stderr, /Usage:/);
      assert.doesNotMatch(r.stderr, NO_STACK);
    }
  });
});

describe('gatewright help, version, rules', () => {
  test('--help and --version', () => {
    const dir = workdir();
    const help = gatewright(dir, '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /gatewright init FILE/);
    assert.match(help.stdout, /gatewright validate FILE \[--format text\|json\|sarif\]/);
    for (const command of ['init', 'validate', 'rules']) {
      const r = gatewright(dir, command, '--help');
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(`^Usage: gatewright ${command}`));
      assert.deepEqual(gatewright(dir, 'help', command).stdout, r.stdout);
    }
    const v = gatewright(dir, '--version');
    assert.equal(v.status, 0);
    assert.equal(v.stdout, `${version}\n`);
  });

  test('rules lists every rule in every format', () => {
    const dir = workdir();
    const text = gatewright(dir, 'rules');
    assert.equal(text.status, 0);
    for (const r of RULE_CATALOG) assert.match(text.stdout, new RegExp(`^${r.id} `, 'm'));

    const json = JSON.parse(gatewright(dir, 'rules', '--format', 'json').stdout) as { rules: Array<{ id: string; severity: string; title: string; source: { tool: string } }> };
    assert.deepEqual(
      json.rules.map((r) => r.id),
      RULE_CATALOG.map((r) => r.id),
    );
    assert.ok(json.rules.every((r) => r.title && r.severity && r.source.tool));

    const md = gatewright(dir, 'rules', '--format', 'markdown').stdout;
    assert.match(md, /^\| id \| severity \| category \| title \| source \|$/m);
    for (const r of RULE_CATALOG) {
      assert.match(md, new RegExp(`^\\| \\[${r.id}\\]`, 'm'));
      assert.match(md, new RegExp(`^## ${r.id} ${r.name}$`, 'm'));
    }
  });
});
