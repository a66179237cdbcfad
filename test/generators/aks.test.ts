/**
 * AKS clusters (src/generators/azure/aks.ts): the managed cluster follows the design (private API server, Entra
 * ID with Azure RBAC, no local accounts, Azure CNI Overlay, network policy, node pool, add-ons, app routing,
 * upgrades), its control-plane identity may use the subnet before the cluster exists, and the overlay ranges
 * never overlap the virtual network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AKS_TYPE, dnsPrefix, overlayRanges } from '../../src/generators/azure/aks.js';
import { IDENTITY_TYPE } from '../../src/generators/azure/identity.js';
import { DCR_ASSOCIATION_TYPE, DCR_TYPE } from '../../src/generators/azure/container-insights.js';
import { ROLE_ASSIGNMENT_TYPE, ROLES } from '../../src/generators/azure/roles.js';
import { formatCidr, overlaps, parseCidr } from '../../src/model/cidr.js';
import { deleteAt, mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { build, buildUpToClusters, guidArgs, named, ofType, props, render, smallDesign, type Built } from './data-services.fixtures.js';

const reference = build(REFERENCE);

function cluster(built: Built, name = 'payments-aks') {
  return named(built, AKS_TYPE, name);
}

test('aks: the reference cluster, as the design and the security baseline want it', () => {
  const aks = cluster(reference);
  assert.equal(aks.apiVersion, '2025-10-01');
  assert.deepEqual(aks.body.sku, { name: 'Base', tier: 'Standard' });
  assert.deepEqual(aks.body.tags, { workload: 'payments' });
  const p = props(aks);
  assert.equal(p.dnsPrefix, 'payments-aks');
  assert.equal(p.kubernetesVersion, undefined, 'the AKS default version; the upgrade channel keeps it current');
  assert.equal(p.enableRBAC, true);
  assert.equal(p.disableLocalAccounts, true);
  assert.equal(render(p.aadProfile), '{managed: true, enableAzureRBAC: true, tenantID: tenant().tenantId}');
  assert.deepEqual(p.apiServerAccessProfile, { enablePrivateCluster: true, privateDNSZone: 'system' });
  assert.deepEqual(p.autoUpgradeProfile, { upgradeChannel: 'stable', nodeOSUpgradeChannel: 'NodeImage' });
  assert.deepEqual(p.oidcIssuerProfile, { enabled: true });
  assert.deepEqual(p.ingressProfile, { webAppRouting: { enabled: true, nginx: { defaultIngressControllerType: 'Internal' } } });
});

test('aks: Azure CNI Overlay in the cluster subnet, with the design network policy and ranges outside the network', () => {
  const p = props(cluster(reference));
  const net = p.networkProfile as Record<string, unknown>;
  assert.equal(net.networkPlugin, 'azure');
  assert.equal(net.networkPluginMode, 'overlay');
  assert.equal(net.networkPolicy, 'azure');
  assert.equal(net.outboundType, 'loadBalancer');
  const vnet = parseCidr('10.0.0.0/16');
  for (const key of ['podCidr', 'serviceCidr'] as const) assert.ok(!overlaps(vnet, parseCidr(net[key] as string)), `${key} ${String(net[key])} is outside the network`);
  assert.ok(!overlaps(parseCidr(net.podCidr as string), parseCidr(net.serviceCidr as string)));
  assert.equal(net.dnsServiceIP, '10.245.0.10');
  const [pool] = p.agentPoolProfiles as Record<string, unknown>[];
  assert.equal(render(pool!.vnetSubnetID as never), 'subnetAks.id');
  assert.deepEqual(
    { name: pool!.name, mode: pool!.mode, count: pool!.count, vmSize: pool!.vmSize, zones: pool!.availabilityZones, encryption: pool!.enableEncryptionAtHost, osDiskType: pool!.osDiskType },
    { name: 'system', mode: 'System', count: 3, vmSize: 'Standard_D4ds_v5', zones: ['1', '2', '3'], encryption: true, osDiskType: undefined },
  );
});

test('aks: overlay ranges move away from a large address space; the DNS service IP lies in the service range', () => {
  for (const space of ['10.0.0.0/16', '10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12', '100.64.0.0/10', undefined, 'not a cidr']) {
    const r = overlayRanges(space);
    const pods = parseCidr(r.podCidr);
    const services = parseCidr(r.serviceCidr);
    assert.ok(!overlaps(pods, services), `${space}: ${r.podCidr} / ${r.serviceCidr}`);
    if (space && space !== 'not a cidr') {
      assert.ok(!overlaps(parseCidr(space), pods), `${space} overlaps pods ${r.podCidr}`);
      assert.ok(!overlaps(parseCidr(space), services), `${space} overlaps services ${r.serviceCidr}`);
    }
    assert.ok(overlaps(services, parseCidr(`${r.dnsServiceIP}/32`)), `${r.dnsServiceIP} is in ${formatCidr(services)}`);
  }
  assert.deepEqual(overlayRanges('10.0.0.0/8'), { podCidr: '192.168.0.0/16', serviceCidr: '172.20.0.0/16', dnsServiceIP: '172.20.0.10' });
  const wide = build(mutateReference((doc) => setAt(doc, ['nodes', 'vnet', 'properties', 'addressSpace'], '10.0.0.0/8')));
  assert.equal((props(cluster(wide)).networkProfile as { podCidr: string }).podCidr, '192.168.0.0/16');
});

test('aks: DNS prefixes are letters, digits and hyphens, at most 54 characters', () => {
  assert.equal(dnsPrefix('payments-aks'), 'payments-aks');
  assert.equal(dnsPrefix('my_cluster_1'), 'my-cluster-1');
  assert.equal(dnsPrefix(`${'a'.repeat(53)}-b`), 'a'.repeat(53));
  assert.match(dnsPrefix('x'.repeat(63)), /^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]$/);
});

test('aks: a user-assigned control-plane identity is granted Network Contributor on the subnet before the cluster', () => {
  const aks = cluster(reference);
  const identity = named(reference, IDENTITY_TYPE, 'payments-aks-identity');
  assert.equal(render(aks.body.identity), `{type: "UserAssigned", userAssignedIdentities: json(\`{"\${${identity.symbol}.id}": {}}\`)}`);
  const grant = ofType(reference, ROLE_ASSIGNMENT_TYPE).find((r) => r.scope?.type === 'Microsoft.Network/virtualNetworks/subnets');
  assert.ok(grant);
  assert.equal(render(grant.scope && (grant.scope.name as never)), '"snet-aks"');
  assert.deepEqual(guidArgs(grant), ['subnet/snet-aks', 'aks/control-plane', ROLES.networkContributor.guid]);
  assert.equal(render(props(grant).principalId), `${identity.symbol}.properties.principalId`);
  assert.deepEqual(aks.dependsOn, [grant]);
  assert.equal(buildUpToClusters(REFERENCE).ownIdentities.get('aks')?.name, 'payments-aks-identity', 'registered as the cluster own identity');
});

test('aks: add-ons: Key Vault provider with rotation, Azure Policy, Container insights and Defender on the diagnostics workspace', () => {
  const p = props(cluster(reference));
  const addons = p.addonProfiles as Record<string, unknown>;
  assert.deepEqual(addons.azureKeyvaultSecretsProvider, { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } });
  assert.deepEqual(addons.azurepolicy, { enabled: true, config: { version: 'v2' } });
  assert.equal(render(addons.omsagent as never), '{enabled: true, config: {logAnalyticsWorkspaceResourceID: logsWorkspace.id, useAADAuth: "true"}}');
  assert.equal(
    render(p.securityProfile),
    '{workloadIdentity: {enabled: true}, imageCleaner: {enabled: true, intervalHours: 168}, defender: {logAnalyticsWorkspaceResourceId: logsWorkspace.id, securityMonitoring: {enabled: true}}}',
  );
});

test('aks: Container insights with Entra ID authentication gets its data collection rule, associated with the cluster', () => {
  const aks = cluster(reference);
  const [rule, ...more] = ofType(reference, DCR_TYPE);
  assert.ok(rule, 'a data collection rule exists');
  assert.equal(more.length, 0, 'one rule for the one cluster');
  assert.equal(rule.body.kind, 'Linux');
  assert.equal(render(rule.name), 'take(`MSCI-${param(location)}-payments-aks`, 64)', 'the name az aks enable-addons gives it');
  const p = props(rule);
  assert.equal(
    render(p.dataSources),
    '{extensions: [{name: "ContainerInsightsExtension", extensionName: "ContainerInsights", streams: ["Microsoft-ContainerInsights-Group-Default"], extensionSettings: {dataCollectionSettings: {interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true}}}]}',
  );
  assert.equal(render(p.destinations), '{logAnalytics: [{name: "ciworkspace", workspaceResourceId: logsWorkspace.id}]}', 'to the workspace of the diagnostics edge');
  assert.equal(render(p.dataFlows), '[{streams: ["Microsoft-ContainerInsights-Group-Default"], destinations: ["ciworkspace"]}]');
  const [association, ...others] = ofType(reference, DCR_ASSOCIATION_TYPE);
  assert.ok(association && others.length === 0, 'one association');
  assert.equal(association.name, 'ContainerInsightsExtension', 'the association name the add-on reads');
  assert.equal(association.scope, aks, 'an extension resource of the cluster');
  assert.equal(render(props(association).dataCollectionRuleId), `${rule.symbol}.id`);
  assert.ok(!reference.notes.some((n) => n.includes('enable-addons')), 'no manual step is left in the README');
});

test('aks: a cluster without a workspace has no Container insights and no data collection rule', () => {
  const built = build(mutateReference((doc) => {
    const edges = doc.get('edges') as { items: Array<{ toJSON(): { from: string; to: string; type: string } }> };
    const i = edges.items.findIndex((e) => { const j = e.toJSON(); return j.from === 'aks' && j.to === 'logs' && j.type === 'diagnostics'; });
    assert.ok(i >= 0, 'the reference has the aks -> logs diagnostics edge');
    doc.deleteIn(['edges', i]);
  }));
  assert.equal((props(cluster(built)).addonProfiles as Record<string, unknown>).omsagent, undefined);
  assert.equal(ofType(built, DCR_TYPE).length, 0);
  assert.equal(ofType(built, DCR_ASSOCIATION_TYPE).length, 0);
});

test('aks: design switches turn features off', () => {
  const built = build(
    mutateReference((doc) => {
      for (const [k, v] of [
        ['privateCluster', false],
        ['authorizedIpRanges', ['203.0.113.0/24']],
        ['localAccounts', true],
        ['azureRbac', false],
        ['keyVaultSecretsProvider', false],
        ['azurePolicy', false],
        ['autoUpgrade', 'patch'],
        ['networkPolicy', 'cilium'],
        ['nodeCount', 2],
        ['nodeVmSize', 'Standard_D8s_v5'],
        ['encryptionAtHost', false],
        ['workloadIdentity', false],
      ] as const) {
        setAt(doc, ['nodes', 'aks', 'properties', k], v);
      }
      setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'controller'], 'gatewayApi');
    }),
  );
  const p = props(cluster(built));
  assert.deepEqual(p.apiServerAccessProfile, { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'] });
  assert.equal(p.disableLocalAccounts, false);
  assert.equal((p.aadProfile as { enableAzureRBAC: boolean }).enableAzureRBAC, false);
  const addons = p.addonProfiles as Record<string, unknown>;
  assert.deepEqual(addons.azureKeyvaultSecretsProvider, { enabled: false });
  assert.deepEqual(addons.azurepolicy, { enabled: false });
  assert.deepEqual(p.autoUpgradeProfile, { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' });
  const net = p.networkProfile as Record<string, unknown>;
  assert.equal(net.networkPolicy, 'cilium');
  assert.equal(net.networkDataplane, 'cilium', 'the cilium policy engine needs the Cilium dataplane');
  const [pool] = p.agentPoolProfiles as Record<string, unknown>[];
  assert.equal(pool!.count, 2);
  assert.equal(pool!.vmSize, 'Standard_D8s_v5');
  assert.equal(pool!.enableEncryptionAtHost, false);
  assert.deepEqual(p.oidcIssuerProfile, { enabled: false });
  assert.deepEqual((p.securityProfile as { workloadIdentity: unknown }).workloadIdentity, { enabled: false });
  assert.equal(p.ingressProfile, undefined, 'no application routing add-on for the Gateway API controller');
});

test('aks: no Container insights or Defender sensor without a workspace; no sensor without the Containers plan', () => {
  const noWorkspace = build(mutateReference((doc) => deleteAt(doc, ['edges', 'aks-logs'])));
  const p = props(cluster(noWorkspace));
  assert.equal((p.addonProfiles as Record<string, unknown>).omsagent, undefined);
  assert.equal((p.securityProfile as Record<string, unknown>).defender, undefined);
  assert.ok(noWorkspace.notes.some((n) => n.includes('Defender for Containers protects AKS cluster "aks"')));

  const noPlan = build(mutateReference((doc) => setAt(doc, ['nodes', 'defender', 'properties', 'plans'], ['KeyVaults'])));
  assert.equal((props(cluster(noPlan)).securityProfile as Record<string, unknown>).defender, undefined);
});

test('aks: every cluster gets its own subnet, identity and grant', () => {
  const built = build(
    smallDesign(
      `- { id: blue, type: aksCluster }
       - { id: green, type: aksCluster }`,
      '',
    ),
  );
  const clusters = ofType(built, AKS_TYPE);
  assert.deepEqual(clusters.map((c) => c.name), ['shop-blue', 'shop-green']);
  const subnets = clusters.map((c) => render(((props(c).agentPoolProfiles as Record<string, unknown>[])[0]!.vnetSubnetID) as never));
  assert.equal(new Set(subnets).size, 2, `distinct subnets: ${subnets.join(', ')}`);
  const grants = ofType(built, ROLE_ASSIGNMENT_TYPE).filter((r) => guidArgs(r)[2] === ROLES.networkContributor.guid);
  assert.deepEqual(grants.map((g) => guidArgs(g).slice(0, 2)), [
    ['subnet/snet-aks-blue', 'blue/control-plane'],
    ['subnet/snet-aks-green', 'green/control-plane'],
  ]);
});
