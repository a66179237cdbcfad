/** Development certificates (src/pki): what makeDevCertificates makes for a design, what it keeps on a second run, and its PFX files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { parseDesign } from '../../src/document/parse.js';
import { applyOperations } from '../../src/document/edits/index.js';
import { designChangesFor } from '../../src/pki/design-edits.js';
import { devCertificateOrder, makeDevCertificates, STAND_IN_CA_ID, type DevCertificate, type ExistingMaterial } from '../../src/pki/dev.js';
import { pkijs } from '../../src/pki/library.js';
import type { Design } from '../../src/schemas/design.js';
import { OID_CLIENT_AUTH, OID_SERVER_AUTH } from '../../src/x509/certificate.js';
import { splitPem } from '../../src/x509/pem.js';
import { append, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

const NOW = new Date();
const DAY = 24 * 60 * 60 * 1000;

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.ok(parsed.design && parsed.complete, parsed.findings.map((f) => f.message).join('\n'));
  return parsed.design;
}

function certs(pem: string): X509Certificate[] {
  return splitPem(pem).certificates.map((b) => new X509Certificate(b));
}

async function make(design: Design, existing: Map<string, ExistingMaterial> = new Map(), options: { days?: number; force?: boolean; now?: Date } = {}) {
  const result = await makeDevCertificates(design, existing, { now: options.now ?? NOW, days: options.days ?? 90, force: options.force ?? false });
  assert.ok(result.ok, result.ok ? '' : result.problems.join('\n'));
  return result;
}

/** What a second run finds: the public PEMs, the keys and that the PFX files are there. */
function leftBy(made: readonly DevCertificate[], keys: Map<string, string> = new Map()): Map<string, ExistingMaterial> {
  const out = new Map<string, ExistingMaterial>();
  for (const c of made) {
    const keyPem = c.keyPem ?? keys.get(c.id);
    if (keyPem !== undefined) keys.set(c.id, keyPem);
    out.set(c.id, { certificatePem: c.publicPem, ...(keyPem !== undefined ? { keyPem } : {}), hasPfx: true });
  }
  return out;
}

const REFERENCE_DESIGN = designOf(REFERENCE);
let referenceRun: Promise<Awaited<ReturnType<typeof make>>> | undefined;
const reference = () => (referenceRun ??= make(REFERENCE_DESIGN));

test('the reference design: a private CA, every declared certificate, and a stand-in CA for the external one', async () => {
  const { certificates } = await reference();
  assert.deepEqual(
    certificates.map((c) => [c.id, c.role, c.issuer, c.action]),
    [
      [STAND_IN_CA_ID, 'ca', 'self', 'created'],
      ['internal-ca', 'ca', 'self', 'created'],
      ['gateway-tls', 'server', STAND_IN_CA_ID, 'created'],
      ['apim-tls', 'server', 'internal-ca', 'created'],
      ['ingress-tls', 'server', 'internal-ca', 'created'],
      ['apim-client', 'client', 'internal-ca', 'created'],
    ],
  );
  const byId = new Map(certificates.map((c) => [c.id, c]));
  for (const c of certificates) {
    const [leaf, ...chain] = certs(c.publicPem);
    assert.ok(leaf, c.id);
    // Key: RSA 2048 (the design's default; API Management needs RSA), and the key file is its PKCS#8 key.
    assert.equal(leaf.publicKey.asymmetricKeyType, 'rsa', c.id);
    assert.equal(leaf.publicKey.asymmetricKeyDetails?.modulusLength, 2048, c.id);
    assert.match(c.keyPem ?? '', /^-----BEGIN PRIVATE KEY-----\n/);
    assert.ok(leaf.checkPrivateKey(createPrivateKey(c.keyPem!)), `${c.id}: the key is the certificate's`);
    // No key in a public file.
    assert.doesNotMatch(c.publicPem, /PRIVATE KEY/);
    // Role.
    assert.equal(leaf.ca, c.role === 'ca', c.id);
    if (c.role === 'server') assert.deepEqual(leaf.keyUsage, [OID_SERVER_AUTH], c.id);
    if (c.role === 'client') assert.deepEqual(leaf.keyUsage, [OID_CLIENT_AUTH], c.id);
    // Names: exactly the design's dnsNames.
    const sans = (leaf.subjectAltName ?? '').split(', ').filter(Boolean);
    assert.deepEqual(sans, c.dnsNames.map((n) => `DNS:${n}`), c.id);
    assert.match(leaf.subject, new RegExp(`O=Gatewright development\\nOU=payments\\nCN=`), c.id);
    // Chain: the certificate, then its issuer up to the root; each issued by the next.
    const expectedChain: string[] = [];
    for (let up = c.issuer; up !== 'self'; up = byId.get(up)!.issuer) expectedChain.push(up);
    assert.equal(chain.length, expectedChain.length, `${c.id}: chain length`);
    [leaf, ...chain].forEach((cert, i) => {
      const issuer = chain[i] ?? cert;
      assert.ok(cert.checkIssued(issuer) && cert.verify(issuer.publicKey), `${c.id}: certificate ${i + 1} is issued by the next`);
    });
    // Validity: 90 days, never past the issuer.
    const notAfter = new Date(leaf.validTo);
    assert.ok(Math.abs(notAfter.getTime() - (NOW.getTime() + 90 * DAY)) < 5000, `${c.id}: ${leaf.validTo}`);
    if (chain[0]) assert.ok(notAfter <= new Date(chain[0].validTo), `${c.id} does not outlive its issuer`);
    assert.ok(new Date(leaf.validFrom) <= NOW);
  }
});

test('the PFX holds the key, the certificate and its chain, without password, readable by Node and PKI.js', async () => {
  const { certificates } = await reference();
  const ingress = certificates.find((c) => c.id === 'ingress-tls')!;
  assert.ok(ingress.pfx);
  // Node (OpenSSL) opens it without a passphrase.
  createSecureContext({ pfx: Buffer.from(ingress.pfx) });
  createSecureContext({ pfx: Buffer.from(ingress.pfx), passphrase: '' });

  const { pkijs: lib, asn1js } = await pkijs();
  const bytes = ingress.pfx;
  const pfx = new lib.PFX({ schema: asn1js.fromBER(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).result });
  await pfx.parseInternalValues({ password: new ArrayBuffer(0), checkIntegrity: true }); // throws when the MAC does not verify
  const safe = pfx.parsedValue!.authenticatedSafe!;
  await safe.parseInternalValues({ safeContents: [{}] });
  const contents = safe.parsedValue.safeContents as { privacyMode: number; value: { safeBags: { bagId: string; bagValue: unknown }[] } }[];
  assert.equal(contents.length, 1);
  assert.equal(contents[0]!.privacyMode, 0, 'no encryption: Key Vault imports it without a password');
  const bags = contents[0]!.value.safeBags.map((b) => b.bagId);
  assert.deepEqual(bags, ['1.2.840.113549.1.12.10.1.1', '1.2.840.113549.1.12.10.1.3', '1.2.840.113549.1.12.10.1.3'], 'a key bag, then the certificate and its CA');
});

test('a second run keeps every key and every certificate that still matches the design', async () => {
  const first = await reference();
  const keys = new Map<string, string>();
  const existing = leftBy(first.certificates, keys);
  const second = await make(REFERENCE_DESIGN, existing);
  for (const c of second.certificates) {
    assert.equal(c.action, 'reused', `${c.id}: ${c.why}`);
    assert.equal(c.keyAction, 'reused');
    assert.equal(c.keyPem, undefined, 'no key file to write');
    assert.equal(c.pfx, undefined, 'no PFX to write');
    assert.equal(c.publicPem, existing.get(c.id)!.certificatePem);
  }
});

test('a certificate whose design changed is issued again for the same key', async () => {
  const first = await reference();
  const keys = new Map<string, string>();
  const existing = leftBy(first.certificates, keys);
  const changed = designOf(mutateReference((doc) => setAt(doc, ['certificates', 'ingress-tls', 'dnsNames'], ['orders.internal.contoso.com', 'orders2.internal.contoso.com'])));
  const second = await make(changed, existing);
  const ingress = second.certificates.find((c) => c.id === 'ingress-tls')!;
  assert.equal(ingress.action, 'reissued');
  assert.match(ingress.why, /dnsNames changed/);
  assert.equal(ingress.keyAction, 'reused');
  assert.equal(ingress.keyPem, undefined, 'the key is kept');
  assert.ok(ingress.pfx, 'the PFX is written again');
  const [leaf] = certs(ingress.publicPem);
  assert.ok(leaf!.checkPrivateKey(createPrivateKey(keys.get('ingress-tls')!)));
  assert.equal(leaf!.subjectAltName, 'DNS:orders.internal.contoso.com, DNS:orders2.internal.contoso.com');
  assert.deepEqual(
    second.certificates.filter((c) => c.action !== 'reused').map((c) => c.id),
    ['ingress-tls'],
  );
});

test('--force makes new keys; a kept key of another kind needs --force', async () => {
  const first = await reference();
  const keys = new Map<string, string>();
  const existing = leftBy(first.certificates, keys);
  const forced = await make(REFERENCE_DESIGN, existing, { force: true });
  for (const c of forced.certificates) {
    assert.equal(c.action, 'reissued');
    assert.equal(c.keyAction, 'created');
    assert.ok(c.keyPem && c.keyPem !== keys.get(c.id), `${c.id} has a new key`);
  }
  const bigger = designOf(mutateReference((doc) => setAt(doc, ['certificates', 'apim-client', 'keySize'], 3072)));
  const refused = await makeDevCertificates(bigger, existing, { now: NOW, days: 90, force: false });
  assert.equal(refused.ok, false);
  const message = refused.ok ? '' : refused.problems.join('\n');
  assert.match(message, /"apim-client".*RSA 2048 key, but the design asks for RSA 3072.*--force/);
  const key = keys.get('apim-client')!;
  for (const line of key.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) assert.ok(!message.includes(line), 'no key material in the message');
});

test('a design whose certificates cannot be made is refused with the reasons', async () => {
  const broken = designOf(
    mutateReference((doc) => {
      setAt(doc, ['certificates', 'apim-tls', 'issuer'], 'nowhere-ca');
      setAt(doc, ['certificates', 'ingress-tls', 'issuer'], 'apim-client');
      append(doc, 'certificates', { id: 'loop-a', role: 'ca', issuer: 'loop-b' });
      append(doc, 'certificates', { id: 'loop-b', role: 'ca', issuer: 'loop-a' });
      setAt(doc, ['certificates', 'gateway-tls', 'keySize'], 1024);
    }),
  );
  const { problems } = devCertificateOrder(broken);
  const text = problems.join('\n');
  assert.match(text, /"apim-tls" names "nowhere-ca" as its issuer, which is no certificate of the design/);
  assert.match(text, /"ingress-tls" names "apim-client" as its issuer, but "apim-client" has role client/);
  assert.match(text, /the issuers of certificate "loop-\w" loop/);
  assert.match(text, /"gateway-tls" asks for an RSA key of 1024 bits/);
  const result = await makeDevCertificates(broken, new Map(), { now: NOW, days: 90, force: false });
  assert.equal(result.ok, false);
  const days = await makeDevCertificates(REFERENCE_DESIGN, new Map(), { now: NOW, days: 0, force: false });
  assert.equal(days.ok, false);
});

test('an intermediate CA: the chain has three certificates, and nothing outlives a shorter-lived issuer it keeps', async () => {
  const text = mutateReference((doc) => {
    append(doc, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca' });
    setAt(doc, ['certificates', 'apim-client', 'issuer'], 'issuing-ca');
  });
  const design = designOf(text);
  // An earlier run 60 days ago made the CAs for 100 days: 40 left now, which is kept (more than 30).
  const earlier = await make(design, new Map(), { now: new Date(NOW.getTime() - 60 * DAY), days: 100 });
  const existing = leftBy(earlier.certificates);
  for (const id of ['ingress-tls', 'apim-tls', 'apim-client', 'gateway-tls']) existing.delete(id);
  const run = await make(design, existing);
  const byId = new Map(run.certificates.map((c) => [c.id, c]));
  assert.equal(byId.get('internal-ca')!.action, 'reused');
  assert.equal(byId.get('issuing-ca')!.action, 'reused');
  const client = byId.get('apim-client')!;
  const chain = certs(client.publicPem);
  assert.deepEqual(chain.map((c) => c.subject.split('\n').pop()), ['CN=apim-client', 'CN=issuing-ca', 'CN=internal-ca']);
  assert.equal(client.notAfter.getTime(), byId.get('issuing-ca')!.notAfter.getTime(), 'clamped to its issuer');
  assert.ok(run.notes.some((n) => n.includes('"apim-client" is valid until') && n.includes('"issuing-ca"')));
});

test('an EC certificate gets the curve its keySize names', async () => {
  const design = designOf(
    mutateReference((doc) => {
      setAt(doc, ['certificates', 'apim-client', 'keyAlgorithm'], 'EC');
      setAt(doc, ['certificates', 'apim-client', 'keySize'], 256);
    }),
  );
  const run = await make(design);
  const client = run.certificates.find((c) => c.id === 'apim-client')!;
  const [leaf] = certs(client.publicPem);
  assert.equal(leaf!.publicKey.asymmetricKeyType, 'ec');
  assert.equal(leaf!.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  createSecureContext({ pfx: Buffer.from(client.pfx!) });
});

test('the design changes: file of each certificate, notAfter where the design gives one; comments kept', async () => {
  const { certificates } = await reference();
  const { operations, changes } = designChangesFor(REFERENCE_DESIGN, certificates, (id) => `certs/${id}.pem`);
  assert.deepEqual(
    changes.map((c) => `${c.certificate}.${c.field}`),
    ['internal-ca.file', 'internal-ca.notAfter', 'gateway-tls.file', 'apim-tls.file', 'ingress-tls.file', 'apim-client.file'],
  );
  assert.ok(!changes.some((c) => c.certificate === STAND_IN_CA_ID), 'the stand-in CA is no design certificate');
  const edited = applyOperations(REFERENCE, operations);
  assert.ok(edited.ok);
  const removed = REFERENCE.split('\n').filter((l) => !edited.text.split('\n').includes(l));
  assert.deepEqual(removed, ['    notAfter: "2035-12-31"'], 'only the old notAfter line goes');
  for (const comment of REFERENCE.split('\n').filter((l) => l.trim().startsWith('#'))) assert.ok(edited.text.includes(comment));
  const again = designOf(edited.text);
  assert.equal(again.certificates.find((c) => c.id === 'internal-ca')!.file, 'certs/internal-ca.pem');
  assert.deepEqual(designChangesFor(again, certificates, (id) => `certs/${id}.pem`).operations, [], 'a second time: nothing to change');
});
