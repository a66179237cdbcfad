/**
 * The rehearsal with real TLS handshakes on loopback: on the reference design every case behaves as designed; on
 * designs (or certificates) broken in each of the ways mTLS breaks in production, the broken edge is reported, with
 * the right reason, and the other edges are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteAt, mutateReference, setAt, append, REFERENCE } from '../helpers/reference.js';
import { intermediateCa } from '../helpers/pki.js';
import { failures, find, resultsOf, workspace } from './workspace.js';

const DAY = 24 * 60 * 60 * 1000;

test('the reference design: every handshake behaves as the design says', async () => {
  const ws = await workspace();
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), []);
  assert.deepEqual(
    results.map((r) => `${r.edge}/${r.kind}`),
    [
      'internet-appgw/expected',
      'internet-appgw/wrong-host',
      'internet-appgw/expired-server-certificate',
      'appgw-apim/expected',
      'appgw-apim/wrong-host',
      'appgw-apim/expired-server-certificate',
      'apim-aks/expected',
      'apim-aks/wrong-host',
      'apim-aks/expired-server-certificate',
      'apim-aks/no-client-certificate',
      'apim-aks/other-ca-client-certificate',
      'apim-aks/expired-client-certificate',
    ],
  );
  const reasons = Object.fromEntries(results.filter((r) => r.edge === 'apim-aks').map((r) => [r.kind, [r.reason, r.by]]));
  assert.deepEqual(reasons, {
    expected: ['accepted', undefined],
    'wrong-host': ['server-name-mismatch', 'caller'],
    'expired-server-certificate': ['server-certificate-expired', 'caller'],
    'no-client-certificate': ['client-certificate-required', 'callee'],
    'other-ca-client-certificate': ['client-certificate-untrusted', 'callee'],
    'expired-client-certificate': ['client-certificate-expired', 'callee'],
  });
  assert.equal(find(results, 'apim-aks', 'wrong-host').code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(find(results, 'apim-aks', 'expired-server-certificate').code, 'CERT_HAS_EXPIRED');
  assert.equal(find(results, 'apim-aks', 'expired-client-certificate').code, 'CERT_HAS_EXPIRED');
});

test('CA mismatch: the ingress trusts another CA than the one that issued the client certificate', async () => {
  const ws = await workspace(
    mutateReference((doc) => {
      append(doc, 'certificates', { id: 'partner-ca', role: 'ca', issuer: 'self', keyVault: 'kv' });
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'partner-ca');
    }),
  );
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/expected']);
  const r = find(results, 'apim-aks', 'expected');
  assert.equal(r.reason, 'client-certificate-untrusted');
  assert.equal(r.by, 'callee');
  assert.match(r.detail, /the ingress trusts "partner-ca" \(clientCa\)/);
});

test('a dnsName that does not cover the host the caller calls', async () => {
  const ws = await workspace(mutateReference((doc) => setAt(doc, ['certificates', 'ingress-tls', 'dnsNames'], ['orders.external.contoso.com'])));
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/expected']);
  const r = find(results, 'apim-aks', 'expected');
  assert.equal(r.reason, 'server-name-mismatch');
  assert.equal(r.by, 'caller');
  assert.equal(r.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.match(r.detail, /calls orders\.internal\.contoso\.com; add it to the dnsNames of "ingress-tls"/);
});

test('a client certificate without clientAuth is refused by the ingress', async () => {
  const ws = await workspace();
  const ca = await ws.ca('internal-ca');
  await ws.replace('apim-client', { cn: 'apim-client', issuer: ca, usages: ['serverAuth'], ca: false, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) });
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/expected']);
  const r = find(results, 'apim-aks', 'expected');
  assert.equal(r.reason, 'client-certificate-purpose');
  assert.equal(r.code, 'INVALID_PURPOSE');
  assert.equal(r.by, 'callee');
});

test('a server certificate without serverAuth is refused by the caller', async () => {
  const ws = await workspace();
  const ca = await ws.ca('internal-ca');
  await ws.replace('ingress-tls', {
    cn: 'orders.internal.contoso.com',
    issuer: ca,
    dnsNames: ['orders.internal.contoso.com'],
    usages: ['clientAuth'],
    ca: false,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
  });
  const results = resultsOf(await ws.rehearse());
  const r = find(results, 'apim-aks', 'expected');
  assert.equal(r.pass, false);
  assert.equal(r.reason, 'server-certificate-purpose');
  assert.equal(r.by, 'caller');
  assert.deepEqual(failures(results), ['apim-aks/expected']);
});

test('an expired server certificate, and an expired client certificate', async () => {
  const ws = await workspace();
  const ca = await ws.ca('internal-ca');
  const past = { notBefore: new Date(Date.now() - 60 * DAY), notAfter: new Date(Date.now() - 2 * DAY) };
  await ws.replace('ingress-tls', { cn: 'orders.internal.contoso.com', issuer: ca, dnsNames: ['orders.internal.contoso.com'], usages: ['serverAuth'], ca: false, ...past });
  let results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/expected']);
  assert.equal(find(results, 'apim-aks', 'expected').reason, 'server-certificate-expired');
  assert.equal(find(results, 'apim-aks', 'expected').code, 'CERT_HAS_EXPIRED');

  const fresh = await workspace();
  const freshCa = await fresh.ca('internal-ca');
  await fresh.replace('apim-client', { cn: 'apim-client', issuer: freshCa, usages: ['clientAuth'], ca: false, ...past });
  results = resultsOf(await fresh.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/expected']);
  assert.equal(find(results, 'apim-aks', 'expected').reason, 'client-certificate-expired');
  assert.equal(find(results, 'apim-aks', 'expected').by, 'callee');
});

test('a client certificate that is never sent: an https edge where the ingress requires client certificates', async () => {
  const ws = await workspace(
    mutateReference((doc) => {
      const edges = (doc.toJS() as { edges: { from: string; to: string }[] }).edges;
      const i = edges.findIndex((e) => e.from === 'apim' && e.to === 'aks');
      doc.setIn(['edges', i, 'type'], 'https');
      doc.deleteIn(['edges', i, 'properties']);
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca');
    }),
  );
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/expected']);
  const r = find(results, 'apim-aks', 'expected');
  assert.equal(r.type, 'https');
  assert.equal(r.reason, 'client-certificate-required');
  assert.equal(r.by, 'callee');
  assert.match(r.detail, /edge "apim-aks" is https, so "apim" sends no client certificate, but the ingress of "aks" requires one: make it an mtls edge/);
  // The client-certificate cases still run, on the callee's configuration.
  assert.equal(find(results, 'apim-aks', 'no-client-certificate').pass, true);
  assert.equal(find(results, 'apim-aks', 'other-ca-client-certificate').pass, true);
});

test('verify depth: the intermediates of the client chain against the ingress verifyDepth (OpenSSL and nginx count intermediates)', async () => {
  const design = (depth: number) =>
    mutateReference((doc) => {
      append(doc, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca', keyVault: 'kv' });
      append(doc, 'certificates', { id: 'team-ca', role: 'ca', issuer: 'issuing-ca', keyVault: 'kv' });
      setAt(doc, ['certificates', 'apim-client', 'issuer'], 'team-ca');
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'verifyDepth'], depth);
    });
  const shallow = resultsOf(await (await workspace(design(1))).rehearse());
  assert.deepEqual(failures(shallow), ['apim-aks/expected']);
  const r = find(shallow, 'apim-aks', 'expected');
  assert.equal(r.reason, 'client-chain-too-long');
  assert.match(r.detail, /raise verifyDepth of the ingress of "aks" \(1\)/);
  const deep = resultsOf(await (await workspace(design(2))).rehearse());
  assert.deepEqual(failures(deep), []);
});

test('one intermediate CA passes verifyDepth 1', async () => {
  const ws = await workspace();
  const root = await ws.ca('internal-ca');
  const issuing = await intermediateCa('issuing', root, { notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 30 * DAY) });
  await ws.replace('apim-client', { cn: 'apim-client', issuer: issuing, usages: ['clientAuth'], ca: false, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 20 * DAY) }, [issuing.pem, root.pem]);
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), []);
});

test('a caller that does not check names, and an ingress with verifyClient optional, are reported', async () => {
  const ws = await workspace(
    mutateReference((doc) => {
      const edges = (doc.toJS() as { edges: { from: string; to: string }[] }).edges;
      const i = edges.findIndex((e) => e.from === 'apim' && e.to === 'aks');
      doc.setIn(['edges', i, 'properties', 'validateCertificateName'], false);
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'optional');
    }),
  );
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/wrong-host', 'apim-aks/no-client-certificate']);
  assert.match(find(results, 'apim-aks', 'wrong-host').detail, /accepted, but must be refused: the caller does not check the host name \(validateCertificateName: false on edge "apim-aks"\)/);
  assert.match(find(results, 'apim-aks', 'no-client-certificate').detail, /verifyClient optional/);
  // Optional still verifies a certificate that is sent.
  assert.equal(find(results, 'apim-aks', 'other-ca-client-certificate').pass, true);
});

test('an edge that cannot be rehearsed is a failure of its own, and no handshake of it runs', async () => {
  const ws = await workspace(mutateReference((doc) => deleteAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'hostName'])));
  const results = resultsOf(await ws.rehearse());
  assert.deepEqual(failures(results), ['apim-aks/setup']);
  assert.match(find(results, 'apim-aks', 'setup').detail, /"aks" has no host name/);
});

test('missing keys stop the rehearsal before any handshake', async () => {
  const ws = await workspace(REFERENCE);
  const { rmSync } = await import('node:fs');
  rmSync(`${ws.privateDir}/ingress-tls.key.pem`);
  const outcome = await ws.rehearse();
  assert.equal(outcome.ok, false);
  assert.equal(outcome.ok ? '' : outcome.cause, 'materials');
  assert.match(outcome.ok ? '' : outcome.problems.join('\n'), /no private key for "ingress-tls" \(looked for .*ingress-tls\.key\.pem\)/);
});
