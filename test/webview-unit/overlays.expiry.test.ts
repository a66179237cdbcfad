/** Certificate expiry on the canvas: which nodes and edges get a badge, and what it says, with a fixed `now`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CertificateSchema } from '../../src/schemas/design.js';
import { expiryDateOf, expiryOf, EXPIRY_WARNING_DAYS } from '../../src/webview/panels/cert-tree.js';
import { certificatesAtRisk, expiryBadges } from '../../src/webview/overlays/expiry.js';
import { designOf, REF } from './canvas.fixtures.js';
import { mutateReference, setAt } from '../helpers/reference.js';

const NOW = new Date('2026-03-01T12:00:00Z');

test('a node whose certificate expires within 30 days gets a warning badge; one that expired an error badge', () => {
  // gateway-tls (appgw's listener) has no date in the design: the host read it from the file.
  const design = REF;
  const badges = expiryBadges(
    design,
    {
      'gateway-tls': { notAfter: '2026-03-13T11:00:00.000Z', source: 'file' },
      'apim-tls': { notAfter: '2026-02-20', source: 'design' },
      'ingress-tls': { notAfter: '2027-01-01', source: 'design' },
    },
    NOW,
  );
  const appgw = badges.nodes.get('appgw')!;
  assert.equal(appgw.status, 'warning');
  assert.equal(appgw.text, '⚠ cert 11d');
  assert.deepEqual(appgw.lines, ['cert gateway-tls expires in 11 days (valid through 2026-03-13, read from its file)']);
  const apim = badges.nodes.get('apim')!;
  assert.equal(apim.status, 'error');
  assert.equal(apim.text, '✗ cert expired');
  assert.deepEqual(apim.lines, ['cert apim-tls expired 9 days ago (valid through 2026-02-20)']);
  // A certificate valid for long is shown too, quietly, with its days left.
  const aks = badges.nodes.get('aks')!;
  assert.equal(aks.status, 'valid');
  assert.equal(aks.text, 'cert 306d');
  assert.deepEqual(aks.lines, ['cert ingress-tls valid for 306 more days (valid through 2027-01-01)']);
  assert.deepEqual([...badges.nodes.keys()].sort(), ['aks', 'apim', 'appgw']);
  assert.equal(badges.edges.size, 0, 'no edge uses a certificate with a date');
});

test('the mTLS edge shows its client certificate; the date the host sent wins over the design; the limit is EXPIRY_WARNING_DAYS', () => {
  const design = designOf(mutateReference((doc) => setAt(doc, ['certificates', 'apim-client', 'notAfter'], '2030-01-01')));
  const badges = expiryBadges(design, { 'apim-client': { notAfter: '2026-03-10T12:00:00.000Z', source: 'file' } }, NOW);
  const edge = badges.edges.get('apim-aks')!;
  assert.equal(edge.status, 'warning');
  assert.match(edge.lines[0]!, /^cert apim-client expires in 9 days/);
  assert.ok([...badges.nodes.values()].every((b) => b.status === 'valid'), 'no node warns');
  // A host that sent no dates: the design's notAfter counts (2030: shown quietly, no warning).
  assert.equal(expiryBadges(design, undefined, NOW).edges.get('apim-aks')!.status, 'valid');
  const soon = designOf(mutateReference((doc) => setAt(doc, ['certificates', 'apim-client', 'notAfter'], '2026-03-10')));
  assert.match(expiryBadges(soon, undefined, NOW).edges.get('apim-aks')!.lines[0]!, /^cert apim-client expires in 9 days \(valid through 2026-03-10\)$/);

  // The boundary, as the certificates panel counts it: 29 days left warns, 30 does not.
  const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  const cert = (notAfter: string) => [CertificateSchema.parse({ id: 'c', role: 'server', issuer: 'external', notAfter })];
  assert.equal(expiryOf(day(EXPIRY_WARNING_DAYS - 1), NOW).status, 'expiring');
  assert.equal(certificatesAtRisk(cert(day(EXPIRY_WARNING_DAYS - 1)), undefined, NOW).size, 1);
  assert.equal(certificatesAtRisk(cert(day(EXPIRY_WARNING_DAYS)), undefined, NOW).size, 0);
});

test('a trusted CA and an ingress client CA count as uses; the soonest certificate comes first', () => {
  const design = designOf(
    mutateReference((doc) => {
      setAt(doc, ['edges', 'appgw-apim', 'properties'], { trustedCa: 'internal-ca' });
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'clientCa'], 'internal-ca');
      setAt(doc, ['certificates', 'internal-ca', 'notAfter'], '2026-03-20');
    }),
  );
  const badges = expiryBadges(design, { 'ingress-tls': { notAfter: '2026-03-05', source: 'file' } }, NOW);
  assert.match(badges.edges.get('appgw-apim')!.lines[0]!, /^cert internal-ca expires in 19 days/);
  const aks = badges.nodes.get('aks')!;
  assert.equal(aks.text, '⚠ cert 4d', 'the soonest of its certificates');
  assert.deepEqual(
    aks.lines.map((l) => l.split(' (')[0]),
    ['cert ingress-tls expires in 4 days', 'cert internal-ca expires in 19 days'],
  );
});

test('expiryDateOf: the host first, else the design, never an inherited property; expiryOf reads an instant exactly', () => {
  assert.deepEqual(expiryDateOf({ id: 'a', notAfter: '2026-05-01' }, { a: { notAfter: '2027-01-01T00:00:00.000Z', source: 'file' } }), {
    notAfter: '2027-01-01T00:00:00.000Z',
    source: 'file',
  });
  assert.deepEqual(expiryDateOf({ id: 'a', notAfter: '2026-05-01' }, {}), { notAfter: '2026-05-01', source: 'design' });
  assert.deepEqual(expiryDateOf({ id: 'a' }, { a: { notAfter: '2027-01-01T00:00:00Z', source: 'file' } }), { notAfter: '2027-01-01T00:00:00Z', source: 'file' });
  assert.equal(expiryDateOf({ id: 'constructor' }, {}), undefined);
  assert.equal(expiryDateOf({ id: 'toString', notAfter: '2026-05-01' }, {})?.source, 'design');
  assert.equal(expiryDateOf({ id: 'a' }, undefined), undefined);
  assert.deepEqual(expiryOf('2026-03-01T11:00:00Z', NOW), { status: 'expired', daysLeft: -1 });
  assert.deepEqual(expiryOf('2026-03-02T13:00:00Z', NOW), { status: 'expiring', daysLeft: 1 });
  assert.deepEqual(expiryOf('not a date', NOW), { status: 'unknown' });
});
