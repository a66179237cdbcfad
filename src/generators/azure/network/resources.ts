/**
 * The virtual network, its subnets and their network security groups.
 *
 * - One Microsoft.Network/virtualNetworks per virtualNetwork node; the first one hosts every subnet (the design has
 *   at most one network, GW: "The design has at most one virtual network"). A design with private parts and no
 *   virtualNetwork node gets one with the default 10.0.0.0/16 (validation reports the missing node; generation
 *   still works).
 * - Subnets are child resources (virtualNetworks/subnets) and the network declares none inline: declaring both
 *   makes every deployment fight over the list. Since API version 2023-11-01 a network PUT without `subnets` keeps
 *   the existing ones (Azure/bicep-types-az#1687), so redeploying does not try to delete subnets in use. Network
 *   allows one subnet operation at a time on a network, so each subnet waits for the previous one (dependsOn).
 * - Sizes and placement: src/model/subnet-plan.ts and src/model/cidr.ts; rules: ./network/nsg-rules.ts.
 *
 * Registers b.vnet, b.subnets (the first subnet of each role) and, per node, the subnets of API Management
 * instances and AKS clusters (nodeSubnet()).
 */
import type { NodeOf } from '../../../schemas/design.js';
import { idOf, type ExprObject } from '../../ir/expr.js';
import type { Resource } from '../../ir/template.js';
import { derivedName } from '../../naming.js';
import type { AzureBuild, SubnetRole } from '../build.js';
import { allocateSubnets } from '../../../model/cidr.js';
import { DEFAULT_ADDRESS_SPACE, ingressAddresses } from './ingress-address.js';
import { aksRules, apimRules, appGatewayRules, bastionRules, ruleBody, type SecurityRule } from './nsg-rules.js';
import { apimInNetwork, isV2Tier, planSubnets, uniqueNodes, type PlannedSubnet } from '../../../model/subnet-plan.js';

export const NETWORK_API = '2025-05-01';
export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
export const NSG_TYPE = 'Microsoft.Network/networkSecurityGroups';
export { DEFAULT_ADDRESS_SPACE };

export interface BuiltSubnet extends PlannedSubnet {
  /** The allocated prefix, "10.0.16.0/24". */
  readonly prefix: string;
  readonly resource: Resource;
  readonly nsg: Resource;
}

export interface NetworkPlan {
  readonly vnet: Resource;
  readonly addressSpace: string;
  readonly subnets: readonly BuiltSubnet[];
}

const plans = new WeakMap<AzureBuild, NetworkPlan>();

/** The network the builder made (after buildNetwork), or undefined when the design needs none. */
export function networkPlan(b: AzureBuild): NetworkPlan | undefined {
  return plans.get(b);
}

/** The subnet of one node (an API Management instance or an AKS cluster). */
export function nodeSubnet(b: AzureBuild, nodeId: string): Resource | undefined {
  return plans.get(b)?.subnets.find((s) => s.nodeId === nodeId)?.resource;
}

/** The allocated prefix of the first subnet of a role. */
export function subnetPrefix(b: AzureBuild, role: SubnetRole): string | undefined {
  return plans.get(b)?.subnets.find((s) => s.role === role)?.prefix;
}

export function buildNetwork(b: AzureBuild): void {
  const networks = uniqueNodes(b.nodes('virtualNetwork'));
  const planned = planSubnets(b.index);
  if (networks.length === 0 && planned.length === 0) return;

  const host = networks[0];
  const addressSpace = host?.properties.addressSpace ?? DEFAULT_ADDRESS_SPACE;
  const hostName = host ? b.name(host) : derivedName(b.design.metadata.name, 'vnet', 'virtualNetwork');
  if (!host) {
    b.notes.push(
      `The design has no virtualNetwork node; the template creates the virtual network "${hostName}" with the address space ${DEFAULT_ADDRESS_SPACE} for ${planned.map((s) => s.request.what).join(', ')}. Add a virtualNetwork node to choose the address space.`,
    );
  }
  const allocations = allocateSubnets(addressSpace, planned.map((s) => s.request));
  const vnet = b.resource({
    symbol: host?.id ?? 'vnet',
    type: VNET_TYPE,
    apiVersion: NETWORK_API,
    name: hostName,
    description: `Virtual network${host ? ` "${host.id}"` : ''} (${addressSpace}); its subnets are child resources below.`,
    body: {
      ...b.placed(),
      properties: { addressSpace: { addressPrefixes: [addressSpace] } },
    },
  });
  b.vnet = vnet;
  if (host) b.setNodeResource(host, vnet);

  const subnets: BuiltSubnet[] = [];
  let previous: Resource | undefined;
  planned.forEach((s, i) => {
    const prefix = allocations[i]!.prefix;
    const nsg = b.resource({
      symbol: `nsg-${s.key}`,
      type: NSG_TYPE,
      apiVersion: NETWORK_API,
      name: nsgName(b, s),
      description: `Network security group of subnet ${s.name} (${prefix}).`,
      body: { ...b.placed(), properties: { securityRules: rulesFor(b, s, prefix, planned, allocations.map((a) => a.prefix)).map(ruleBody) } },
    });
    const subnet = b.resource({
      symbol: `subnet-${s.key}`,
      type: SUBNET_TYPE,
      apiVersion: NETWORK_API,
      parent: vnet,
      name: s.name,
      description: `${describe(s)}: ${prefix}.`,
      body: { properties: { addressPrefix: prefix, networkSecurityGroup: { id: idOf(nsg) }, ...subnetExtras(b, s) } },
      // One subnet operation at a time on a virtual network.
      ...(previous ? { dependsOn: [previous] } : {}),
    });
    previous = subnet;
    subnets.push({ ...s, prefix, resource: subnet, nsg });
    if (!b.subnets.has(s.role)) b.subnets.set(s.role, subnet);
  });
  plans.set(b, { vnet, addressSpace, subnets });
  if (planned.length > 0) {
    b.notes.push(
      `Subnets of "${hostName}" (${addressSpace}), allocated largest first: ${subnets.map((s) => `${s.name} ${s.prefix}`).join(', ')}. They follow from the design: adding or removing a component can move them, and Azure cannot move a subnet in use; review the subnet prefixes in the template before redeploying after such a change.`,
    );
  }

  for (const extra of networks.slice(1)) {
    const r = b.resource({
      symbol: extra.id,
      type: VNET_TYPE,
      apiVersion: NETWORK_API,
      name: b.name(extra),
      description: `Virtual network "${extra.id}" (${extra.properties.addressSpace}); the subnets of the design are in "${hostName}".`,
      body: { ...b.placed(), properties: { addressSpace: { addressPrefixes: [extra.properties.addressSpace] } } },
    });
    b.setNodeResource(extra, r);
    b.notes.push(`Virtual network "${extra.id}" is created empty: every subnet of the design is in "${hostName}", the design's first virtual network.`);
  }
}

function nsgName(b: AzureBuild, s: PlannedSubnet): string {
  const suffix = s.role === 'bastion' ? 'bastion' : s.name.replace(/^snet-/, '');
  return `${b.design.metadata.name}-nsg-${suffix}`;
}

function describe(s: PlannedSubnet): string {
  switch (s.role) {
    case 'appgw':
      return 'Dedicated subnet of Application Gateway v2';
    case 'apim':
      return `Subnet of API Management "${s.nodeId}"`;
    case 'aks':
      return `Node subnet of AKS cluster "${s.nodeId}"`;
    case 'endpoints':
      return 'Subnet of the private endpoints (network policies on: NSGs and route tables apply)';
    case 'bastion':
      return 'AzureBastionSubnet (the name Azure Bastion requires)';
    default:
      return `Subnet ${s.name}`;
  }
}

function apimNode(b: AzureBuild, s: PlannedSubnet): NodeOf<'apiManagement'> | undefined {
  const node = s.nodeId ? b.index.nodes.get(s.nodeId) : undefined;
  return node?.type === 'apiManagement' ? node : undefined;
}

function subnetExtras(b: AzureBuild, s: PlannedSubnet): ExprObject {
  switch (s.role) {
    case 'apim': {
      const apim = apimNode(b, s);
      if (apim && isV2Tier(apim.properties.sku)) {
        // v2 tiers: outbound integration through a subnet delegated to Microsoft.Web/serverFarms; Premium v2 injection
        // through one delegated to Microsoft.Web/hostingEnvironments (learn.microsoft.com/azure/api-management/inject-vnet-v2).
        const service = apim.properties.sku === 'PremiumV2' && apim.properties.virtualNetworkType === 'Internal' ? 'Microsoft.Web/hostingEnvironments' : 'Microsoft.Web/serverFarms';
        return { delegations: [{ name: service, properties: { serviceName: service } }] };
      }
      // API Management reads its certificates from Key Vault through the subnet's service endpoint (azure-facts §1.1).
      return { serviceEndpoints: [{ service: 'Microsoft.KeyVault' }] };
    }
    case 'endpoints':
      return { privateEndpointNetworkPolicies: 'Enabled' };
    default:
      return {};
  }
}

function rulesFor(b: AzureBuild, s: PlannedSubnet, prefix: string, planned: readonly PlannedSubnet[], prefixes: readonly string[]): SecurityRule[] {
  switch (s.role) {
    case 'appgw':
      return appGatewayRules();
    case 'apim': {
      const apim = apimNode(b, s);
      if (!apim || !apimInNetwork(apim) || isV2Tier(apim.properties.sku)) return [];
      const gatewayIndex = planned.findIndex((p) => p.role === 'appgw');
      return apimRules({
        apimPrefix: prefix,
        gatewayPrefix: gatewayIndex >= 0 ? prefixes[gatewayIndex] : undefined,
        external: apim.properties.virtualNetworkType === 'External',
      });
    }
    case 'bastion': {
      // az aks bastion tunnels to a private cluster's API server on 443.
      const toClusters = b.nodes('bastion').some((n) => b.index.outgoing(n.id, 'remoteAccess').some((e) => e.to?.type === 'aksCluster'));
      return bastionRules(toClusters ? ['22', '3389', '443'] : ['22', '3389']);
    }
    case 'aks': {
      // Only the API Management instances that call this cluster (mtls or https edges) reach its ingress.
      const address = s.nodeId ? ingressAddresses(b.index).get(s.nodeId) : undefined;
      const callers = s.nodeId
        ? b.index
            .incoming(s.nodeId)
            .filter((e) => (e.edge.type === 'mtls' || e.edge.type === 'https') && e.from?.type === 'apiManagement')
            .flatMap((e) => {
              const i = planned.findIndex((p) => p.role === 'apim' && p.nodeId === e.edge.from);
              return i >= 0 ? [{ name: `"${e.edge.from}"`, prefix: prefixes[i]! }] : [];
            })
        : [];
      const unique = callers.filter((c, i) => callers.findIndex((x) => x.prefix === c.prefix) === i);
      return address && unique.length ? aksRules({ aksPrefix: prefix, ingressAddress: address, callers: unique }) : [];
    }
    default:
      return [];
  }
}
