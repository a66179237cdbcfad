/** The rehearsal plan (pure): which handshakes each https and mtls edge gets, and how each side is configured from the design. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDesign } from '../../src/document/parse.js';
import { STAND_IN_CA_ID } from '../../src/pki/dev.js';
import { planRehearsal, WRONG_HOST, wrongHostFor } from '../../src/rehearsal/plan.js';
import { reasonOfClientCertificateError, reasonOfServerCertificateError, reasonOfTransportError } from '../../src/rehearsal/reasons.js';
import type { Design } from '../../src/schemas/design.js';
import { append, deleteAt, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';

function designOf(text: string): Design {
  const parsed = parseDesign(text);
  assert.ok(parsed.design && parsed.complete, parsed.findings.map((f) => f.message).join('\n'));
  return parsed.design;
}

function edgeIndex(text: string, from: string, to: string): number {
  const edges = (parseDesign(text).yaml!.toJS() as { edges: { from: string; to: string }[] }).edges;
  return edges.findIndex((e) => e.from === from && e.to === to);
}

test('the reference design: three edges, configured as the design derives them', () => {
  const plan = planRehearsal(designOf(REFERENCE));
  assert.deepEqual(plan.unplanned, []);
  assert.deepEqual(
    plan.edges.map((e) => [e.id, e.type, e.cases.map((c) => c.kind).join(',')]),
    [
      ['internet-appgw', 'https', 'expected,wrong-host,expired-server-certificate'],
      ['appgw-apim', 'https', 'expected,wrong-host,expired-server-certificate'],
      ['apim-aks', 'mtls', 'expected,wrong-host,expired-server-certificate,no-client-certificate,other-ca-client-certificate,expired-client-certificate'],
    ],
  );
  const [internet, appgw, mtls] = plan.edges;
  // A public CA (issuer external): the system's roots, and the stand-in CA in development.
  assert.deepEqual(internet!.client.trust, { certificates: [STAND_IN_CA_ID], publicRoots: true, caIds: ['external'], derived: true });
  assert.equal(internet!.server.certificateSigner, STAND_IN_CA_ID);
  assert.equal(internet!.client.servername, 'api.contoso.com');
  assert.deepEqual(appgw!.client.trust.certificates, ['internal-ca']);
  assert.equal(appgw!.server.clientVerification, undefined);
  assert.match(appgw!.server.noClientVerification ?? '', /"apim" \(apiManagement\) does not ask for client certificates/);
  assert.deepEqual(mtls!.server.clientVerification, {
    mode: 'on',
    trust: { certificates: ['internal-ca'], publicRoots: false, caIds: ['internal-ca'], derived: true },
    verifyDepth: 1,
  });
  assert.equal(mtls!.client.clientCertificate, 'apim-client');
  assert.equal(mtls!.client.servername, 'orders.internal.contoso.com');
  assert.equal(mtls!.client.minVersion, 'TLSv1.2');
  assert.equal(mtls!.server.minVersion, 'TLSv1.2');
  assert.deepEqual(plan.keys, ['apim-client', 'apim-tls', 'external.stand-in-ca', 'gateway-tls', 'ingress-tls', 'internal-ca']);
  for (const c of mtls!.cases) assert.equal(c.judge, c.kind === 'expected' ? 'both' : c.kind === 'wrong-host' || c.kind === 'expired-server-certificate' ? 'caller' : 'callee');
});

test('trust follows the overrides, bundles the CAs above, and the TLS minimum comes from the design', () => {
  const i = edgeIndex(REFERENCE, 'apim', 'aks');
  const text = mutateReference((doc) => {
    append(doc, 'certificates', { id: 'issuing-ca', role: 'ca', issuer: 'internal-ca' });
    setAt(doc, ['certificates', 'apim-client', 'issuer'], 'issuing-ca');
    setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'minTlsVersion'], '1.3');
    setAt(doc, ['nodes', 'apim', 'properties', 'minTlsVersion'], '1.3');
    setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'verifyDepth'], 2);
    doc.setIn(['edges', i, 'properties', 'trustedCa'], 'internal-ca');
  });
  const mtls = planRehearsal(designOf(text)).edges.find((e) => e.id === 'apim-aks')!;
  assert.deepEqual(mtls.server.clientVerification?.trust.certificates, ['issuing-ca', 'internal-ca'], 'the ca.crt bundle: the trusted CA and the CAs above it');
  assert.equal(mtls.server.clientVerification?.verifyDepth, 2);
  assert.equal(mtls.client.trust.derived, false, 'trustedCa overrides');
  assert.equal(mtls.server.minVersion, 'TLSv1.3');
  assert.equal(mtls.client.minVersion, 'TLSv1.3');
  assert.equal(mtls.client.clientCertificateSigner, 'issuing-ca');
});

test('an https edge into an ingress that verifies client certificates gets the client certificate cases', () => {
  const i = edgeIndex(REFERENCE, 'apim', 'aks');
  const https = mutateReference((doc) => {
    setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca');
    doc.setIn(['edges', i, 'type'], 'https');
    doc.deleteIn(['edges', i, 'properties']);
  });
  const edge = planRehearsal(designOf(https)).edges.find((e) => e.id === 'apim-aks')!;
  assert.equal(edge.type, 'https');
  assert.equal(edge.client.clientCertificate, undefined);
  assert.deepEqual(edge.cases.map((c) => c.kind), ['expected', 'wrong-host', 'expired-server-certificate', 'no-client-certificate', 'other-ca-client-certificate']);
});

test('an ingress that verifies nothing says why; edges that cannot be rehearsed are listed with the reason', () => {
  const off = planRehearsal(designOf(mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'verifyClient'], 'off'))));
  const mtls = off.edges.find((e) => e.id === 'apim-aks')!;
  assert.equal(mtls.server.clientVerification, undefined);
  assert.match(mtls.server.noClientVerification ?? '', /verifyClient off/);
  assert.ok(mtls.cases.some((c) => c.kind === 'no-client-certificate'), 'an mtls edge still checks that the callee refuses callers without a certificate');

  const passthrough = planRehearsal(designOf(mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'backendProtocol'], 'passthrough'))));
  assert.match(passthrough.edges.find((e) => e.id === 'apim-aks')!.server.noClientVerification ?? '', /passes TLS through to the pods/);

  const broken = planRehearsal(
    designOf(
      mutateReference((doc) => {
        deleteAt(doc, ['nodes', 'apim', 'properties', 'hostName']);
        deleteAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'serverCertificate']);
      }),
    ),
  );
  assert.deepEqual(
    broken.unplanned.map((u) => [u.id, u.problem]),
    [
      ['appgw-apim', '"apim" has no host name (properties.hostName), so the caller has no name to call and check'],
      ['apim-aks', '"aks" has no server certificate (properties.ingress.serverCertificate)'],
    ],
  );
});

test('the wrong host is one no name of the server certificate covers', () => {
  assert.equal(wrongHostFor(['orders.internal.contoso.com']), WRONG_HOST);
  const host = wrongHostFor(['*.gatewright.invalid']);
  assert.notEqual(host, WRONG_HOST);
  assert.ok(!host.endsWith('.gatewright.invalid') || host.split('.').length > 3);
});

test("Node's and OpenSSL's codes map to reasons", () => {
  assert.equal(reasonOfServerCertificateError('ERR_TLS_CERT_ALTNAME_INVALID'), 'server-name-mismatch');
  assert.equal(reasonOfServerCertificateError('CERT_HAS_EXPIRED'), 'server-certificate-expired');
  assert.equal(reasonOfServerCertificateError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'server-certificate-untrusted');
  assert.equal(reasonOfServerCertificateError('SELF_SIGNED_CERT_IN_CHAIN'), 'server-certificate-untrusted');
  assert.equal(reasonOfServerCertificateError('INVALID_PURPOSE'), 'server-certificate-purpose');
  assert.equal(reasonOfClientCertificateError('NO_CLIENT_CERTIFICATE'), 'client-certificate-required');
  assert.equal(reasonOfClientCertificateError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY'), 'client-certificate-untrusted');
  assert.equal(reasonOfClientCertificateError('CERT_HAS_EXPIRED'), 'client-certificate-expired');
  assert.equal(reasonOfClientCertificateError('CERT_CHAIN_TOO_LONG'), 'client-chain-too-long');
  assert.equal(reasonOfTransportError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'client-certificate-required');
  assert.equal(reasonOfTransportError('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'handshake-failure');
  assert.equal(reasonOfTransportError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), 'client-certificate-untrusted');
  assert.equal(reasonOfTransportError('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED'), 'client-certificate-expired');
  assert.equal(reasonOfTransportError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), 'protocol-version');
  assert.equal(reasonOfTransportError('ECONNRESET'), 'connection-closed');
});
