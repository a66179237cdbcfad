/** `gatewright rehearse FILE`, called through runCli: the table, JSON, exit statuses, and no key in the output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/run.js';
import type { RehearsalJson } from '../../src/rehearsal/report.js';
import { REFERENCE } from '../helpers/reference.js';

const DESIGN = 'payments.gatewright.yaml';

async function run(cwd: string, ...args: string[]) {
  const io: CliIo & { stdout: string; stderr: string } = {
    cwd,
    env: {},
    isTTY: false,
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  };
  const status = await runCli(args, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

let base: Promise<string> | undefined;
/** A folder where certs dev ran on the reference design, made once; each test works on a copy. */
async function folder(text?: string): Promise<string> {
  base ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewright-rehearse-base-'));
    writeFileSync(join(dir, DESIGN), REFERENCE);
    const made = await run(dir, 'certs', 'dev', DESIGN);
    assert.equal(made.status, 0, made.stderr);
    return dir;
  })();
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-rehearse-'));
  cpSync(await base, dir, { recursive: true });
  if (text !== undefined) {
    writeFileSync(join(dir, DESIGN), text);
    const made = await run(dir, 'certs', 'dev', DESIGN);
    assert.equal(made.status, 0, made.stderr);
  }
  return dir;
}

function privateLines(dir: string): string[] {
  const privateDir = join(dir, 'certs', 'private');
  return readdirSync(privateDir)
    .filter((n) => n.endsWith('.key.pem'))
    .flatMap((n) => {
      const cert = readFileSync(join(dir, 'certs', n.replace('.key.pem', '.pem')), 'utf8').split('\n').filter((l) => !l.startsWith('-----')).join('');
      return readFileSync(join(privateDir, n), 'utf8').split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----') && !cert.includes(l));
    });
}

test('rehearse prints a table of every case and exits 0 when every case behaves as designed', async () => {
  const dir = await folder();
  const result = await run(dir, 'rehearse', DESIGN);
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const lines = result.stdout.split('\n');
  assert.match(lines[0]!, /^EDGE +CASE +EXPECTED +GOT +RESULT +REASON$/);
  assert.match(result.stdout, /apim-aks \(mtls\) +no client certificate +refused +refused +pass +refused by the callee "aks": no client certificate was sent/);
  assert.match(result.stdout, /internet-appgw \(https\) +caller as designed +accepted +accepted +pass/);
  assert.match(result.stdout, /payments\.gatewright\.yaml: 12 cases, 12 passed, 0 failed: every case behaved as the design says\./);
  for (const line of privateLines(dir)) assert.ok(!result.stdout.includes(line) && !result.stderr.includes(line));
  assert.doesNotMatch(result.stdout + result.stderr, /PRIVATE KEY|BEGIN CERTIFICATE/);
});

test('--format json: edges with their cases and the summary', async () => {
  const dir = await folder();
  const result = await run(dir, 'rehearse', DESIGN, '--format', 'json');
  assert.equal(result.status, 0, result.stderr);
  const json = JSON.parse(result.stdout) as RehearsalJson;
  assert.deepEqual(json.edges.map((e) => e.id), ['internet-appgw', 'appgw-apim', 'apim-aks']);
  const mtls = json.edges.find((e) => e.id === 'apim-aks')!;
  assert.deepEqual(mtls.cases[0], {
    case: 'expected',
    title: 'caller as designed',
    expected: 'accepted',
    got: 'accepted',
    pass: true,
    reason: 'accepted',
    detail: mtls.cases[0]!.detail,
  });
  assert.deepEqual(json.summary, { cases: 12, passed: 12, failed: 0 });
});

test('a design with errors is refused as generate refuses it: the errors listed, no handshake, exit 1', async () => {
  // The ingress certificate does not name the host API Management calls: GW205 (and the file no longer matches the design: GW257).
  const dir = await folder();
  writeFileSync(join(dir, DESIGN), readFileSync(join(dir, DESIGN), 'utf8').replace('hostName: orders.internal.contoso.com', 'hostName: billing.internal.contoso.com'));
  for (const format of ['text', 'json']) {
    const result = await run(dir, 'rehearse', DESIGN, '--format', format);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stdout, '', 'nothing rehearsed');
    assert.match(result.stderr, /^payments\.gatewright\.yaml:\d+:\d+: error GW205 /m);
    assert.match(result.stderr, /gatewright: nothing rehearsed: fix the errors above first \(gatewright validate payments\.gatewright\.yaml\)\n$/);
    assert.match(result.stderr, /: 2 errors, 0 warnings, 0 infos\n/, 'only the errors are listed');
  }
  writeFileSync(join(dir, 'bad.gatewright.yaml'), 'apiVersion: gatewright/v1\nkind: Architecture\n');
  const invalid = await run(dir, 'rehearse', 'bad.gatewright.yaml');
  assert.equal(invalid.status, 1);
  assert.match(invalid.stderr, /error GW002 [\s\S]*nothing rehearsed/);
});

test('without the development certificates: exit 2, and what to run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-rehearse-none-'));
  writeFileSync(join(dir, DESIGN), REFERENCE);
  const result = await run(dir, 'rehearse', DESIGN);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot rehearse payments\.gatewright\.yaml:\n {2}no certificate for "apim-client" \(looked for certs\/apim-client\.pem\)/);
  assert.match(result.stderr, /gatewright certs dev payments\.gatewright\.yaml/);
  assert.equal(result.stdout, '');
});

test('usage errors exit 2', async () => {
  const dir = await folder();
  for (const args of [['rehearse'], ['rehearse', DESIGN, 'more'], ['rehearse', DESIGN, '--format', 'sarif'], ['rehearse', DESIGN, '--timeout', '0'], ['rehearse', DESIGN, '--nope']]) {
    const result = await run(dir, ...args);
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, /Usage: gatewright rehearse FILE/, args.join(' '));
  }
  const missing = await run(dir, 'rehearse', 'nowhere.gatewright.yaml');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read nowhere\.gatewright\.yaml: no such file/);
  const help = await run(dir, 'help', 'rehearse');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Exit status: 0 every case behaved as expected; 1 at least one did not, or FILE has an error finding/);
});
