/** `gatewright generate FILE --out DIR`, called through runCli on real files in a temporary folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../helpers/cli-capture.js';

const NOW = new Date('2026-11-27T12:00:00Z');

const capture = (cwd: string) => captureIo(cwd, NOW);

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

async function initDesign(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-gen-'));
  assert.equal(await runCli(['init', 'payments.gatewright.yaml'], capture(dir)), 0);
  return dir;
}

test('generate writes every artifact the spec lists, and a README', async () => {
  const dir = await initDesign();
  const io = capture(dir);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '--out', 'out'], io), 0, io.stderr);
  const files = tree(join(dir, 'out'));
  for (const path of ['infra/main.bicep', 'infra/main.json', 'infra/main.parameters.json', 'k8s/kustomization.yaml', 'apim/policies/apim-orders.xml', 'README.md', '.gatewright-generated.json']) {
    assert.ok(files.has(path), `missing ${path}; have ${[...files.keys()].join(', ')}`);
  }
  assert.ok([...files.keys()].some((p) => /^k8s\/.+\/.+-ingress\.yaml$/.test(p)), 'an ingress manifest');
  assert.match(io.stdout, /^Wrote \d+ files to out/);
  assert.match(io.stderr, /warning: .*client CA bundle/, 'the manual step for the CA bundle is said');
  const template = JSON.parse(files.get('infra/main.json')!) as { resources: unknown[] };
  assert.ok(template.resources.length > 50);
  for (const [path, content] of files) {
    assert.doesNotMatch(content, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, `${path} holds a private key`);
    assert.doesNotMatch(content, /"password"\s*:|\bpassword\s*[:=]\s*["']?[^\s"'<]{4,}/i, `${path} holds a password`);
    assert.doesNotMatch(content, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, `${path} holds a token`);
  }
});

test('the same design always gives byte-identical files', async () => {
  const dir = await initDesign();
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'a'], capture(dir)), 0);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'b'], capture(dir)), 0);
  const a = tree(join(dir, 'a'));
  const b = tree(join(dir, 'b'));
  a.delete('.gatewright-generated.json');
  b.delete('.gatewright-generated.json');
  assert.deepEqual(a, b);
  const again = capture(dir);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'a'], again), 0);
  assert.match(again.stdout, /^Wrote 0 files to a \(\d+ unchanged\)/);
});

test('a file edited by hand is never overwritten without --force, and nothing else is written then', async () => {
  const dir = await initDesign();
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'out'], capture(dir)), 0);
  const bicep = join(dir, 'out', 'infra', 'main.bicep');
  const edited = `${readFileSync(bicep, 'utf8')}\n// my own change\n`;
  writeFileSync(bicep, edited);
  // A design change, so that other files would change too.
  const design = join(dir, 'payments.gatewright.yaml');
  writeFileSync(design, readFileSync(design, 'utf8').replace('retentionDays: 90', 'retentionDays: 120'));
  const before = tree(join(dir, 'out'));

  const refused = capture(dir);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'out'], refused), 2);
  assert.match(refused.stderr, /nothing written: .*edited by hand/);
  assert.match(refused.stderr, /infra\/main\.bicep/);
  assert.deepEqual(tree(join(dir, 'out')), before, 'nothing changed on disk');

  const forced = capture(dir);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'out', '--force'], forced), 0, forced.stderr);
  assert.doesNotMatch(readFileSync(bicep, 'utf8'), /my own change/);
  assert.match(readFileSync(join(dir, 'out', 'infra', 'main.json'), 'utf8'), /"retentionInDays": 120/);
});

test('a design with an error finding writes nothing and exits 1', async () => {
  const dir = await initDesign();
  const design = join(dir, 'payments.gatewright.yaml');
  writeFileSync(design, readFileSync(design, 'utf8').replace('sku: WAF_v2', 'sku: Standard_v2'));
  const io = capture(dir);
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml', '-o', 'out'], io), 1);
  assert.match(io.stderr, /GW100/);
  assert.match(io.stderr, /nothing generated/);
  assert.equal(existsSync(join(dir, 'out')), false);
});

test('usage errors exit 2', async () => {
  const dir = await initDesign();
  assert.equal(await runCli(['generate', 'payments.gatewright.yaml'], capture(dir)), 2, '--out is required');
  assert.equal(await runCli(['generate', '--out', 'x'], capture(dir)), 2, 'FILE is required');
  assert.equal(await runCli(['generate', 'missing.gatewright.yaml', '--out', 'x'], capture(dir)), 2, 'unreadable file');
});
