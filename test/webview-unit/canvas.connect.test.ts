import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditOperationSchema } from '../../src/schemas/operations.js';
import { connectIndex, connectionChoice, connectOperations, connectedEdgeId, proposeClientCertificate } from '../../src/webview/connect.js';
import { designOf, REF } from './canvas.fixtures.js';

const BARE = designOf(`apiVersion: gatewright/v1
kind: Architecture
metadata: { name: bare, location: westeurope }
nodes:
  - { id: apim, type: apiManagement }
  - { id: aks, type: aksCluster }
  - { id: kv, type: keyVault }
  - { id: internet, type: internet }
  - { id: bastion, type: bastion }
`);

test('a connection between types that no edge type joins is refused', () => {
  const index = connectIndex(BARE);
  assert.equal(connectionChoice(index, 'internet', 'kv').kind, 'invalid');
  assert.equal(connectionChoice(index, 'apim', 'apim').kind, 'invalid');
  assert.equal(connectionChoice(index, 'apim', 'nope').kind, 'invalid');
  assert.equal(connectionChoice(index, null, 'apim').kind, 'invalid');
});

test('the type is chosen when exactly one fits, and asked when several do', () => {
  const index = connectIndex(BARE);
  assert.deepEqual(connectionChoice(index, 'apim', 'kv'), { kind: 'one', type: 'secrets' });
  assert.deepEqual(connectionChoice(index, 'apim', 'aks'), { kind: 'several', types: ['https', 'mtls'] });
  assert.deepEqual(connectionChoice(index, 'aks', 'kv'), { kind: 'several', types: ['privateLink', 'secrets'] });
});

test('types that already join the two nodes are not offered again', () => {
  const index = connectIndex(REF);
  // The reference has apim -> aks mtls: only https is left.
  assert.deepEqual(connectionChoice(index, 'apim', 'aks'), { kind: 'one', type: 'https' });
  // appgw -> apim https exists, and nothing else fits.
  assert.equal(connectionChoice(index, 'appgw', 'apim').kind, 'invalid');
});

test('a plain connection is one connect operation; a taken default id gets an explicit one', () => {
  const ops = connectOperations(BARE, 'apim', 'kv', 'secrets');
  assert.deepEqual(ops, [{ op: 'connect', edge: { from: 'apim', to: 'kv', type: 'secrets' } }]);
  const again = connectOperations(REF, 'apim', 'aks', 'https');
  assert.deepEqual(again, [{ op: 'connect', edge: { from: 'apim', to: 'aks', type: 'https', id: 'apim-aks-https' } }]);
  assert.equal(connectedEdgeId(again), 'apim-aks-https');
  for (const op of [...ops, ...again]) assert.ok(EditOperationSchema.safeParse(op).success);
});

test('an mTLS edge needs a client certificate: an existing one, or a new one in the same edit', () => {
  assert.throws(() => connectOperations(BARE, 'apim', 'aks', 'mtls'));
  const existing = connectOperations(REF, 'apim', 'aks', 'mtls', { kind: 'existing', id: 'apim-client' });
  assert.deepEqual(existing.at(-1), { op: 'connect', edge: { from: 'apim', to: 'aks', type: 'mtls', id: 'apim-aks-mtls', properties: { clientCertificate: 'apim-client' } } });
  const proposal = proposeClientCertificate(BARE, 'apim', 'aks');
  assert.deepEqual(proposal, { id: 'apim-client', role: 'client', issuer: 'self', keyVault: 'kv' });
  const created = connectOperations(BARE, 'apim', 'aks', 'mtls', { kind: 'new', certificate: proposal });
  assert.deepEqual(created, [
    { op: 'addCertificate', certificate: { id: 'apim-client', role: 'client', issuer: 'self', keyVault: 'kv' } },
    { op: 'connect', edge: { from: 'apim', to: 'aks', type: 'mtls', properties: { clientCertificate: 'apim-client' } } },
  ]);
  for (const op of created) assert.ok(EditOperationSchema.safeParse(op).success);
});

test('a proposed client certificate is issued by the CA the ingress already trusts', () => {
  const p = proposeClientCertificate(REF, 'apim', 'aks');
  assert.equal(p.issuer, 'internal-ca');
  assert.equal(p.keyVault, 'kv');
  assert.equal(p.id, 'apim-client-2');
});
