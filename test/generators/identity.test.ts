/**
 * Managed identities (src/generators/azure/identity.ts): one user-assigned identity per managedIdentity node, named
 * as the model names it, with its client id as an output; workload identity federation with each cluster whose
 * privateLink edges name the identity, one credential per namespace of the cluster's services, chained.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEDERATED_CREDENTIAL_TYPE, IDENTITY_TYPE, TOKEN_EXCHANGE_AUDIENCE } from '../../src/generators/azure/identity.js';
import { deleteAt, indexOf, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { build, buildUpToClusters, named, ofType, props, render, smallDesign } from './data-services.fixtures.js';

test('identity: each managedIdentity node is a user-assigned identity with the derived name, tags and a client id output', () => {
  const built = build(REFERENCE);
  const identity = named(built, IDENTITY_TYPE, 'payments-workload-identity');
  assert.equal(identity.apiVersion, '2024-11-30');
  assert.deepEqual(identity.body.tags, { workload: 'payments' });
  assert.equal(render(identity.body.location), 'param(location)');
  const output = built.template.outputs.find((o) => o.name === 'workloadIdentityClientId');
  assert.ok(output, 'the client id is an output');
  assert.equal(render(output.value), `${identity.symbol}.properties.clientId`);
  // Registered as the node's main resource, for the role assignments.
  assert.equal(buildUpToClusters(REFERENCE).nodeResources.get('workload-identity')?.type, IDENTITY_TYPE);
});

test('identity: an explicit name on the node is used as it is', () => {
  const built = build(mutateReference((doc) => setAt(doc, ['nodes', 'workload-identity', 'name'], 'id-orders-prod')));
  named(built, IDENTITY_TYPE, 'id-orders-prod');
});

test('identity: the cluster workloads get a federated credential per service namespace, chained one after the other', () => {
  const built = build(
    mutateReference((doc) => {
      const services = doc.getIn(['nodes', indexOf(doc, 'nodes', 'aks'), 'properties', 'services']) as { add(v: unknown): void };
      services.add(doc.createNode({ name: 'billing', namespace: 'billing', port: 443, path: '/billing' }));
      services.add(doc.createNode({ name: 'refunds', namespace: 'orders', port: 443, path: '/refunds' }));
    }),
  );
  const credentials = ofType(built, FEDERATED_CREDENTIAL_TYPE);
  assert.deepEqual(credentials.map((c) => c.name), ['aks-billing', 'aks-orders'], 'one per namespace, sorted, no repeat');
  const identity = named(built, IDENTITY_TYPE, 'payments-workload-identity');
  const cluster = built.resources.find((r) => r.type === 'Microsoft.ContainerService/managedClusters')!;
  for (const c of credentials) {
    assert.equal(c.parent, identity);
    const p = props(c);
    assert.equal(render(p.issuer), `${cluster.symbol}.properties.oidcIssuerProfile.issuerURL`);
    assert.deepEqual(p.audiences, [TOKEN_EXCHANGE_AUDIENCE]);
  }
  assert.equal(props(credentials[0]!).subject, 'system:serviceaccount:billing:workload-identity');
  assert.equal(props(credentials[1]!).subject, 'system:serviceaccount:orders:workload-identity');
  assert.deepEqual(credentials[1]!.dependsOn, [credentials[0]], 'Azure refuses concurrent credential writes on one identity');
  assert.ok(built.notes.some((n) => n.includes('ServiceAccount "workload-identity"') && n.includes('workloadIdentityClientId')), 'a note says how to use it');
});

test('identity: two clusters sharing an identity each get their credentials, all chained on the identity', () => {
  const text = smallDesign(
    `- { id: blue, type: aksCluster, properties: { services: [{ name: api, namespace: shop }] } }
     - { id: green, type: aksCluster, properties: { services: [{ name: api, namespace: shop }] } }
     - { id: app, type: managedIdentity }
     - { id: db, type: cosmosDb }`,
    `- { from: blue, to: db, type: privateLink, properties: { identity: app } }
     - { from: green, to: db, type: privateLink, properties: { identity: app } }`,
  );
  const built = build(text);
  const credentials = ofType(built, FEDERATED_CREDENTIAL_TYPE);
  assert.deepEqual(credentials.map((c) => c.name), ['blue-shop', 'green-shop']);
  assert.deepEqual(credentials[1]!.dependsOn, [credentials[0]]);
  assert.notEqual(render(props(credentials[0]!).issuer), render(props(credentials[1]!).issuer), 'each trusts its own cluster issuer');
});

test('identity: no credential without an identity on the edge, with workload identity off, or without services', () => {
  const noIdentity = build(
    mutateReference((doc) => {
      deleteAt(doc, ['edges', 'aks-sql', 'properties']);
      deleteAt(doc, ['edges', 'aks-cosmos', 'properties']);
    }),
  );
  assert.equal(ofType(noIdentity, FEDERATED_CREDENTIAL_TYPE).length, 0);
  named(noIdentity, IDENTITY_TYPE, 'payments-workload-identity');

  const off = build(mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'workloadIdentity'], false)));
  assert.equal(ofType(off, FEDERATED_CREDENTIAL_TYPE).length, 0);
  assert.ok(off.notes.some((n) => n.includes('workload identity off')));

  const noServices = build(
    smallDesign(
      `- { id: aks, type: aksCluster }
       - { id: app, type: managedIdentity }
       - { id: kv, type: keyVault }`,
      `- { from: aks, to: kv, type: privateLink, properties: { identity: app } }`,
    ),
  );
  assert.equal(ofType(noServices, FEDERATED_CREDENTIAL_TYPE).length, 0);
  assert.ok(noServices.notes.some((n) => n.includes('lists no services')));
});
