/**
 * Hostile text in a design (issue #12, findings 5-8): stale layout entries by the ten thousand, control characters
 * meant for the terminal or the README, annotation keys Kubernetes refuses, unpaired surrogates, a `__proto__`
 * tag, and private keys in unusual armour. Each is refused or neutralised, in the command line's output and in
 * what the generators write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { parseDesign } from '../../src/document/parse.js';
import { generate } from '../../src/generators/generate.js';
import { analyze } from '../../src/validation/analyze.js';
import { MAX_FINDINGS_PER_RULE } from '../../src/validation/engine.js';
import { splitPem } from '../../src/x509/pem.js';
import { REFERENCE } from '../helpers/reference.js';
import { captureIo } from '../helpers/cli-capture.js';

const NOW = new Date('2026-11-27T12:00:00Z');
/** C0 and C1 controls but line feed and tab, line separators and bidi controls: none may reach a terminal. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// eslint-disable-next-line no-control-regex -- matching our own color sequences is the point
const SGR = /\u001b\[[0-9;]*m/g;

const capture = (cwd: string) => captureIo(cwd, NOW);

function withLayout(entries: number, id: (i: number) => string): string {
  const lines = Array.from({ length: entries }, (_, i) => `  ${JSON.stringify(id(i))}: { x: ${i}, y: 0 }`).join('\n');
  return REFERENCE.replace(/^layout:\n/m, `layout:\n${lines}\n`);
}

test('20,000 layout entries for unknown nodes: a capped list of findings with a count, in linear time', { timeout: 120_000 }, () => {
  const text = withLayout(20_000, (i) => `ghost-${i}`);
  const analysis = analyze(text, { now: NOW });
  const layout = analysis.findings.filter((f) => f.ruleId === 'GW022');
  assert.equal(layout.length, MAX_FINDINGS_PER_RULE + 1);
  assert.match(layout.at(-1)!.message, /^\.\.\. and 19900 more of GW022 \(layout-unknown-node\): 20000 in all, the first 100 listed; the first one not listed: layout has a position for "ghost-100"/);
  assert.ok(layout.every((f) => f.location !== undefined), 'every finding is located');
});

test('validate prints no control character from the design, in any format', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-control-'));
  const hostile = ['\u001b]0;pwned\u0007', 'nul\u0000byte', 'csi\u009b31m', 'bidi\u202eevil', 'line\u2028sep'];
  writeFileSync(join(dir, 'x.gatewright.yaml'), withLayout(hostile.length, (i) => hostile[i]!));
  for (const format of ['text', 'json', 'sarif']) {
    const io = capture(dir);
    assert.equal(await runCli(['validate', 'x.gatewright.yaml', '--format', format], io), 0, io.stderr);
    assert.doesNotMatch(io.stdout, RAW_CONTROL, format);
    assert.doesNotMatch(io.stderr, RAW_CONTROL, format);
    assert.match(io.stdout, /\\u001b\]0;pwned\\u0007/, `${format}: the escape is shown, not sent`);
  }
  const colored = capture(dir);
  await runCli(['validate', 'x.gatewright.yaml'], { ...colored, isTTY: true });
  assert.ok(colored.stdout.includes('\u001b[33m'), 'our own colors still reach a terminal');
  assert.doesNotMatch(colored.stdout.replace(SGR, ''), RAW_CONTROL);
});

test('text from the design adds no heading, HTML or image to the generated README', () => {
  const hostile = REFERENCE.replace(
    '      wafMode: Prevention\n',
    '      wafMode: Prevention\n      disabledRules: ["942100\\n# Owned\\n<img src=x onerror=alert(1)>\\n![x](https://attacker.example/x.png)\\u2028## Two\\u0007"]\n',
  );
  const parsed = parseDesign(hostile);
  assert.ok(parsed.design, JSON.stringify(parsed.findings));
  const readme = generate(parsed.design, { caPems: new Map() }).files.find((f) => f.path === 'README.md')!.content;
  const headings = readme.split('\n').filter((l) => /^\s{0,3}#/.test(l));
  const clean = generate(parseDesign(REFERENCE).design!, { caPems: new Map() }).files.find((f) => f.path === 'README.md')!.content;
  assert.deepEqual(headings, clean.split('\n').filter((l) => /^\s{0,3}#/.test(l)), 'the same headings as without the hostile text');
  assert.doesNotMatch(readme, /<img|!\[x\]/);
  assert.doesNotMatch(readme, RAW_CONTROL);
});

test('annotation keys Kubernetes refuses, unpaired surrogates and __proto__ keys are schema errors', () => {
  const withAnnotations = (key: string) =>
    REFERENCE.replace(/^(\s+)verifyClient: (\S+)\n/m, (_m, indent: string, value: string) => `${indent}verifyClient: ${value}\n${indent}annotations: { ${JSON.stringify(key)}: "1" }\n`);
  assert.notEqual(withAnnotations('x'), REFERENCE);
  for (const key of ['', 'a\u2028b', 'has space', '-leading', `${'a'.repeat(64)}`, `${'a'.repeat(254)}/name`, 'UPPER.example/x', 'a/b/c']) {
    const parsed = parseDesign(withAnnotations(key));
    assert.ok(
      parsed.findings.some((f) => f.ruleId === 'GW002' && /qualified name/.test(f.message)),
      `${JSON.stringify(key)}: ${JSON.stringify(parsed.findings.map((f) => f.message))}`,
    );
  }
  for (const key of ['nginx.ingress.kubernetes.io/proxy-body-size', 'example.com/a_b.c', 'simple']) {
    assert.deepEqual(parseDesign(withAnnotations(key)).findings, [], key);
  }

  const surrogate = REFERENCE.replace(/^(\s+)label: API consumers$/m, '$1label: "lone \\ud800 half"');
  const lone = parseDesign(surrogate);
  assert.equal(lone.design, undefined);
  assert.match(lone.findings[0]!.message, /unpaired UTF-16 surrogate/);
  assert.ok(lone.findings[0]!.location!.line > 1, 'located at the text');
  const paired = parseDesign(REFERENCE.replace(/^(\s+)label: API consumers$/m, '$1label: "pair \\ud83d\\ude00 ok"'));
  assert.deepEqual(paired.findings, [], 'a surrogate pair is a character');

  const proto = REFERENCE.replace(/^( {2})tags:\n/m, '$1tags:\n$1  __proto__: x\n');
  assert.notEqual(proto, REFERENCE);
  const refused = parseDesign(proto);
  assert.equal(refused.design, undefined);
  assert.match(refused.findings[0]!.message, /"__proto__" is refused/);
});

test('private keys are found in any armour, any label, any case and as bare base64', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const sec1 = privateKey.export({ format: 'pem', type: 'sec1' }) as string;
  const encrypted = privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
  const rsa = (generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }) as string);
  const body = (pem: string) => pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('\n');
  const variants: Record<string, string> = {
    'a TAB in the armour': pkcs8.replace('-----BEGIN PRIVATE KEY-----', '-----BEGIN\tPRIVATE KEY-----'),
    'lower-case armour': pkcs8.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, (_m, w: string) => `-----${w.toLowerCase()} private key-----`),
    'a TRUSTED CERTIFICATE label': pkcs8.replace(/PRIVATE KEY/g, 'TRUSTED CERTIFICATE'),
    'a CERTIFICATE label on a SEC1 key': sec1.replace(/EC PRIVATE KEY/g, 'CERTIFICATE'),
    'an encrypted key labelled CERTIFICATE': encrypted.replace(/ENCRYPTED PRIVATE KEY/g, 'CERTIFICATE'),
    'a PKCS#1 RSA key labelled X509 CRL': rsa.replace(/RSA PRIVATE KEY/g, 'X509 CRL'),
    'bare base64 of a PKCS#8 key': body(pkcs8),
    'bare base64 of a PKCS#1 key': body(rsa),
  };
  for (const [name, text] of Object.entries(variants)) {
    assert.ok(splitPem(text).privateKeys.length > 0, name);
  }
  const certificateOnly = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZ3Vlc3Q=\n-----END CERTIFICATE-----\n';
  assert.deepEqual(splitPem(certificateOnly).privateKeys, [], 'a certificate is not a key');
});
