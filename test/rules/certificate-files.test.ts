/**
 * The certificate-file rules (GW250-GW263) against real certificates made at test time, the per-validation parse
 * cache, and the file reader of the command line and the extension (src/workspace/certificate-files.ts).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { MAX_CERTIFICATE_FILE_BYTES, readCertificateFiles } from '../../src/workspace/certificate-files.js';
import { parseDesign } from '../../src/document/parse.js';
import type { Design } from '../../src/schemas/design.js';
import type { Finding } from '../../src/schemas/finding.js';
import { analyze } from '../../src/validation/analyze.js';
import { RuleContext, type CertificateFile } from '../../src/validation/context.js';
import { validateDesign } from '../../src/validation/engine.js';
import { CERTIFICATE_FILE_RULES } from '../../src/validation/rules/certificate-files.js';
import { RULES } from '../../src/validation/rules/index.js';
import { subjectAltNames } from '../../src/x509/certificate.js';
import { fileReadingOf, normalizeWorkspacePath, workspacePathProblem } from '../../src/x509/files.js';
import { splitPem } from '../../src/x509/pem.js';
import { append, deleteAt, REFERENCE, setAt } from '../helpers/reference.js';
import {
  base64Runs,
  bundle,
  clientCertificate,
  filesOf,
  generateKeys,
  intermediateCa,
  issue,
  privateKeyPem,
  rootCa,
  serverCertificate,
  x509,
} from '../helpers/pki.js';
import {
  FILE_PATHS,
  loadCertificateFileCases,
  loadPki,
  mutateWithFiles,
  NOW,
  passFiles,
  REFERENCE_WITH_FILES,
  ROOT_NOT_AFTER,
  type Pki,
} from './certificate-files.cases.js';

const OWN = new Set(CERTIFICATE_FILE_RULES.map((r) => r.id));

function own(text: string, files: ReadonlyMap<string, CertificateFile> | undefined, now = NOW): Finding[] {
  const a = analyze(text, { now, files });
  assert.equal(a.parsed.complete, true, `fixture breaks the schema: ${JSON.stringify(a.parsed.findings)}`);
  assert.equal(a.findings.filter((f) => f.ruleId === 'GW000').length, 0, `a rule crashed: ${JSON.stringify(a.findings)}`);
  return a.findings.filter((f) => OWN.has(f.ruleId));
}

function only(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.ok(parsed.complete && parsed.design);
  return parsed.design;
}

// ---------------------------------------------------------------- the RuleCases, as test/rules/rules.test.ts runs them

describe('certificate-file RuleCases', async () => {
  const cases = await loadCertificateFileCases();

  test('every certificate-file rule has a case, and ids stay in GW250-GW279', () => {
    const covered = new Set(cases.map((c) => c.rule));
    for (const r of CERTIFICATE_FILE_RULES) {
      assert.ok(covered.has(r.id), `${r.id} has no case`);
      const n = Number(r.id.slice(2));
      assert.ok(n >= 250 && n <= 279, `${r.id} is outside GW250-GW279`);
      assert.equal(r.category, 'certificate');
      assert.ok(r.title.length > 5 && r.rationale.length > 20 && r.source.ref.length > 0);
    }
    assert.ok(CERTIFICATE_FILE_RULES.length >= 8);
    assert.ok(CERTIFICATE_FILE_RULES.every((r) => RULES.includes(r)), 'the rules are registered');
  });

  for (const c of cases) {
    test(`${c.rule} passes its good fixture`, () => {
      const a = analyze(c.pass, { now: c.now ?? NOW, files: c.passFiles ?? c.files });
      assert.equal(a.parsed.complete, true);
      assert.deepEqual(a.findings.filter((f) => f.ruleId === c.rule), []);
    });
    test(`${c.rule} flags: ${c.title}`, () => {
      const a = analyze(c.fail, { now: c.now ?? NOW, files: c.failFiles ?? c.files });
      assert.equal(a.parsed.complete, true);
      const mine = a.findings.filter((f) => f.ruleId === c.rule);
      assert.ok(mine.length > 0, `${c.rule} did not report: ${JSON.stringify(a.findings.map((f) => `${f.ruleId} ${f.message}`))}`);
      const first = mine[0]!;
      assert.ok(first.location, 'finding has no location');
      if (c.target) assert.deepEqual(first.target, c.target);
      if (c.message) assert.ok(first.message.includes(c.message), `message "${first.message}" lacks "${c.message}"`);
      assert.equal(a.findings.filter((f) => f.ruleId === 'GW000').length, 0, 'a rule crashed');
    });
  }
});

// ---------------------------------------------------------------- whole fixtures

describe('certificate files: whole designs', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  test('the reference design with matching files has no certificate-file finding', () => {
    assert.deepEqual(own(REFERENCE_WITH_FILES, passFiles(pki)), []);
  });

  test('the reference design (no files) has no certificate-file finding', () => {
    assert.deepEqual(own(REFERENCE, undefined), []);
  });

  test('files the caller did not hand in are not judged', () => {
    assert.deepEqual(own(REFERENCE_WITH_FILES, new Map()), []);
  });

  test('each failing change is reported by its own rule only, not by every rule', () => {
    const expired = own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': { status: 'unreadable', reason: 'gone' } }));
    assert.deepEqual(
      expired.map((f) => f.ruleId),
      ['GW252'],
    );
  });
});

// ---------------------------------------------------------------- private keys

describe('GW251: private keys in certificate files', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });
  const variants: [string, (p: Pki) => string, string][] = [
    ['PKCS#8', (p) => privateKeyPem(p.keys.leaf, 'pkcs8'), 'holds a private key'],
    ['encrypted PKCS#8', (p) => privateKeyPem(p.keys.leaf, 'encrypted'), 'holds an encrypted private key'],
    ['PKCS#1 RSA', (p) => privateKeyPem(p.keys.leaf, 'pkcs1'), 'holds an RSA private key'],
    ['SEC1 EC', (p) => privateKeyPem(p.keys.ec, 'sec1'), 'holds an EC private key'],
  ];

  for (const [name, keyPemOf, words] of variants) {
    test(`the ${name} key is an error, and nothing of the file is echoed`, () => {
      const content = bundle(pki.apimClient.pem, keyPemOf(pki));
      const findings = own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-client': content }));
      const keys = only(findings, 'GW251');
      assert.equal(keys.length, 1);
      assert.equal(keys[0]!.severity, 'error');
      assert.deepEqual(keys[0]!.target, { kind: 'certificate', id: 'apim-client' });
      assert.ok(keys[0]!.message.includes(words), keys[0]!.message);
      const everything = JSON.stringify(analyze(REFERENCE_WITH_FILES, { now: NOW, files: passFiles(pki, { 'apim-client': content }) }).findings);
      for (const run of base64Runs(content)) {
        assert.ok(!everything.includes(run), `a finding echoes file content: ${run.slice(0, 20)}...`);
        assert.ok(!everything.includes(run.slice(0, 16)), 'a finding echoes part of the file');
      }
    });
  }

  test('a key before the certificate, a key alone, and a damaged key block are all found', () => {
    const keyFirst = own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-client': bundle(privateKeyPem(pki.keys.leaf), pki.apimClient.pem) }));
    assert.equal(only(keyFirst, 'GW251').length, 1);
    assert.deepEqual(only(keyFirst, 'GW252'), [], 'the certificate after the key is still read');

    const keyAlone = own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-client': privateKeyPem(pki.keys.leaf) }));
    assert.equal(only(keyAlone, 'GW251').length, 1);
    assert.match(only(keyAlone, 'GW252')[0]!.message, /holds no certificate, only a private key/);

    const damaged = privateKeyPem(pki.keys.leaf).split('\n').slice(0, 4).join('\n');
    const truncated = own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-client': bundle(pki.apimClient.pem, damaged) }));
    assert.equal(only(truncated, 'GW251').length, 1);
    for (const run of base64Runs(damaged)) assert.ok(!JSON.stringify(truncated).includes(run.slice(0, 16)));
  });

  test('two keys are counted without being shown', () => {
    const content = bundle(pki.apimClient.pem, privateKeyPem(pki.keys.leaf), privateKeyPem(pki.keys.ec, 'sec1'));
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-client': content })), 'GW251');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /and 1 more private key block/);
  });
});

// ---------------------------------------------------------------- reading and parsing

describe('GW250 and GW252: paths and unreadable files', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  test('absolute and escaping paths are refused; relative ones inside the workspace are not', () => {
    for (const bad of ['/etc/ssl/ca.pem', '\\\\server\\share\\ca.pem', 'C:\\certs\\ca.pem', 'c:/certs/ca.pem', '~/ca.pem', '../ca.pem', 'certs/../../ca.pem', '..\\ca.pem', '.', 'certs/..']) {
      assert.ok(workspacePathProblem(bad), `${bad} should be refused`);
    }
    for (const good of ['ca.pem', 'certs/ca.pem', './certs/ca.pem', 'certs/../ca.pem', 'certs\\ca.pem', 'a/b/c/../../ca.pem']) {
      assert.equal(workspacePathProblem(good), undefined, `${good} should be accepted`);
    }
    assert.equal(normalizeWorkspacePath('./certs//x/../ca.pem'), 'certs/ca.pem');
  });

  test('an absolute path is reported on the file property, and nothing else is said about it', () => {
    const text = mutateWithFiles((d) => setAt(d, ['certificates', 'ingress-tls', 'file'], '/etc/ssl/ingress.pem'));
    const files = passFiles(pki);
    const findings = own(text, new Map([...files, ['/etc/ssl/ingress.pem', { status: 'unreadable', reason: 'the path is absolute' } as const]]));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['GW250'],
    );
    assert.match(findings[0]!.message, /is an absolute path/);
    assert.deepEqual(findings[0]!.path, ['certificates', 3, 'file']);
  });

  test('a file that is not a PEM certificate: text, DER, damaged base64, a CSR', () => {
    const der = Buffer.from(pki.apimTls.certificate.rawData).toString('latin1');
    const cases: [string, RegExp][] = [
      ['hello', /is not a PEM certificate/],
      [der, /is binary DER, not PEM/],
      ['-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n', /has a certificate that cannot be parsed/],
      ['-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', /holds no certificate, only a CERTIFICATE REQUEST block/],
      ['-----BEGIN CERTIFICATE-----\nAAAA\n', /has no complete/],
    ];
    for (const [content, expected] of cases) {
      const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-tls': content })), 'GW252');
      assert.equal(f.length, 1, `${expected}: ${JSON.stringify(f)}`);
      assert.match(f[0]!.message, expected);
    }
  });

  test('a damaged chain certificate is reported, and the certificate is still checked', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nTUlJQm9ndXM=\n-----END CERTIFICATE-----\n';
    const findings = own(REFERENCE_WITH_FILES, passFiles(pki, { 'gateway-tls': bundle(pki.gateway.pem, broken) }));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['GW252'],
    );
    assert.match(findings[0]!.message, /certificate 2 of 2 cannot be parsed/);
  });
});

// ---------------------------------------------------------------- validity

describe('GW253: validity at ctx.now', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  test('under 30 days left is a warning that says how many; autoRenew off adds the hint', async () => {
    const soon = await clientCertificate(pki.internalCa, 'apim-client', { key: pki.keys.leaf, notAfter: new Date('2026-12-10T12:00:00Z') });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-client': soon.pem })), 'GW253');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'warning');
    assert.match(f[0]!.message, /expires on 2026-12-10, in 13 days/);
    assert.doesNotMatch(f[0]!.message, /autoRenew/, 'apim-client already has autoRenew: true');

    const noRenew = mutateWithFiles((d) => setAt(d, ['certificates', 'apim-client', 'autoRenew'], false));
    assert.match(only(own(noRenew, passFiles(pki, { 'apim-client': soon.pem })), 'GW253')[0]!.message, /set autoRenew: true/);
  });

  test('not yet valid is an error', async () => {
    const future = await serverCertificate(pki.internalCa, ['orders.internal.contoso.com'], { key: pki.keys.leaf, notBefore: new Date('2027-01-01T00:00:00Z') });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': future.pem })), 'GW253');
    assert.equal(f[0]!.severity, 'error');
    assert.match(f[0]!.message, /is not valid before 2027-01-01 \(today is 2026-11-27\)/);
  });

  test('the judgement moves with ctx.now', () => {
    const later = own(REFERENCE_WITH_FILES, passFiles(pki), new Date('2027-07-01T00:00:00Z'));
    const expired = only(later, 'GW253').map((f) => f.target.id).sort();
    assert.deepEqual(expired, ['apim-client', 'apim-tls', 'gateway-tls', 'ingress-tls']);
    assert.ok(only(later, 'GW253').every((f) => f.severity === 'error'));
  });

  test('an expired certificate in the chain is reported as such', async () => {
    const oldIssuing = await intermediateCa('Public Test Issuing CA', pki.publicRoot, {
      key: pki.keys.publicIssuing,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2026-06-01T00:00:00Z'),
    });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'gateway-tls': bundle(pki.gateway.pem, oldIssuing.pem) })), 'GW253');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /chain certificate 2 of 2 \("CN=Public Test Issuing CA, O=Gatewright Tests"\) in file "certs\/gateway-tls.pem" expired on 2026-06-01/);
  });
});

// ---------------------------------------------------------------- issuer, signature, chain

describe('GW254, GW255, GW256: issuer and signature', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  test('a same-name CA with another key: the names match but the signature does not verify', async () => {
    const forger = await rootCa('Contoso Internal CA', { key: pki.keys.other, noKeyIdentifiers: true });
    const forged = await serverCertificate(forger, ['gateway.internal.contoso.com'], { key: pki.keys.leaf, noKeyIdentifiers: true });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-tls': forged.pem })), 'GW255');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /its signature does not verify with the public key of "internal-ca"/);
  });

  test("a CA file whose key usage does not allow signing certificates breaks the chain under it", async () => {
    const notSigning = await issue({ cn: 'Contoso Internal CA', key: pki.keys.root, ca: true, notAfter: ROOT_NOT_AFTER, usages: undefined });
    // issue() gives CA certificates keyCertSign; a leaf-style key usage needs ca: false, and the file then is no CA either.
    const leafStyle = await issue({ cn: 'Contoso Internal CA', key: pki.keys.root, ca: false, notAfter: ROOT_NOT_AFTER });
    assert.deepEqual(only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'internal-ca': notSigning.pem })), 'GW255'), []);
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'internal-ca': leafStyle.pem })), 'GW255');
    assert.deepEqual(f.map((x) => x.target.id).sort(), ['apim-client', 'apim-tls', 'ingress-tls']);
    assert.match(f[0]!.message, /does not allow signing certificates \(keyCertSign\)/);
  });

  test('a key type Key Vault does not support is an error', async () => {
    const lib = await x509();
    const keys = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await lib.X509CertificateGenerator.create({
      serialNumber: '0abc01',
      subject: 'CN=gateway.internal.contoso.com',
      issuer: pki.internalCa.name,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      publicKey: keys.publicKey,
      signingKey: pki.internalCa.key.keys.privateKey,
      signingAlgorithm: pki.internalCa.key.signing,
      extensions: [new lib.SubjectAlternativeNameExtension([{ type: 'dns', value: 'gateway.internal.contoso.com' }])],
    });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-tls': cert.toString('pem') })), 'GW260');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'error');
    assert.match(f[0]!.message, /has a key of type ed25519; Key Vault certificates use RSA or EC/);
  });

  test('the fix points issuer at the design CA whose file really issued it', async () => {
    const otherCa = await rootCa('Partner CA', { key: pki.keys.other });
    const fromPartner = await serverCertificate(otherCa, ['gateway.internal.contoso.com'], { key: pki.keys.leaf });
    const text = mutateWithFiles((d) => append(d, 'certificates', { id: 'partner-ca', role: 'ca', issuer: 'self', file: 'certs/partner-ca.pem' }));
    const files = new Map([...passFiles(pki, { 'apim-tls': fromPartner.pem }), ['certs/partner-ca.pem', { status: 'read', content: otherCa.pem } as const]]);
    const f = only(own(text, files), 'GW255');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /set issuer to "partner-ca"/);
    assert.deepEqual(f[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'certificate', id: 'apim-tls' }, path: ['issuer'], value: 'partner-ca' }]);
  });

  test('declared self-signed but issued by a design CA: the fix names it', async () => {
    const text = mutateWithFiles((d) => {
      append(d, 'certificates', { id: 'public-root', role: 'ca', issuer: 'self', file: 'certs/public-root.pem' });
    });
    const underRoot = await intermediateCa('Contoso Internal CA', pki.publicRoot, { key: pki.keys.root, notAfter: ROOT_NOT_AFTER });
    const files = new Map([...passFiles(pki, { 'internal-ca': underRoot.pem }), ['certs/public-root.pem', { status: 'read', content: pki.publicRoot.pem } as const]]);
    const f = only(own(text, files), 'GW254');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0]!.target, { kind: 'certificate', id: 'internal-ca' });
    assert.deepEqual(f[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'certificate', id: 'internal-ca' }, path: ['issuer'], value: 'public-root' }]);
  });

  test('declared issued by a CA but the file is self-signed; a CA gets the issuer: self fix, a leaf none', async () => {
    const selfSignedServer = await issue({ cn: 'orders.internal.contoso.com', key: pki.keys.leaf, ca: false, usages: ['serverAuth'], dnsNames: ['orders.internal.contoso.com'] });
    const leaf = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': selfSignedServer.pem })), 'GW254');
    assert.equal(leaf.length, 1);
    assert.match(leaf[0]!.message, /declared as issued by "internal-ca", but the certificate in file "certs\/ingress-tls.pem" is self-signed/);
    assert.equal(leaf[0]!.fix, undefined);

    const text = mutateWithFiles((d) => setAt(d, ['certificates', 'internal-ca', 'issuer'], 'external'));
    const ca = only(own(text, passFiles(pki)), 'GW254');
    assert.equal(ca.length, 1);
    assert.match(ca[0]!.message, /a public CA \(issuer: external\)/);
    assert.deepEqual(ca[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'certificate', id: 'internal-ca' }, path: ['issuer'], value: 'self' }]);
  });

  test('with no file for the CA, the chain in the certificate file is used, and said so', async () => {
    // internal-ca without a file: apim-tls carries the CA as its chain.
    const text = mutateWithFiles((d) => deleteAt(d, ['certificates', 'internal-ca', 'file']));
    const files = passFiles(pki, { 'apim-tls': bundle(pki.apimTls.pem, pki.internalCa.pem) });
    files.delete('certs/internal-ca.pem');
    assert.deepEqual(own(text, files), []);

    const wrongChain = passFiles(pki, { 'apim-tls': bundle(pki.apimTls.pem, pki.publicIssuing.pem) });
    wrongChain.delete('certs/internal-ca.pem');
    const f = only(own(text, wrongChain), 'GW256');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /holds 2 certificates, the first being the certificate and the rest its chain/);

    const longLived = await serverCertificate(pki.internalCa, ['gateway.internal.contoso.com'], { key: pki.keys.leaf, notAfter: new Date('2036-06-30T00:00:00Z') });
    const outlives = passFiles(pki, { 'apim-tls': bundle(longLived.pem, pki.internalCa.pem) });
    outlives.delete('certs/internal-ca.pem');
    const g = only(own(text, outlives), 'GW262');
    assert.equal(g.length, 1);
    assert.match(g[0]!.message, /\(its first certificate; the one after it is its chain\)/);
    assert.match(g[0]!.message, /after its issuer "CN=Contoso Internal CA, O=Gatewright Tests" \(the next certificate in the file\)/);
  });

  test('a three-certificate chain in order passes; out of order it is reported once', () => {
    const good = bundle(pki.gateway.pem, pki.publicIssuing.pem, pki.publicRoot.pem);
    assert.deepEqual(own(REFERENCE_WITH_FILES, passFiles(pki, { 'gateway-tls': good })), []);
    const swapped = bundle(pki.gateway.pem, pki.publicRoot.pem, pki.publicIssuing.pem);
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'gateway-tls': swapped })), 'GW256');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /certificate 2 \("CN=Public Test Root, O=Gatewright Tests"\) did not issue certificate 1/);
  });
});

// ---------------------------------------------------------------- names, usages, constraints, keys, dates

describe('GW257-GW263: what the file says against what the design says', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  test('names: a wildcard covers, the host of the node using it counts, no SANs at all is one finding', async () => {
    const wildcard = await serverCertificate(pki.internalCa, ['*.internal.contoso.com'], { key: pki.keys.leaf });
    assert.deepEqual(only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': wildcard.pem })), 'GW257'), []);

    // The cluster calls itself by a host the design's dnsNames also list: both must be in the file.
    const text = mutateWithFiles((d) => {
      setAt(d, ['nodes', 'aks', 'properties', 'ingress', 'hostName'], 'api.orders.internal.contoso.com');
    });
    const f = only(own(text, passFiles(pki)), 'GW257');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /does not cover api.orders.internal.contoso.com \(the host name of "aks" \(aksCluster\)\)/);

    const noSan = await issue({ cn: 'orders.internal.contoso.com', issuer: pki.internalCa, key: pki.keys.leaf, ca: false, usages: ['serverAuth'] });
    const g = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': noSan.pem })), 'GW257');
    assert.equal(g.length, 1);
    assert.match(g[0]!.message, /has no DNS subject alternative names/);
  });

  test('usages: no extended key usage extension is a warning', async () => {
    const any = await serverCertificate(pki.internalCa, ['orders.internal.contoso.com'], { key: pki.keys.leaf, usages: undefined });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': any.pem })), 'GW258');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'warning');
    assert.match(f[0]!.message, /has no extended key usage extension/);
  });

  test('constraints: a server certificate that is a CA is a warning on its role', async () => {
    const caServer = await serverCertificate(pki.internalCa, ['orders.internal.contoso.com'], { key: pki.keys.leaf, ca: true });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'ingress-tls': caServer.pem })), 'GW259');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.severity, 'warning');
    assert.deepEqual(f[0]!.path, ['certificates', 3, 'role']);
  });

  test('keys: the fix sets both properties; a short RSA key is an error', async () => {
    const ec = await serverCertificate(pki.internalCa, ['gateway.internal.contoso.com'], { key: pki.keys.ec });
    const f = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-tls': ec.pem })), 'GW260');
    assert.deepEqual(f[0]!.path, ['certificates', 2, 'keyAlgorithm']);
    assert.ok(f[0]!.location, 'located at the certificate even though keyAlgorithm is not written');
    assert.deepEqual(f[0]!.fix?.operations, [
      { op: 'setProperty', target: { kind: 'certificate', id: 'apim-tls' }, path: ['keyAlgorithm'], value: 'EC' },
      { op: 'setProperty', target: { kind: 'certificate', id: 'apim-tls' }, path: ['keySize'], value: 256 },
    ]);
    const fixed = mutateWithFiles((d) => {
      setAt(d, ['certificates', 'apim-tls', 'keyAlgorithm'], 'EC');
      setAt(d, ['certificates', 'apim-tls', 'keySize'], 256);
    });
    assert.deepEqual(only(own(fixed, passFiles(pki, { 'apim-tls': ec.pem })), 'GW260'), []);

    const bigger = await serverCertificate(pki.internalCa, ['gateway.internal.contoso.com'], { key: await generateKeys({ kind: 'RSA', bits: 3072 }) });
    const size = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-tls': bigger.pem })), 'GW260');
    assert.deepEqual(size[0]!.path, ['certificates', 2, 'keySize']);

    const weak = await serverCertificate(pki.internalCa, ['gateway.internal.contoso.com'], { key: await generateKeys({ kind: 'RSA', bits: 1024 }) });
    const w = only(own(REFERENCE_WITH_FILES, passFiles(pki, { 'apim-tls': weak.pem })), 'GW260');
    assert.equal(w[0]!.severity, 'error');
    assert.match(w[0]!.message, /has a 1024-bit RSA key; RSA keys need at least 2048 bits/);
    assert.equal(w[0]!.fix, undefined);
  });

  test('notAfter: the fix sets the file date', () => {
    const text = mutateWithFiles((d) => setAt(d, ['certificates', 'internal-ca', 'notAfter'], '2030-01-01'));
    const f = only(own(text, passFiles(pki)), 'GW261');
    assert.deepEqual(f[0]!.fix?.operations, [{ op: 'setProperty', target: { kind: 'certificate', id: 'internal-ca' }, path: ['notAfter'], value: '2035-12-31' }]);
  });

  test('the same file under two spellings is one file', () => {
    const text = mutateWithFiles((d) => setAt(d, ['certificates', 'apim-tls', 'file'], './certs//ingress-tls.pem'));
    const files = new Map([...passFiles(pki), ['./certs//ingress-tls.pem', { status: 'read', content: pki.ingressTls.pem } as const]]);
    const f = only(own(text, files), 'GW263');
    assert.equal(f.length, 1);
    assert.deepEqual(f[0]!.target, { kind: 'certificate', id: 'ingress-tls' });
  });
});

// ---------------------------------------------------------------- helpers and the cache

describe('x509 helpers', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  test('each file is parsed once per validation run, whichever rule asks', () => {
    const design = designOf(REFERENCE_WITH_FILES);
    const ctx = new RuleContext(design, { now: NOW, files: passFiles(pki) });
    const cert = ctx.certificates.get('apim-tls')!;
    const first = fileReadingOf(ctx, cert);
    assert.ok(first && first.kind === 'parsed');
    assert.equal(fileReadingOf(ctx, cert), first, 'the same reading object comes back');
    const other = new RuleContext(design, { now: NOW, files: passFiles(pki) });
    assert.notEqual(fileReadingOf(other, other.certificates.get('apim-tls')!), first, 'a new run parses anew');
  });

  test('many certificates sharing files validate in linear time', () => {
    const text = mutateWithFiles((d) => {
      for (let i = 0; i < 300; i++) {
        append(d, 'certificates', { id: `extra-${i}`, role: 'client', issuer: 'internal-ca', file: `certs/extra-${i % 3}.pem` });
      }
    });
    const files = new Map([...passFiles(pki)]);
    for (let i = 0; i < 3; i++) files.set(`certs/extra-${i}.pem`, { status: 'read', content: pki.apimClient.pem });
    const start = performance.now();
    const findings = validateDesign(designOf(text), { now: NOW, files }, CERTIFICATE_FILE_RULES);
    const ms = performance.now() - start;
    // 297 of them, listed up to the engine's cap and counted after it.
    const shared = findings.filter((f) => f.ruleId === 'GW263');
    assert.equal(shared.length, 101);
    assert.match(shared.at(-1)!.message, /^\.\.\. and 197 more of GW263 \(certificate-file-shared\): 297 in all/);
    assert.equal(findings.filter((f) => f.ruleId !== 'GW263').length, 0);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  test('subjectAltName strings with quoted values and several types', () => {
    assert.deepEqual(subjectAltNames('DNS:a.example.com, IP Address:10.0.0.1, DNS:"we,ird", email:x@y.z'), [
      { type: 'DNS', value: 'a.example.com' },
      { type: 'IP Address', value: '10.0.0.1' },
      { type: 'DNS', value: 'we,ird' },
      { type: 'email', value: 'x@y.z' },
    ]);
    assert.deepEqual(subjectAltNames(undefined), []);
  });

  test('splitPem tells certificates, keys and other blocks apart', () => {
    const text = bundle(pki.apimTls.pem, privateKeyPem(pki.keys.leaf, 'encrypted'), '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----');
    const pem = splitPem(text);
    assert.equal(pem.certificates.length, 1);
    assert.deepEqual(pem.privateKeys, ['ENCRYPTED PRIVATE KEY']);
    assert.deepEqual(pem.others, ['CERTIFICATE REQUEST']);
  });
});

// ---------------------------------------------------------------- the reader of the CLI and the extension

describe('readCertificateFiles', () => {
  let pki: Pki;
  before(async () => {
    pki = await loadPki();
  });

  async function workspace(): Promise<string> {
    return mkdtemp(join(tmpdir(), 'gatewright-certs-'));
  }

  test('reads files relative to the design file, and the design then validates cleanly', async () => {
    const dir = await workspace();
    try {
      await mkdir(join(dir, 'certs'));
      for (const [id, path] of Object.entries(FILE_PATHS)) await writeFile(join(dir, path), pki.pems[id as keyof typeof FILE_PATHS]);
      const designPath = join(dir, 'payments.gatewright.yaml');
      await writeFile(designPath, REFERENCE_WITH_FILES);
      const files = await readCertificateFiles(designPath, designOf(REFERENCE_WITH_FILES));
      assert.deepEqual([...files.keys()], Object.values(FILE_PATHS).sort());
      assert.ok([...files.values()].every((f) => f.status === 'read'));
      assert.deepEqual(own(REFERENCE_WITH_FILES, files), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a workspace root, when given, is what paths are relative to', async () => {
    const dir = await workspace();
    try {
      await mkdir(join(dir, 'designs'));
      await mkdir(join(dir, 'certs'));
      await writeFile(join(dir, 'certs', 'internal-ca.pem'), pki.internalCa.pem);
      const design = designOf(mutateWithFiles(() => {}));
      const files = await readCertificateFiles(join(dir, 'designs', 'x.gatewright.yaml'), design, dir);
      assert.equal(files.get('certs/internal-ca.pem')?.status, 'read');
      const relativeToDesign = await readCertificateFiles(join(dir, 'designs', 'x.gatewright.yaml'), design);
      assert.equal(relativeToDesign.get('certs/internal-ca.pem')?.status, 'unreadable');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('refuses absolute paths, paths that leave the root, symbolic links out of it, folders and big files; never throws', async () => {
    const dir = await workspace();
    const outside = await workspace();
    try {
      await mkdir(join(dir, 'certs'));
      await writeFile(join(outside, 'secret.pem'), pki.internalCa.pem);
      await symlink(join(outside, 'secret.pem'), join(dir, 'certs', 'link.pem'));
      await mkdir(join(dir, 'certs', 'folder.pem'));
      await writeFile(join(dir, 'certs', 'big.pem'), Buffer.alloc(MAX_CERTIFICATE_FILE_BYTES + 1, 0x41));
      await writeFile(join(dir, 'certs', 'ok.pem'), pki.internalCa.pem);
      const paths: Record<string, RegExp | 'read'> = {
        [join(outside, 'secret.pem')]: /absolute path/,
        '../outside.pem': /leaves the workspace/,
        'certs/link.pem': /symbolic link/,
        'certs/folder.pem': /not a regular file/,
        'certs/big.pem': /more than the 1048576 bytes/,
        'certs/missing.pem': /no such file/,
        'certs/ok.pem': 'read',
      };
      const ids = ['internal-ca', 'gateway-tls', 'apim-tls', 'ingress-tls', 'apim-client'];
      const extra = Object.keys(paths).slice(ids.length);
      const text = mutateWithFiles((d) => {
        Object.keys(paths).slice(0, ids.length).forEach((p, i) => setAt(d, ['certificates', ids[i]!, 'file'], p));
        extra.forEach((p, i) => append(d, 'certificates', { id: `extra-${i}`, role: 'client', issuer: 'internal-ca', file: p }));
      });
      const files = await readCertificateFiles(join(dir, 'd.gatewright.yaml'), designOf(text));
      for (const [path, expected] of Object.entries(paths)) {
        const file = files.get(path);
        assert.ok(file, `no entry for ${path}`);
        if (expected === 'read') assert.equal(file.status, 'read', path);
        else {
          assert.equal(file.status, 'unreadable', path);
          assert.match(file.status === 'unreadable' ? file.reason : '', expected, path);
        }
      }
      // A design in a folder that does not exist: every file is unreadable, nothing throws.
      const nowhere = await readCertificateFiles(join(dir, 'no', 'such', 'folder', 'd.yaml'), designOf(REFERENCE_WITH_FILES));
      assert.ok([...nowhere.values()].every((f) => f.status === 'unreadable'));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  test('a design without files reads nothing', async () => {
    assert.equal((await readCertificateFiles('/nonexistent/x.gatewright.yaml', designOf(REFERENCE))).size, 0);
  });

  test('the filesOf helper builds the same map shape', () => {
    const m = filesOf({ 'a.pem': 'x', 'b.pem': { status: 'unreadable', reason: 'r' } });
    assert.deepEqual([...m.entries()], [
      ['a.pem', { status: 'read', content: 'x' }],
      ['b.pem', { status: 'unreadable', reason: 'r' }],
    ]);
  });
});
