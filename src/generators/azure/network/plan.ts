/**
 * Which subnets a design needs, with their names and sizes (https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure, https://learn.microsoft.com/azure/api-management/virtual-network-concepts; the same minimum
 * sizes as the validator's address-space rule, GW193, so that a design it accepts always allocates):
 *
 * | role      | for                                        | name                 | size                       |
 * |-----------|--------------------------------------------|----------------------|----------------------------|
 * | appgw     | every applicationGateway (one shared)      | snet-agw             | /24 (Microsoft recommends) |
 * | apim      | each apiManagement in a virtual network    | snet-apim[-<id>]     | /27                        |
 * | aks       | each aksCluster                            | snet-aks[-<id>]      | /23, up to /20 with room   |
 * | endpoints | any privateLink edge (one shared)          | snet-pep             | /27, up to /24 with room   |
 * | bastion   | any bastion node (one per network)         | AzureBastionSubnet   | /26 (the name is required) |
 *
 * Pure: reads the design through the rule context only.
 */
import type { NodeOf } from '../../../schemas/design.js';
import type { DesignIndex } from '../../../model/design-index.js';
import type { SubnetRole } from '../build.js';
import type { SubnetRequest } from './cidr.js';

export interface PlannedSubnet {
  /** Unique among the subnets: the role, or "<role>-<node id>" for subnets of one node. */
  readonly key: string;
  readonly role: SubnetRole;
  /** The node the subnet belongs to (API Management, AKS); undefined for shared subnets. */
  readonly nodeId: string | undefined;
  /** The Azure subnet name. */
  readonly name: string;
  readonly request: SubnetRequest;
}

/** API Management tiers injected in a subnet of their own (classic); the v2 tiers integrate through a delegated subnet. */
const V2_TIERS: ReadonlySet<string> = new Set(['BasicV2', 'StandardV2', 'PremiumV2']);

export function isV2Tier(sku: string): boolean {
  return V2_TIERS.has(sku);
}

/** Whether an API Management node lives in the virtual network. */
export function apimInNetwork(apim: NodeOf<'apiManagement'>): boolean {
  return apim.properties.virtualNetworkType !== 'None';
}

/** First node per id, in design order (a repeated id is a validation error; the first one is the node). */
export function uniqueNodes<T extends { id: string }>(nodes: readonly T[]): T[] {
  const seen = new Set<string>();
  return nodes.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
}

function perNode(role: 'apim' | 'aks', nodeId: string): { key: string; name: string } {
  const own = nodeId === role || nodeId.startsWith(`${role}-`);
  return { key: own ? nodeId : `${role}-${nodeId}`, name: own ? `snet-${nodeId}` : `snet-${role}-${nodeId}` };
}

export function planSubnets(ctx: DesignIndex): PlannedSubnet[] {
  const plan: PlannedSubnet[] = [];
  const add = (role: SubnetRole, nodeId: string | undefined, key: string, name: string, what: string, minPrefix: number, preferredPrefix = minPrefix) => {
    plan.push({ key, role, nodeId, name, request: { key, what, minPrefix, preferredPrefix } });
  };
  if (ctx.nodesOfType('applicationGateway').length) add('appgw', undefined, 'appgw', 'snet-agw', 'Application Gateway', 24);
  for (const apim of uniqueNodes(ctx.nodesOfType('apiManagement'))) {
    if (!apimInNetwork(apim)) continue;
    const { key, name } = perNode('apim', apim.id);
    add('apim', apim.id, key, name, `API Management "${apim.id}"`, 27);
  }
  for (const aks of uniqueNodes(ctx.nodesOfType('aksCluster'))) {
    const { key, name } = perNode('aks', aks.id);
    add('aks', aks.id, key, name, `AKS nodes of "${aks.id}"`, 23, 20);
  }
  if (ctx.edgesOfType('privateLink').length) add('endpoints', undefined, 'endpoints', 'snet-pep', 'private endpoints', 27, 24);
  if (ctx.nodesOfType('bastion').length) add('bastion', undefined, 'bastion', 'AzureBastionSubnet', 'AzureBastionSubnet', 26);
  // Keys and names are unique: shared subnets have fixed keys, per-node keys start with "apim" or "aks" and node ids are unique.
  return plan;
}
