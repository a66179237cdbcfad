/**
 * Data services (src/generators/azure/data/): Key Vault, Container Registry, SQL server and database
 * with auditing, Cosmos DB; bodies follow the design's secure defaults and its overrides, every node's resource is
 * registered, and no secret appears anywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COSMOS_ACCOUNT_TYPE } from '../../src/generators/azure/data/cosmos.js';
import { KEY_VAULT_TYPE } from '../../src/generators/azure/data/keyvault.js';
import { REGISTRY_TYPE } from '../../src/generators/azure/data/registry.js';
import { SQL_AUDITING_TYPE, SQL_DATABASE_TYPE, SQL_SERVER_TYPE } from '../../src/generators/azure/data/sql.js';
import { deleteAt, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { build, buildUpToClusters, named, ofType, props, render, smallDesign, type Built } from './data-services.fixtures.js';

const reference = build(REFERENCE);

function vault(built: Built, name = 'paymentskv-<suffix>') {
  return props(named(built, KEY_VAULT_TYPE, name));
}

test('data: every data node is registered as its main resource', () => {
  const b = buildUpToClusters(REFERENCE);
  assert.deepEqual(
    ['kv', 'acr', 'sql', 'cosmos'].map((id) => b.nodeResources.get(id)?.type),
    [KEY_VAULT_TYPE, REGISTRY_TYPE, SQL_SERVER_TYPE, COSMOS_ACCOUNT_TYPE],
  );
});

test('data: Key Vault uses RBAC, soft delete, purge protection and a deny-by-default firewall', () => {
  const kv = named(reference, KEY_VAULT_TYPE, 'paymentskv-<suffix>');
  assert.equal(kv.apiVersion, '2026-02-01', 'the newest GA version, not one over two years old');
  assert.deepEqual(kv.body.tags, { workload: 'payments' });
  const p = props(kv);
  assert.equal(render(p.tenantId), 'tenant().tenantId');
  assert.deepEqual(p.sku, { family: 'A', name: 'standard' });
  assert.equal(p.enableRbacAuthorization, true);
  assert.equal(p.enableSoftDelete, true);
  assert.equal(p.softDeleteRetentionInDays, 90);
  assert.equal(p.enablePurgeProtection, true);
  assert.equal(p.publicNetworkAccess, 'Disabled');
  assert.equal(p.accessPolicies, undefined, 'no access policies with Azure RBAC');
  // API Management (custom domain) and Application Gateway (listener) read it: trusted services pass the firewall.
  assert.deepEqual(p.networkAcls, { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: [], virtualNetworkRules: [] });
});

test('data: Key Vault read by no gateway keeps trusted services out; purge protection off leaves the property out', () => {
  const text = smallDesign(`- { id: kv, type: keyVault, properties: { purgeProtection: false, softDeleteRetentionDays: 30, publicNetworkAccess: Enabled } }`, '');
  const built = build(text);
  const p = vault(built, 'shop-kv-<suffix>');
  assert.equal((p.networkAcls as { bypass: string }).bypass, 'None');
  assert.ok(!('enablePurgeProtection' in p), 'the API refuses enablePurgeProtection: false');
  assert.equal(p.softDeleteRetentionInDays, 30);
  assert.equal(p.publicNetworkAccess, 'Enabled');
  assert.ok(built.notes.some((n) => n.includes('no purge protection')));
});

test('data: Key Vault holding a gateway certificate lets trusted services in even without a secrets edge', () => {
  const built = build(
    mutateReference((doc) => {
      deleteAt(doc, ['edges', 'apim-kv']);
      deleteAt(doc, ['edges', 'appgw-kv']);
    }),
  );
  assert.equal((vault(built).networkAcls as { bypass: string }).bypass, 'AzureServices');
});

test('data: Key Vault with access policies says so and keeps the list in the template', () => {
  const built = build(smallDesign(`- { id: kv, type: keyVault, properties: { rbacAuthorization: false } }`, ''));
  const p = vault(built, 'shop-kv-<suffix>');
  assert.equal(p.enableRbacAuthorization, false);
  assert.deepEqual(p.accessPolicies, []);
  assert.ok(built.notes.some((n) => n.includes('access policies')));
});

test('data: Container Registry without admin user or anonymous pull, export disabled, scanned by Defender as a trusted service', () => {
  const acr = named(reference, REGISTRY_TYPE, 'paymentsacr<suffix>');
  assert.equal(acr.apiVersion, '2025-11-01');
  assert.deepEqual(acr.body.sku, { name: 'Premium' });
  assert.deepEqual(props(acr), {
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: 'Disabled',
    networkRuleBypassOptions: 'AzureServices',
    policies: { exportPolicy: { status: 'disabled' } },
  });
});

test('data: a Standard registry open to the public, unprotected, has no export policy and no bypass', () => {
  const built = build(smallDesign(`- { id: images, type: containerRegistry, properties: { sku: Standard, publicNetworkAccess: Enabled } }`, ''));
  assert.deepEqual(props(named(built, REGISTRY_TYPE, 'shopimages<suffix>')), {
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: 'Enabled',
    networkRuleBypassOptions: 'None',
  });
});

test('data: SQL server is Entra-only with the admin group from parameters, a database named after the node', () => {
  const server = named(reference, SQL_SERVER_TYPE, 'payments-sql-<suffix>');
  assert.equal(server.apiVersion, '2025-01-01');
  const p = props(server);
  assert.equal(p.minimalTlsVersion, '1.2');
  assert.equal(p.publicNetworkAccess, 'Disabled');
  assert.equal(p.administratorLogin, undefined, 'no SQL login');
  assert.equal(
    render(p.administrators),
    '{administratorType: "ActiveDirectory", principalType: "Group", login: param(sqlAdminGroupName), sid: param(sqlAdminGroupObjectId), tenantId: tenant().tenantId, azureADOnlyAuthentication: true}',
  );
  for (const name of ['sqlAdminGroupName', 'sqlAdminGroupObjectId']) {
    const param = reference.template.parameters.find((x) => x.name === name);
    assert.ok(param, `parameter ${name}`);
    assert.equal(param.defaultValue, undefined, `${name} has no default`);
    assert.equal(param.fileValue, undefined, `${name} is not invented`);
  }
  assert.ok(reference.notes.some((n) => n.includes('sqlAdminGroupName') && n.includes('sqlAdminGroupObjectId')), 'the notes say what to put');
  const database = ofType(reference, SQL_DATABASE_TYPE).find((r) => r.name === 'sql');
  assert.ok(database);
  assert.equal(database.parent, server);
  assert.deepEqual(database.body.sku, { name: 'GP_Gen5_2', tier: 'GeneralPurpose' });
});

test('data: SQL auditing goes to Azure Monitor through master when the node sends diagnostics to a workspace', () => {
  const server = named(reference, SQL_SERVER_TYPE, 'payments-sql-<suffix>');
  const master = ofType(reference, SQL_DATABASE_TYPE).find((r) => r.name === 'master');
  assert.ok(master, 'master is declared so that the diagnostic setting can be scoped to it');
  assert.equal(master.parent, server);
  const auditing = ofType(reference, SQL_AUDITING_TYPE);
  assert.equal(auditing.length, 1);
  assert.equal(auditing[0]!.name, 'default');
  assert.equal(auditing[0]!.parent, server);
  const p = props(auditing[0]!);
  assert.equal(p.state, 'Enabled');
  assert.equal(p.isAzureMonitorTargetEnabled, true);
  const settings = reference.resources.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings' && r.scope === master);
  assert.equal(settings.length, 1, 'the diagnostics builder sends master logs (SQLSecurityAuditEvents) to the workspace');
});

test('data: no auditing without a workspace edge or with auditing off, each with a note', () => {
  const noEdge = build(mutateReference((doc) => deleteAt(doc, ['edges', 'sql-logs'])));
  assert.equal(ofType(noEdge, SQL_AUDITING_TYPE).length, 0);
  assert.deepEqual(ofType(noEdge, SQL_DATABASE_TYPE).map((r) => r.name), ['sql']);
  assert.ok(noEdge.notes.some((n) => n.includes('auditing is left off')));

  const off = build(mutateReference((doc) => setAt(doc, ['nodes', 'sql', 'properties', 'auditing'], false)));
  assert.equal(ofType(off, SQL_AUDITING_TYPE).length, 0);
  assert.ok(off.notes.some((n) => n.includes('auditing off')));
});

test('data: SQL authentication is never generated: the server stays Entra-only with a note; TLS 1.3 as asked', () => {
  const built = build(
    mutateReference((doc) => {
      setAt(doc, ['nodes', 'sql', 'properties', 'entraOnlyAuthentication'], false);
      setAt(doc, ['nodes', 'sql', 'properties', 'minTlsVersion'], '1.3');
    }),
  );
  const p = props(named(built, SQL_SERVER_TYPE, 'payments-sql-<suffix>'));
  assert.equal((p.administrators as { azureADOnlyAuthentication: boolean }).azureADOnlyAuthentication, true);
  assert.equal(p.minimalTlsVersion, '1.3');
  assert.ok(built.notes.some((n) => n.includes('entraOnlyAuthentication: false')));
  assert.ok(!built.template.parameters.some((x) => /password/i.test(x.name)), 'no password parameter');
});

test('data: Cosmos DB without account keys, one region at the deployment location, TLS 1.2', () => {
  const account = named(reference, COSMOS_ACCOUNT_TYPE, 'payments-cosmos-<suffix>');
  assert.equal(account.apiVersion, '2025-04-15');
  assert.equal(account.body.kind, 'GlobalDocumentDB');
  const p = props(account);
  assert.equal(p.databaseAccountOfferType, 'Standard');
  assert.equal(render(p.locations), '[{locationName: param(location), failoverPriority: 0, isZoneRedundant: false}]');
  assert.equal(p.disableLocalAuth, true);
  assert.equal(p.disableKeyBasedMetadataWriteAccess, true);
  assert.equal(p.minimalTlsVersion, 'Tls12');
  assert.equal(p.publicNetworkAccess, 'Disabled');
  assert.deepEqual(p.consistencyPolicy, { defaultConsistencyLevel: 'Session' });
});

test('data: Cosmos DB asked for TLS 1.3 or account keys gets what the API allows, with notes', () => {
  const built = build(smallDesign(`- { id: db, type: cosmosDb, properties: { minTlsVersion: "1.3", localAuth: true } }`, ''));
  const p = props(named(built, COSMOS_ACCOUNT_TYPE, 'shop-db-<suffix>'));
  assert.equal(p.minimalTlsVersion, 'Tls12');
  assert.equal(p.disableLocalAuth, false);
  assert.ok(built.notes.some((n) => n.includes('TLS 1.3')));
  assert.ok(built.notes.some((n) => n.includes('account keys')));
});

test('data: a design without data services makes none', () => {
  const built = build(smallDesign(`- { id: logs, type: logAnalytics }`, ''));
  for (const type of [KEY_VAULT_TYPE, REGISTRY_TYPE, SQL_SERVER_TYPE, COSMOS_ACCOUNT_TYPE]) assert.equal(ofType(built, type).length, 0);
});
