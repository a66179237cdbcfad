/**
 * analyze() says when each certificate expires (the designer's certificates panel shows it): from the first
 * certificate of its file when the caller handed the file in, else from the design's notAfter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/validation/analyze.js';
import { bundle, clientCertificate, filesOf, rootCa, serverCertificate } from '../helpers/pki.js';
import { mutateReference, setAt } from '../helpers/reference.js';
import { REFERENCE } from '../helpers/reference.js';

test('without files: the design notAfter of the certificates that give one, and no others', () => {
  const a = analyze(REFERENCE);
  assert.deepEqual(a.certificateExpiry, { 'internal-ca': { notAfter: '2035-12-31', source: 'design' } });
});

test('with files: the expiry of the first certificate in each file wins over the design, its chain is ignored', async () => {
  const ca = await rootCa('Internal CA', { notAfter: new Date('2031-05-04T10:00:00Z') });
  const ingress = await serverCertificate(ca, ['orders.internal.contoso.com'], { notAfter: new Date('2027-03-01T08:30:00Z') });
  const client = await clientCertificate(ca, 'apim', { notAfter: new Date('2027-02-10T23:59:59Z') });
  const text = mutateReference((doc) => {
    setAt(doc, ['certificates', 'internal-ca', 'file'], 'certs/internal-ca.pem');
    setAt(doc, ['certificates', 'ingress-tls', 'file'], 'certs/ingress-tls.pem');
    setAt(doc, ['certificates', 'apim-client', 'file'], 'certs/apim-client.pem');
    setAt(doc, ['certificates', 'apim-tls', 'file'], 'certs/apim-tls.pem');
    setAt(doc, ['certificates', 'apim-tls', 'notAfter'], '2028-08-08');
  });
  const files = filesOf({
    'certs/internal-ca.pem': ca.pem,
    // The leaf, then its CA (which expires later): the leaf's expiry is the certificate's.
    'certs/ingress-tls.pem': bundle(ingress.pem, ca.pem),
    'certs/apim-client.pem': client.pem,
    'certs/apim-tls.pem': { status: 'unreadable', reason: 'no such file' },
  });
  const a = analyze(text, { files, now: new Date('2026-11-27T12:00:00Z') });
  assert.deepEqual(a.certificateExpiry, {
    'internal-ca': { notAfter: '2031-05-04T10:00:00.000Z', source: 'file' },
    'ingress-tls': { notAfter: '2027-03-01T08:30:00.000Z', source: 'file' },
    'apim-client': { notAfter: '2027-02-10T23:59:59.000Z', source: 'file' },
    // Its file cannot be read: the design's date stands.
    'apim-tls': { notAfter: '2028-08-08', source: 'design' },
  });
  // The same text validated without the files (the first pass of the extension): only the design's dates.
  assert.deepEqual(analyze(text).certificateExpiry, {
    'internal-ca': { notAfter: '2035-12-31', source: 'design' },
    'apim-tls': { notAfter: '2028-08-08', source: 'design' },
  });
});

test('a file without a usable certificate falls back to the design notAfter', () => {
  const text = mutateReference((doc) => setAt(doc, ['certificates', 'internal-ca', 'file'], 'certs/internal-ca.pem'));
  const files = filesOf({ 'certs/internal-ca.pem': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' });
  assert.deepEqual(analyze(text, { files }).certificateExpiry, { 'internal-ca': { notAfter: '2035-12-31', source: 'design' } });
});

test('a partial design still gives the expiry of its valid certificates; text that is not YAML gives none', () => {
  const partial = REFERENCE.replace('  - id: apim-client\n    role: client', '  - id: apim-client\n    role: clientt');
  const a = analyze(partial);
  assert.ok(a.findings.some((f) => f.ruleId === 'GW002'), 'the broken entry is reported');
  assert.deepEqual(a.certificateExpiry, { 'internal-ca': { notAfter: '2035-12-31', source: 'design' } });
  assert.equal(analyze('certificates: [\n').certificateExpiry, undefined);
});
