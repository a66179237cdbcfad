/**
 * Role assignments (src/generators/azure/roles.ts): the roles each edge implies, on the right scope, for the right
 * identity, named guid(resourceGroup().id, <literals>) so both renderings name them alike; one per scope, principal
 * and role; Cosmos DB data-plane roles; SQL users as notes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COSMOS_ROLE_ASSIGNMENT_TYPE } from '../../src/generators/azure/data/cosmos.js';
import { ROLE_ASSIGNMENT_TYPE, ROLES } from '../../src/generators/azure/roles.js';
import { deleteAt, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { build, guidArgs, ofType, props, render, smallDesign, type Built } from './data-services.fixtures.js';

const reference = build(REFERENCE);
const ROLE_NAMES = Object.fromEntries(Object.values(ROLES).map((r) => [r.guid, r.name]));

/** Every Azure role assignment as "<scope key> <principal key> <role name> <- <principalId>". */
function grants(built: Built): string[] {
  return ofType(built, ROLE_ASSIGNMENT_TYPE)
    .map((r) => {
      const [scope, principal, role] = guidArgs(r);
      return `${scope} ${principal} ${ROLE_NAMES[role!] ?? role} <- ${render(props(r).principalId)}`;
    })
    .sort();
}

test('roles: the reference design gets exactly the grants its edges imply', () => {
  assert.deepEqual(grants(reference), [
    'acr aks/kubelet AcrPull <- aks.properties.identityProfile.kubeletidentity.objectId',
    'appinsights apim Monitoring Metrics Publisher <- apimService.identity.principalId',
    'appinsights workload-identity Monitoring Metrics Publisher <- workloadIdentity.properties.principalId',
    'kv aks/azureKeyvaultSecretsProvider Key Vault Secrets User <- aks.properties.addonProfiles.azureKeyvaultSecretsProvider.identity.objectId',
    'kv aks/webAppRouting Key Vault Certificate User <- aks.properties.ingressProfile.webAppRouting.identity.objectId',
    'kv apim Key Vault Secrets User <- apimService.identity.principalId',
    'kv appgw/identity Key Vault Secrets User <- appgwIdentity.properties.principalId',
    'subnet/snet-aks aks/control-plane Network Contributor <- aksIdentity.properties.principalId',
  ]);
});

test('roles: assignments are scoped to the target resource, use subscription role ids and ServicePrincipal principals', () => {
  for (const r of ofType(reference, ROLE_ASSIGNMENT_TYPE)) {
    assert.equal(r.apiVersion, '2022-04-01');
    const [scopeKey, , role] = guidArgs(r);
    assert.ok(r.scope, `${r.symbol} has a scope`);
    const scopeNames: Record<string, string> = {
      kv: '`paymentskv-${uniqueString(resourceGroup().id)}`',
      acr: '`paymentsacr${uniqueString(resourceGroup().id)}`',
      appinsights: 'payments-appinsights',
      'subnet/snet-aks': 'snet-aks',
    };
    assert.equal(typeof r.scope.name === 'string' ? r.scope.name : render(r.scope.name), scopeNames[scopeKey!], `${r.symbol} is scoped to ${scopeKey}`);
    const p = props(r);
    assert.equal(render(p.roleDefinitionId), `subscriptionResourceId("Microsoft.Authorization/roleDefinitions", "${role}")`);
    assert.equal(p.principalType, 'ServicePrincipal');
  }
  const names = ofType(reference, ROLE_ASSIGNMENT_TYPE).map((r) => render(r.name));
  assert.equal(new Set(names).size, names.length, 'names are unique');
});

test('roles: the workload identity gets the Cosmos DB Data Contributor data-plane role and SQL users as notes', () => {
  const cosmos = ofType(reference, COSMOS_ROLE_ASSIGNMENT_TYPE);
  assert.equal(cosmos.length, 1);
  const r = cosmos[0]!;
  assert.deepEqual(guidArgs(r), ['cosmos', 'workload-identity', '00000000-0000-0000-0000-000000000002']);
  assert.equal(r.parent?.symbol, 'cosmos');
  assert.equal(
    render(props(r)),
    '{roleDefinitionId: resourceId("Microsoft.DocumentDB/databaseAccounts/sqlRoleDefinitions", cosmos.name, "00000000-0000-0000-0000-000000000002"), principalId: workloadIdentity.properties.principalId, scope: cosmos.id}',
  );
  assert.deepEqual(r.dependsOn?.map((d) => d.symbol), ['cosmosPrivateEndpoint'], 'one Cosmos DB account operation at a time');
  const sql = reference.notes.find((n) => n.startsWith('SQL Database "sql"'));
  assert.ok(sql?.includes('CREATE USER [payments-workload-identity] FROM EXTERNAL PROVIDER;'), sql);
});

test('roles: no identity on an edge, no data role', () => {
  const built = build(
    mutateReference((doc) => {
      deleteAt(doc, ['edges', 'aks-sql', 'properties']);
      deleteAt(doc, ['edges', 'aks-cosmos', 'properties']);
    }),
  );
  assert.equal(ofType(built, COSMOS_ROLE_ASSIGNMENT_TYPE).length, 0);
  assert.ok(!built.notes.some((n) => n.includes('CREATE USER')));
  assert.ok(!grants(built).some((g) => g.includes('workload-identity')), 'no telemetry grant for an identity no workload uses');
});

test('roles: an identity on a link to Key Vault or a registry gets Secrets User or AcrPull; two clusters pull with their own kubelets', () => {
  const built = build(
    smallDesign(
      `- { id: blue, type: aksCluster, properties: { services: [{ name: api, namespace: shop }] } }
       - { id: green, type: aksCluster, properties: { services: [{ name: api, namespace: shop }] } }
       - { id: app, type: managedIdentity }
       - { id: images, type: containerRegistry }
       - { id: kv, type: keyVault }
       - { id: db, type: cosmosDb }`,
      `- { from: blue, to: images, type: imagePull }
       - { from: green, to: images, type: imagePull }
       - { from: blue, to: images, type: privateLink, properties: { identity: app } }
       - { from: green, to: kv, type: privateLink, properties: { identity: app } }
       - { from: blue, to: db, type: privateLink, properties: { identity: app } }
       - { from: green, to: db, type: privateLink, properties: { identity: app } }`,
    ),
  );
  const g = grants(built).filter((x) => !x.includes('Network Contributor'));
  assert.deepEqual(g, [
    'images app AcrPull <- app.properties.principalId',
    'images blue/kubelet AcrPull <- blue.properties.identityProfile.kubeletidentity.objectId',
    'images green/kubelet AcrPull <- green.properties.identityProfile.kubeletidentity.objectId',
    'kv app Key Vault Secrets User <- app.properties.principalId',
  ]);
  assert.equal(ofType(built, COSMOS_ROLE_ASSIGNMENT_TYPE).length, 1, 'two edges, one identity, one account: one data-plane assignment');
});

test('roles: a cluster without the app routing ingress or the secrets provider gets only what it uses', () => {
  const gateway = build(mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'controller'], 'gatewayApi')));
  assert.ok(!grants(gateway).some((g) => g.includes('webAppRouting')));
  assert.ok(grants(gateway).some((g) => g.includes('aks/azureKeyvaultSecretsProvider')));

  const noProvider = build(mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'keyVaultSecretsProvider'], false)));
  assert.ok(!grants(noProvider).some((g) => g.includes('azureKeyvaultSecretsProvider')));
  assert.ok(noProvider.notes.some((n) => n.includes('keyVaultSecretsProvider: false')));
});

test('roles: a design without Key Vault has no Key Vault grant', () => {
  const built = build(smallDesign(`- { id: aks, type: aksCluster }\n- { id: images, type: containerRegistry }`, `- { from: aks, to: images, type: imagePull }`));
  assert.deepEqual(grants(built), [
    'images aks/kubelet AcrPull <- aks.properties.identityProfile.kubeletidentity.objectId',
    'subnet/snet-aks aks/control-plane Network Contributor <- aksIdentity.properties.principalId',
  ]);
});
