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
 * The one plan of the subnets: the Azure generators (src/generators/azure/network/) create exactly these subnets, and
 * the canvas draws exactly these subnets as containers around the nodes that sit in them (src/webview/containers/).
 *
 * Pure: reads the design through the design index only.
 */
import type { NodeOf } from '../schemas/design.js';
import { allocateSubnets, type Cidr, type SubnetRequest } from './cidr.js';
import type { DesignIndex } from './design-index.js';

/** The subnets the architecture needs, one per role. */
export type SubnetRole = 'appgw' | 'apim' | 'aks' | 'endpoints' | 'bastion' | 'jumpbox';

/** The address space the network builder uses when the design has no virtualNetwork node. */
export const DEFAULT_ADDRESS_SPACE = '10.0.0.0/16';

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

/** The address space of the design's network: its first virtualNetwork node's, else the default. */
export function designAddressSpace(ctx: DesignIndex): string {
  return uniqueNodes(ctx.nodesOfType('virtualNetwork'))[0]?.properties.addressSpace ?? DEFAULT_ADDRESS_SPACE;
}

export interface AllocatedSubnet extends PlannedSubnet {
  /** "10.0.16.0/24"; undefined when the address space is too small for the plan (the generators report that). */
  readonly prefix: string | undefined;
  readonly cidr: Cidr | undefined;
}

/** The plan with the prefixes the network builder allocates (the same allocation, `allocateSubnets`). */
export function allocatedSubnets(ctx: DesignIndex): { addressSpace: string; subnets: AllocatedSubnet[] } {
  const planned = planSubnets(ctx);
  const addressSpace = designAddressSpace(ctx);
  let allocations: ReturnType<typeof allocateSubnets> | undefined;
  try {
    allocations = allocateSubnets(addressSpace, planned.map((s) => s.request));
  } catch {
    allocations = undefined;
  }
  return { addressSpace, subnets: planned.map((s, i) => ({ ...s, prefix: allocations?.[i]?.prefix, cidr: allocations?.[i]?.cidr })) };
}
