/**
 * The certificates panel's model (src/webview/panels/cert-tree.ts): the trust-chain tree, visible rows,
 * expiry in days, where certificates are used, and the new-certificate form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CertificateSchema, type Certificate, type Design } from '../../src/schemas/design.js';
import type { Finding } from '../../src/schemas/finding.js';
import { parseDesign } from '../../src/document/parse.js';
import { applyOperations } from '../../src/document/edits/index.js';
import {
  addCertificateOps,
  brokenReason,
  buildChainTree,
  certificateStatus,
  checkCertificateDraft,
  describeExpiry,
  expiryOf,
  findingsByCertificate,
  newCertificateDraft,
  rowKey,
  suggestCertificateId,
  usesByCertificate,
  visibleRows,
  type ChainNode,
} from '../../src/webview/panels/cert-tree.js';
import { REFERENCE } from '../helpers/reference.js';

function design(text = REFERENCE): Design {
  const parsed = parseDesign(text);
  assert.ok(parsed.design && parsed.complete);
  return parsed.design;
}
const REF = design();

function cert(id: string, role: Certificate['role'], issuer = 'self', extra: Partial<Certificate> = {}): Certificate {
  return CertificateSchema.parse({ id, role, issuer, ...extra });
}

/** The tree as nested [id, children] for readable assertions. */
function shape(nodes: readonly ChainNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? [rowKey(n), shape(n.children)] : rowKey(n)));
}

test('the reference design: internal-ca at the top with what it issued, the public CA group below', () => {
  const tree = buildChainTree(REF.certificates);
  assert.deepEqual(shape(tree), [
    ['internal-ca', ['apim-tls', 'ingress-tls', 'apim-client']],
    ['#external', ['gateway-tls']],
  ]);
  const root = tree[0]!;
  assert.ok(root.kind === 'certificate');
  assert.equal(root.root, 'internal-ca');
  assert.equal(root.index, 0);
  const client = root.children[2]!;
  assert.ok(client.kind === 'certificate');
  assert.equal(client.root, 'internal-ca');
  assert.equal(client.chain, '"apim-client" → "internal-ca" (root)');
  const external = tree[1]!.children[0]!;
  assert.ok(external.kind === 'certificate' && external.root === 'external');
});

test('intermediate CAs nest; unknown issuers and loops go to the broken group; every certificate appears once', () => {
  const certs = [
    cert('leaf', 'server', 'issuing-ca'),
    cert('root-ca', 'ca', 'self'),
    cert('issuing-ca', 'ca', 'root-ca'),
    cert('orphan', 'client', 'gone-ca'),
    cert('below-orphan', 'server', 'orphan'),
    cert('loop-a', 'ca', 'loop-b'),
    cert('loop-b', 'ca', 'loop-a'),
    cert('own-issuer', 'ca', 'own-issuer'),
    cert('public', 'server', 'external'),
  ];
  const tree = buildChainTree(certs);
  assert.deepEqual(shape(tree), [
    ['root-ca', [['issuing-ca', ['leaf']]]],
    ['#external', ['public']],
    ['#broken', [['orphan', ['below-orphan']], ['loop-a', ['loop-b']], 'own-issuer']],
  ]);
  const all: string[] = [];
  for (const row of visibleRows(tree, new Set())) if (row.node.kind === 'certificate') all.push(row.node.id);
  assert.deepEqual([...all].sort(), certs.map((c) => c.id).sort());

  assert.equal(brokenReason(certs, 'orphan'), 'issuer "gone-ca" is not a certificate of this design');
  assert.equal(brokenReason(certs, 'below-orphan'), 'issuer "gone-ca" is not a certificate of this design');
  assert.equal(brokenReason(certs, 'loop-a'), 'its issuers form a loop');
  assert.equal(brokenReason(certs, 'own-issuer'), 'its issuers form a loop');
  assert.equal(brokenReason(certs, 'leaf'), undefined);
});

test('duplicate ids do not make a certificate appear twice', () => {
  const certs = [cert('ca', 'ca'), cert('ca', 'ca'), cert('leaf', 'server', 'ca')];
  const rows = visibleRows(buildChainTree(certs), new Set());
  assert.deepEqual(
    rows.map((r) => [rowKey(r.node), r.level]),
    [
      ['ca', 1],
      ['leaf', 2],
      ['ca', 1],
    ],
  );
});

test('visible rows: levels, parents, and collapsed subtrees hidden', () => {
  const tree = buildChainTree(REF.certificates);
  const open = visibleRows(tree, new Set());
  assert.deepEqual(
    open.map((r) => [rowKey(r.node), r.level, r.parentId, r.hasChildren, r.expanded]),
    [
      ['internal-ca', 1, undefined, true, true],
      ['apim-tls', 2, 'internal-ca', false, true],
      ['ingress-tls', 2, 'internal-ca', false, true],
      ['apim-client', 2, 'internal-ca', false, true],
      ['#external', 1, undefined, true, true],
      ['gateway-tls', 2, '#external', false, true],
    ],
  );
  const closed = visibleRows(tree, new Set(['internal-ca']));
  assert.deepEqual(
    closed.map((r) => rowKey(r.node)),
    ['internal-ca', '#external', 'gateway-tls'],
  );
  assert.equal(closed[0]!.expanded, false);
});

test('expiry: days left as the validator counts them (valid through notAfter), warning under 30 days, error once expired', () => {
  const now = new Date('2030-06-01T12:00:00Z');
  assert.deepEqual(expiryOf(undefined, now), { status: 'unknown' });
  assert.deepEqual(expiryOf('2030-06-01', now), { status: 'expiring', daysLeft: 0 });
  assert.deepEqual(expiryOf('2030-06-02', now), { status: 'expiring', daysLeft: 1 });
  assert.deepEqual(expiryOf('2030-06-30', now), { status: 'expiring', daysLeft: 29 });
  assert.deepEqual(expiryOf('2030-07-01', now), { status: 'valid', daysLeft: 30 });
  assert.deepEqual(expiryOf('2030-05-31', now), { status: 'expired', daysLeft: -1 });
  assert.deepEqual(expiryOf('2030-05-29', now), { status: 'expired', daysLeft: -3 });
  assert.equal(describeExpiry(expiryOf('2031-06-01', now)), '365 days left');
  assert.equal(describeExpiry(expiryOf('2030-06-02', now)), '1 day left');
  assert.equal(describeExpiry(expiryOf('2030-06-01', now)), 'expires today');
  assert.equal(describeExpiry(expiryOf('2030-05-29', now)), 'expired 3 days ago');
  assert.equal(describeExpiry(expiryOf(undefined, now)), 'no expiry date');
});

test('a row takes the worse of its expiry and its findings', () => {
  const now = new Date('2030-06-01T00:00:00Z');
  const f = (severity: Finding['severity']): Finding => ({ ruleId: 'X', severity, message: 'm', target: { kind: 'certificate', id: 'c' } });
  assert.equal(certificateStatus(expiryOf('2031-01-01', now), []), 'ok');
  assert.equal(certificateStatus(expiryOf('2030-06-10', now), []), 'warning');
  assert.equal(certificateStatus(expiryOf('2030-05-01', now), []), 'error');
  assert.equal(certificateStatus(expiryOf('2031-01-01', now), [f('info')]), 'info');
  assert.equal(certificateStatus(expiryOf('2030-06-10', now), [f('error')]), 'error');
  assert.equal(certificateStatus(expiryOf(undefined, now), [f('warning'), f('info')]), 'warning');
  const by = findingsByCertificate([f('error'), { ...f('info'), target: { kind: 'node', id: 'c' } }]);
  assert.deepEqual([...by.keys()], ['c']);
  assert.equal(by.get('c')!.length, 1);
});

test('uses: which nodes and edges name each certificate', () => {
  const uses = usesByCertificate(REF);
  const labels = (id: string) => (uses.get(id) ?? []).map((u) => [u.label, u.target.kind, u.target.id]);
  assert.deepEqual(labels('gateway-tls'), [['listener of appgw', 'node', 'appgw']]);
  assert.deepEqual(labels('apim-tls'), [['custom domain of apim', 'node', 'apim']]);
  assert.deepEqual(labels('ingress-tls'), [['ingress of aks', 'node', 'aks']]);
  assert.deepEqual(labels('apim-client'), [['client certificate on apim-aks', 'edge', 'apim-aks']]);
  assert.deepEqual(labels('internal-ca'), []);
});

test('new certificates: a free id, sensible issuer and vault, checks, and an operation that applies', () => {
  assert.equal(suggestCertificateId(REF, 'server'), 'server-cert');
  const draft = newCertificateDraft(REF, 'client');
  assert.deepEqual(draft, { id: 'client-cert', role: 'client', issuer: 'internal-ca', keyVault: 'kv' });
  assert.deepEqual(checkCertificateDraft(REF, draft), {});
  assert.equal(newCertificateDraft(REF, 'ca').issuer, 'self');

  assert.match(checkCertificateDraft(REF, { ...draft, id: 'apim-tls' }).id ?? '', /already exists/);
  assert.match(checkCertificateDraft(REF, { ...draft, id: 'bad id' }).id ?? '', /letters, digits and hyphens/);
  assert.match(checkCertificateDraft(REF, { ...draft, issuer: 'apim-tls' }).issuer ?? '', /not a CA certificate/);
  assert.match(checkCertificateDraft(REF, { ...draft, keyVault: 'sql' }).keyVault ?? '', /not a keyVault node/);

  const ops = addCertificateOps(draft);
  const result = applyOperations(REFERENCE, ops);
  assert.ok(result.ok, result.ok ? '' : result.error);
  const after = design(result.text);
  assert.deepEqual(after.certificates.at(-1), CertificateSchema.parse({ id: 'client-cert', role: 'client', issuer: 'internal-ca', keyVault: 'kv' }));
  assert.equal(suggestCertificateId(after, 'client'), 'client-cert-2');

  const blank = design('apiVersion: gatewright/v1\nkind: Architecture\nmetadata: { name: blank, location: westeurope }\nnodes: []\n');
  assert.deepEqual(newCertificateDraft(blank), { id: 'server-cert', role: 'server', issuer: 'external', keyVault: '' });
  assert.deepEqual(addCertificateOps(newCertificateDraft(blank)), [
    { op: 'addCertificate', certificate: { id: 'server-cert', role: 'server', issuer: 'external' } },
  ]);
  assert.deepEqual(buildChainTree([]), []);
});
