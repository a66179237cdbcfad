/** `gatewright certs dev FILE`, called through runCli on real files in a temporary folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/run.js';
import { REFERENCE } from '../helpers/reference.js';

function capture(cwd: string): CliIo & { stdout: string; stderr: string } {
  const io = {
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
  return io;
}

async function run(cwd: string, ...args: string[]) {
  const io = capture(cwd);
  const status = await runCli(args, io);
  return { status, stdout: io.stdout, stderr: io.stderr };
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Every base64 line of every private key under the private folder that is private: lines that also occur in the
 * certificate's own base64 (the public modulus, which a PKCS#8 key repeats) are public and left out.
 */
function keyLines(privateDir: string, publicDir = join(privateDir, '..')): string[] {
  const base64 = (pem: string) => pem.split('\n').filter((l) => !l.startsWith('-----')).join('');
  return readdirSync(privateDir)
    .filter((n) => n.endsWith('.key.pem'))
    .flatMap((n) => {
      const certificate = base64(readFileSync(join(publicDir, n.replace(/\.key\.pem$/, '.pem')), 'utf8'));
      return readFileSync(join(privateDir, n), 'utf8')
        .split('\n')
        .filter((l) => l.length >= 16 && !l.startsWith('-----') && !certificate.includes(l));
    });
}

function assertNoKey(text: string, lines: readonly string[], where: string): void {
  assert.doesNotMatch(text, /PRIVATE KEY/, `${where} holds no private key block`);
  for (const line of lines) assert.ok(!text.includes(line), `${where} holds no line of a private key`);
}

const DESIGN = 'payments.gatewright.yaml';

function folder(text = REFERENCE): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-certs-'));
  writeFileSync(join(dir, DESIGN), text);
  return dir;
}

let made: Promise<{ dir: string; first: Awaited<ReturnType<typeof run>> }> | undefined;
/** One folder where `certs dev` ran on the reference design (shared by the tests that only read it). */
function reference() {
  made ??= (async () => {
    const dir = folder();
    const first = await run(dir, 'certs', 'dev', DESIGN);
    return { dir, first };
  })();
  return made;
}

test('certs dev writes public PEMs, private keys and PFX files where they belong, with owner-only permissions', async () => {
  const { dir, first } = await reference();
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(files(join(dir, 'certs')), [
    'apim-client.pem',
    'apim-tls.pem',
    'external.stand-in-ca.pem',
    'gateway-tls.pem',
    'ingress-tls.pem',
    'internal-ca.pem',
    'private/.gitignore',
    'private/apim-client.key.pem',
    'private/apim-client.pfx',
    'private/apim-tls.key.pem',
    'private/apim-tls.pfx',
    'private/external.stand-in-ca.key.pem',
    'private/external.stand-in-ca.pfx',
    'private/gateway-tls.key.pem',
    'private/gateway-tls.pfx',
    'private/ingress-tls.key.pem',
    'private/ingress-tls.pfx',
    'private/internal-ca.key.pem',
    'private/internal-ca.pfx',
  ]);
  const privateDir = join(dir, 'certs', 'private');
  assert.equal(statSync(privateDir).mode & 0o777, 0o700);
  for (const name of readdirSync(privateDir).filter((n) => n !== '.gitignore')) {
    assert.equal(statSync(join(privateDir, name)).mode & 0o777, 0o600, name);
  }
  assert.ok(readFileSync(join(privateDir, '.gitignore'), 'utf8').split('\n').includes('*'), 'the private folder ignores everything in it');
  for (const name of readdirSync(join(dir, 'certs')).filter((n) => n.endsWith('.pem'))) {
    assertNoKey(readFileSync(join(dir, 'certs', name), 'utf8'), keyLines(privateDir), name);
  }
  assert.match(first.stdout, /PFX files have no password/);
  assert.match(first.stdout, /"gateway-tls" is issued by a public CA in production \(issuer: external\); for development it is issued by a stand-in CA of its own/);
});

test('certs dev sets the file fields through minimal edits, and validate then finds nothing wrong with the files', async () => {
  const { dir, first } = await reference();
  const text = readFileSync(join(dir, DESIGN), 'utf8');
  const before = REFERENCE.split('\n');
  const after = text.split('\n');
  assert.deepEqual(before.filter((l) => !after.includes(l)), ['    notAfter: "2035-12-31"']);
  assert.deepEqual(
    after.filter((l) => !before.includes(l)).map((l) => l.trim()),
    ['file: certs/internal-ca.pem', `notAfter: "${after.find((l) => l.includes('notAfter'))!.split('"')[1]}"`, 'file: certs/gateway-tls.pem', 'file: certs/apim-tls.pem', 'file: certs/ingress-tls.pem', 'file: certs/apim-client.pem'],
  );
  // The summary printed before the file was written names every change.
  assert.match(first.stdout, /Changes to payments\.gatewright\.yaml:\n {2}certificate "internal-ca": file: \(none\) -> certs\/internal-ca\.pem\n/);
  assert.match(first.stdout, /certificate "internal-ca": notAfter: 2035-12-31 -> \d{4}-\d{2}-\d{2}/);
  assert.ok(first.stdout.indexOf('Changes to') < first.stdout.indexOf(`Wrote ${DESIGN}`));

  const validate = await run(dir, 'validate', DESIGN, '--format', 'json');
  assert.equal(validate.status, 0, validate.stdout);
  const findings = (JSON.parse(validate.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
  assert.deepEqual(findings.filter((f) => /^GW2[56]\d$/.test(f.ruleId)), [], 'no certificate-file finding');
  assert.deepEqual(findings.filter((f) => f.ruleId.startsWith('GW2')), []);
});

test('a second run keeps keys and certificates and changes nothing; --force replaces the keys', async () => {
  const dir = folder();
  assert.equal((await run(dir, 'certs', 'dev', DESIGN)).status, 0);
  const privateDir = join(dir, 'certs', 'private');
  const snapshot = () => Object.fromEntries(files(join(dir, 'certs')).map((f) => [f, readFileSync(join(dir, 'certs', f), 'latin1')]));
  const design = readFileSync(join(dir, DESIGN), 'utf8');
  const before = snapshot();
  const again = await run(dir, 'certs', 'dev', DESIGN);
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(snapshot(), before, 'nothing rewritten');
  assert.equal(readFileSync(join(dir, DESIGN), 'utf8'), design);
  assert.match(again.stdout, /already names these files: no change/);
  assert.match(again.stdout, /internal-ca +ca +reused/);

  const forced = await run(dir, 'certs', 'dev', DESIGN, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  for (const name of readdirSync(privateDir).filter((n) => n.endsWith('.key.pem'))) {
    assert.notEqual(readFileSync(join(privateDir, name), 'utf8'), before[`private/${name}`], `${name} replaced`);
  }
});

test('--dry-run prints the plan and writes nothing', async () => {
  const dir = folder();
  const result = await run(dir, 'certs', 'dev', DESIGN, '--dry-run');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Would change payments\.gatewright\.yaml:/);
  assert.match(result.stdout, /Dry run: nothing was written/);
  assert.equal(existsSync(join(dir, 'certs')), false);
  assert.equal(readFileSync(join(dir, DESIGN), 'utf8'), REFERENCE);
  assert.doesNotMatch(result.stdout, /PRIVATE KEY/);
});

test('--out, --private, --days and --root; paths in the design are relative to the root', async () => {
  const dir = folder();
  const result = await run(dir, 'certs', 'dev', DESIGN, '--out', 'pki/dev', '--private', 'secret', '--days', '40');
  assert.equal(result.status, 0, result.stderr);
  assert.ok(existsSync(join(dir, 'pki', 'dev', 'ingress-tls.pem')));
  assert.ok(existsSync(join(dir, 'secret', 'ingress-tls.key.pem')));
  assert.ok(existsSync(join(dir, 'secret', '.gitignore')));
  assert.match(readFileSync(join(dir, DESIGN), 'utf8'), /file: pki\/dev\/ingress-tls\.pem/);
  assert.match(result.stdout, /\(40 days\)/);
  const validate = await run(dir, 'validate', DESIGN);
  assert.equal(validate.status, 0, validate.stdout);

  const nested = mkdtempSync(join(tmpdir(), 'gatewright-certs-root-'));
  const designDir = join(nested, 'designs');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(designDir);
  writeFileSync(join(designDir, DESIGN), REFERENCE);
  const rooted = await run(nested, 'certs', 'dev', `designs/${DESIGN}`, '--root', '.', '--out', 'certs');
  assert.equal(rooted.status, 0, rooted.stderr);
  assert.match(readFileSync(join(designDir, DESIGN), 'utf8'), /file: certs\/ingress-tls\.pem/, 'relative to the workspace root');
  const validateRooted = await run(nested, 'validate', `designs/${DESIGN}`, '--root', '.', '--format', 'json');
  const rootedFindings = (JSON.parse(validateRooted.stdout) as { findings: { ruleId: string }[] }).findings;
  assert.deepEqual(rootedFindings.filter((f) => f.ruleId.startsWith('GW2')), []);
});

test('usage errors exit 2; a design whose certificates cannot be made exits 1 and writes nothing', async () => {
  const dir = folder();
  for (const args of [
    ['certs'],
    ['certs', 'prod', DESIGN],
    ['certs', 'dev'],
    ['certs', 'dev', DESIGN, 'extra'],
    ['certs', 'dev', DESIGN, '--days', '0'],
    ['certs', 'dev', DESIGN, '--days', 'ninety'],
    ['certs', 'dev', DESIGN, '--bogus'],
    ['certs', 'dev', DESIGN, '--out', '../elsewhere'],
    ['certs', 'dev', DESIGN, '--out', 'certs', '--private', 'certs'],
  ]) {
    const result = await run(dir, ...args);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /Usage: gatewright certs dev FILE/, args.join(' '));
  }
  const missing = await run(dir, 'certs', 'dev', 'nowhere.gatewright.yaml');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read nowhere\.gatewright\.yaml: no such file/);
  assert.equal(existsSync(join(dir, 'certs')), false);

  const broken = folder(REFERENCE.replace('    issuer: internal-ca\n    keyVault: kv\n    dnsNames: [orders', '    issuer: nowhere-ca\n    keyVault: kv\n    dnsNames: [orders'));
  const result = await run(broken, 'certs', 'dev', DESIGN);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /certificate "ingress-tls" names "nowhere-ca" as its issuer/);
  assert.equal(existsSync(join(broken, 'certs')), false);

  const help = await run(dir, 'certs', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /without password/);
  assert.match((await run(dir, '--help')).stdout, /certs dev FILE/);
});

test('no private key in the design, the generated files or the output', async () => {
  const { dir, first } = await reference();
  const lines = keyLines(join(dir, 'certs', 'private'));
  assert.ok(lines.length > 100);
  assertNoKey(first.stdout + first.stderr, lines, 'the output of certs dev');
  assertNoKey(readFileSync(join(dir, DESIGN), 'utf8'), lines, 'the design');
  const generated = await run(dir, 'generate', DESIGN, '--out', 'generated');
  assert.equal(generated.status, 0, generated.stderr);
  assertNoKey(generated.stdout + generated.stderr, lines, 'the output of generate');
  for (const f of files(join(dir, 'generated'))) assertNoKey(readFileSync(join(dir, 'generated', f), 'utf8'), lines, `generated/${f}`);
  // The generated CA bundle holds the development CA (public) certificate.
  const bundle = files(join(dir, 'generated')).find((f) => f.endsWith('mtls-client-ca.yaml'));
  assert.ok(bundle);
  const ca = readFileSync(join(dir, 'certs', 'internal-ca.pem'), 'utf8').split('\n')[1]!;
  assert.ok(readFileSync(join(dir, 'generated', bundle), 'utf8').includes(ca));
});
