/**
 * The CA constraint rules (GW430-GW431) against real certificates: what the DER reader finds, subtree matching as
 * RFC 5280 and OpenSSL do it, excluded names, and path lengths two levels up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { analyze } from '../../src/validation/analyze.js';
import { caConstraints, withinDnsSubtree } from '../../src/x509/constraints.js';
import { append, setAt } from '../helpers/reference.js';
import { filesOf, intermediateCa, rootCa, serverCertificate } from '../helpers/pki.js';
import { loadPki, mutateWithFiles, passFiles, REFERENCE_WITH_FILES, ROOT_NOT_AFTER } from './certificate-files.cases.js';
import { constrainedRoot } from './x509-constraints.cases.js';

const NOW = new Date('2026-11-27T12:00:00Z');

function findings(text: string, files: ReturnType<typeof filesOf>, rule: string) {
  const a = analyze(text, { now: NOW, files });
  assert.deepEqual(a.findings.filter((f) => f.ruleId === 'GW000'), [], 'a rule crashed');
  return a.findings.filter((f) => f.ruleId === rule);
}

test('DNS subtrees match as RFC 5280 and OpenSSL say', () => {
  assert.ok(withinDnsSubtree('orders.internal.contoso.com', 'internal.contoso.com'));
  assert.ok(withinDnsSubtree('internal.contoso.com', 'internal.contoso.com'));
  assert.ok(withinDnsSubtree('ORDERS.Internal.contoso.com', 'internal.CONTOSO.com'));
  assert.ok(!withinDnsSubtree('xinternal.contoso.com', 'internal.contoso.com'), 'a label boundary is needed');
  assert.ok(withinDnsSubtree('a.internal.contoso.com', '.internal.contoso.com'));
  assert.ok(!withinDnsSubtree('internal.contoso.com', '.internal.contoso.com'), 'a leading dot means subdomains only');
  assert.ok(withinDnsSubtree('*.internal.contoso.com', 'internal.contoso.com'));
  assert.ok(withinDnsSubtree('anything.example', ''), 'an empty constraint matches every name');
});

test('the DER reader finds path lengths and name constraints, and their absence', async () => {
  const pki = await loadPki();
  const read = (pem: string) => caConstraints(new Uint8Array(new X509Certificate(pem).raw));
  assert.deepEqual(read(pki.internalCa.pem), { pathLength: undefined, names: undefined });
  assert.equal(read((await rootCa('Limited', { pathLength: 3 })).pem).pathLength, 3);
  assert.deepEqual(read((await constrainedRoot(pki, ['a.example', 'b.example'], ['bad.a.example'])).pem).names, {
    permitted: ['a.example', 'b.example'],
    excluded: ['bad.a.example'],
    otherPermitted: false,
  });
  assert.equal(read(pki.ingressTls.pem).pathLength, undefined);
});

test('GW431 reports excluded names, and names the design gives for a certificate without a file', async () => {
  const pki = await loadPki();
  const root = await constrainedRoot(pki, [], ['orders.internal.contoso.com']);
  const files = passFiles(pki, { 'internal-ca': root.pem });
  const [f] = findings(REFERENCE_WITH_FILES, files, 'GW431');
  assert.deepEqual(f!.target, { kind: 'certificate', id: 'ingress-tls' });
  assert.match(f!.message, /inside the names it excludes \(orders\.internal\.contoso\.com\)/);

  const withoutFile = mutateWithFiles((d) => {
    d.deleteIn(['certificates', 3, 'file']);
  });
  files.delete('certs/ingress-tls.pem');
  const [g] = findings(withoutFile, files, 'GW431');
  assert.match(g!.message, /^"ingress-tls" names orders\.internal\.contoso\.com/);
  assert.deepEqual(g!.path, ['certificates', 3, 'dnsNames']);
});

test('GW430 counts every CA between: a root with pathlen:1 allows one intermediate, not two', async () => {
  const pki = await loadPki();
  const root = await rootCa('Contoso Internal CA', { key: pki.keys.root, notAfter: ROOT_NOT_AFTER, pathLength: 1 });
  const one = await intermediateCa('Issuing One', root, { key: pki.keys.other, pathLength: 5 });
  const two = await intermediateCa('Issuing Two', one, { key: pki.keys.publicIssuing });
  const leaf = await serverCertificate(two, ['x.internal.contoso.com']);
  const text = mutateWithFiles((d) => {
    append(d, 'certificates', { id: 'issuing-one', role: 'ca', issuer: 'internal-ca', keyVault: 'kv', file: 'certs/one.pem' });
    append(d, 'certificates', { id: 'issuing-two', role: 'ca', issuer: 'issuing-one', keyVault: 'kv', file: 'certs/two.pem' });
    setAt(d, ['certificates', 'ingress-tls', 'issuer'], 'issuing-two');
  });
  const files = filesOf({ ...Object.fromEntries(passFiles(pki, { 'internal-ca': root.pem, 'ingress-tls': leaf.pem })), 'certs/one.pem': one.pem, 'certs/two.pem': two.pem });
  const found = findings(text, files, 'GW430');
  assert.equal(found.length, 1);
  assert.deepEqual(found[0]!.target, { kind: 'certificate', id: 'issuing-two' });
  assert.match(found[0]!.message, /CA "issuing-two" is 2 levels below CA "internal-ca", whose file "certs\/internal-ca\.pem" allows at most 1 intermediate CA below it \(pathlen:1\)/);
});

test('GW430 and GW431 stop at an issuer loop instead of running forever', async () => {
  const pki = await loadPki();
  const text = mutateWithFiles((d) => {
    append(d, 'certificates', { id: 'loop-a', role: 'ca', issuer: 'loop-b' });
    append(d, 'certificates', { id: 'loop-b', role: 'ca', issuer: 'loop-a' });
  });
  assert.deepEqual(findings(text, passFiles(pki), 'GW430'), []);
  assert.deepEqual(findings(text, passFiles(pki), 'GW431'), []);
});
