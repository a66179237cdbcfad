/** nodeOfResource: every resource the reference design's generated template deploys maps back to its node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeOfResource, nodeOfTypedName, parseResourceId } from '../../src/deploy/resource-map.js';
import { planTemplate } from '../helpers/arm-server/template.js';
import { RESOURCE_GROUP, SUBSCRIPTION, nameIn, reference } from '../helpers/arm-server/fixture.js';
import { append, indexOf, mutateReference, setAt } from '../helpers/reference.js';

const SCOPE = { subscriptionId: SUBSCRIPTION, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', resourceGroup: RESOURCE_GROUP, location: 'westeurope' };

/** The resource ids the template deploys, as Resource Manager computes them (names and scopes evaluated, nested deployments expanded). */
function plannedIds(ref: ReturnType<typeof reference>) {
  const result = planTemplate(ref.prepared.template, ref.prepared.input!.parameters, SCOPE);
  if ('errors' in result) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.plan;
}

const REF = reference();
/** Globally unique names as Resource Manager evaluates them in the test resource group (prefix + uniqueString). */
const APIM = nameIn(REF.design, 'apim');
const SQL = nameIn(REF.design, 'sql');
const KV = nameIn(REF.design, 'kv');
const RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers`;

test('every resource and every deployment operation of the reference template maps to a node', () => {
  const plan = plannedIds(REF);
  assert.ok(plan.resources.length > 80);
  const unmapped = [...plan.resources, ...plan.operations].filter((r) => nodeOfResource(REF.design, r.id) === undefined).map((r) => r.id);
  assert.deepEqual(unmapped, []);
  // Each node that deploys something is reached.
  const reached = new Set(plan.resources.map((r) => nodeOfResource(REF.design, r.id)));
  for (const id of ['appgw', 'apim', 'aks', 'workload-identity', 'acr', 'sql', 'cosmos', 'kv', 'logs', 'appinsights', 'defender', 'sentinel', 'bastion', 'vnet']) {
    assert.ok(reached.has(id), `no resource maps to ${id}`);
  }
  assert.ok(!reached.has('internet') && !reached.has('entra'), 'nodes that deploy nothing get nothing');
});

test('the patterns: main resources, children, derived names, private link, DNS, extensions, subscription-scope plans', () => {
  const byTypeAndName = (type: string, name: string) => {
    const r = plannedIds(REF).resources.find((x) => x.type.toLowerCase() === type.toLowerCase() && x.name === name);
    assert.ok(r, `${type} ${name} is deployed`);
    return nodeOfResource(REF.design, r.id);
  };
  const cases: [string, string, string][] = [
    ['Microsoft.Network/applicationGateways', 'payments-appgw', 'appgw'],
    ['Microsoft.Network/publicIPAddresses', 'payments-appgw-pip', 'appgw'],
    ['Microsoft.ManagedIdentity/userAssignedIdentities', 'payments-appgw-id', 'appgw'],
    ['Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'payments-appgw-waf', 'appgw'],
    ['Microsoft.ApiManagement/service', APIM, 'apim'],
    ['Microsoft.ApiManagement/service/apis/operations', `${APIM}/orders/get`, 'apim'],
    ['Microsoft.Network/publicIPAddresses', 'payments-apim-pip', 'apim'],
    ['Microsoft.ManagedIdentity/userAssignedIdentities', 'payments-aks-identity', 'aks'],
    ['Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', 'payments-workload-identity/aks-orders', 'workload-identity'],
    ['Microsoft.Network/virtualNetworks/subnets', 'payments-vnet/snet-aks', 'vnet'],
    ['Microsoft.Network/networkSecurityGroups', 'payments-nsg-agw', 'vnet'],
    ['Microsoft.Network/privateEndpoints', 'pe-paymentsacr', 'acr'],
    ['Microsoft.Network/privateEndpoints/privateDnsZoneGroups', 'pe-payments-sql/default', 'sql'],
    ['Microsoft.Network/privateDnsZones', 'privatelink.vaultcore.azure.net', 'kv'],
    ['Microsoft.Network/privateDnsZones', 'privatelink.azurecr.io', 'acr'],
    ['Microsoft.Network/privateDnsZones/virtualNetworkLinks', 'privatelink.database.windows.net/payments-vnet-link', 'sql'],
    ['Microsoft.Network/privateDnsZones', 'internal.contoso.com', 'apim'],
    ['Microsoft.Network/privateDnsZones/A', 'internal.contoso.com/gateway', 'apim'],
    ['Microsoft.Network/privateDnsZones/A', 'internal.contoso.com/orders', 'aks'],
    ['Microsoft.Sql/servers/databases', `${SQL}/sql`, 'sql'],
    ['Microsoft.KeyVault/vaults', KV, 'kv'],
    ['Microsoft.ContainerRegistry/registries', nameIn(REF.design, 'acr'), 'acr'],
    ['Microsoft.DocumentDB/databaseAccounts', nameIn(REF.design, 'cosmos'), 'cosmos'],
    ['Microsoft.OperationsManagement/solutions', 'SecurityInsights(payments-logs)', 'sentinel'],
    ['Microsoft.SecurityInsights/onboardingStates', 'default', 'sentinel'],
    ['Microsoft.Security/pricings', 'Containers', 'defender'],
  ];
  for (const [type, name, node] of cases) assert.equal(byTypeAndName(type, name), node, `${type} ${name}`);
  // Extension resources belong to the node of the resource they apply to.
  const diag = plannedIds(REF).resources.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
  assert.deepEqual(
    diag.map((r) => nodeOfResource(REF.design, r.id)).sort(),
    ['acr', 'aks', 'apim', 'appgw', 'bastion', 'cosmos', 'kv', 'sentinel', 'sql', 'sql', 'vnet'],
  );
  const roleOnKv = plannedIds(REF).resources.find((r) => r.type === 'Microsoft.Authorization/roleAssignments' && r.id.includes(`/vaults/${KV}/`));
  assert.equal(nodeOfResource(REF.design, roleOnKv!.id), 'kv');
  // The nested deployments, as deployment operations.
  assert.equal(nodeOfResource(REF.design, `${RG}/Microsoft.Resources/deployments/payments-apim-custom-domain`), 'apim');
  assert.equal(nodeOfResource(REF.design, `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Resources/deployments/payments-defender-plans`), 'defender');
  assert.equal(nodeOfTypedName(REF.design, 'Microsoft.KeyVault/vaults', KV), 'kv');
  // The same design's vault in another resource group is named with that group's suffix, and still drawn on kv.
  assert.equal(nodeOfTypedName(REF.design, 'Microsoft.KeyVault/vaults', nameIn(REF.design, 'kv', 'rg-other')), 'kv');
});

test('explicit names, a changed design name, and resources no node made', () => {
  const named = reference(
    mutateReference((doc) => {
      setAt(doc, ['nodes', 'appgw', 'name'], 'contoso-edge');
      setAt(doc, ['nodes', 'kv', 'name'], 'contoso-vault-01');
    }),
  );
  const ids = plannedIds(named).resources;
  const pip = ids.find((r) => r.name === 'contoso-edge-pip');
  assert.ok(pip, 'the gateway public IP follows the explicit name');
  assert.equal(nodeOfResource(named.design, pip.id), 'appgw');
  const endpoint = ids.find((r) => r.name === 'pe-contoso-vault-01');
  assert.ok(endpoint);
  assert.equal(nodeOfResource(named.design, endpoint.id), 'kv');
  assert.deepEqual(
    [...ids].filter((r) => nodeOfResource(named.design, r.id) === undefined).map((r) => r.id),
    [],
  );
  // A resource of another design, or of no design, maps to nothing; ids are matched case-insensitively.
  assert.equal(nodeOfResource(REF.design, `${RG}/Microsoft.Network/applicationGateways/other-appgw`), undefined);
  assert.equal(nodeOfResource(REF.design, `${RG.toLowerCase()}/microsoft.network/APPLICATIONGATEWAYS/PAYMENTS-APPGW`), 'appgw');
  assert.equal(nodeOfResource(REF.design, 'not a resource id'), undefined);

  // Without a virtualNetwork node the template makes payments-vnet on its own: no node to draw it on.
  const noVnet = reference(
    mutateReference((doc) => {
      const edges = (doc.toJS() as { edges: { from: string; to: string }[] }).edges;
      for (let i = edges.length - 1; i >= 0; i--) if (edges[i]!.from === 'vnet' || edges[i]!.to === 'vnet') doc.deleteIn(['edges', i]);
      doc.deleteIn(['nodes', indexOf(doc, 'nodes', 'vnet')]);
      doc.deleteIn(['layout', 'vnet']);
    }),
  );
  assert.equal(nodeOfResource(noVnet.design, `${RG}/Microsoft.Network/virtualNetworks/payments-vnet`), undefined);
  assert.equal(nodeOfResource(noVnet.design, `${RG}/Microsoft.Network/virtualNetworks/payments-vnet/subnets/snet-aks`), undefined);
  assert.equal(nodeOfResource(noVnet.design, `${RG}/Microsoft.Network/applicationGateways/payments-appgw`), 'appgw');
});

test('an Application Insights node without a workspace gets its own, mapped to it', () => {
  const design = reference(
    mutateReference((doc) => {
      append(doc, 'nodes', { id: 'traces', type: 'applicationInsights' });
    }),
  ).design;
  assert.equal(nodeOfResource(design, `${RG}/Microsoft.OperationalInsights/workspaces/payments-log-traces`), 'traces');
});

test('parseResourceId', () => {
  assert.deepEqual(parseResourceId(`/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a`), {
    subscriptionId: 's',
    resourceGroup: 'rg',
    type: 'Microsoft.Network/virtualNetworks/subnets',
    names: ['v', 'a'],
  });
  assert.deepEqual(parseResourceId('/subscriptions/s/providers/Microsoft.Security/pricings/Api'), {
    subscriptionId: 's',
    type: 'Microsoft.Security/pricings',
    names: ['Api'],
  });
  assert.deepEqual(parseResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/g'), {
    subscriptionId: 's',
    resourceGroup: 'rg',
    type: 'Microsoft.Authorization/roleAssignments',
    names: ['g'],
    scope: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
  });
  assert.equal(parseResourceId('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks')?.type, undefined);
});
