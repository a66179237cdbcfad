/**
 * Private Link: for each service a privateLink edge reaches, a private endpoint in the endpoints subnet, the
 * service's privatelink.* Private DNS zone linked to the virtual network, and the endpoint's DNS zone group (which
 * writes the A records).
 *
 * Facts (https://learn.microsoft.com/azure/private-link/private-endpoint-dns; azure-docs private-link/private-endpoint-dns):
 * - groupIds: SQL server 'sqlServer', Cosmos DB NoSQL 'Sql' (this casing), Key Vault 'vault', Container Registry
 *   'registry' (its zone group also registers the registry's regional data endpoint).
 * - Zones: privatelink.database.windows.net and privatelink.azurecr.io are built from the cloud's own suffixes
 *   (environment().suffixes.sqlServerHostname and acrLoginServer; Bicep's no-hardcoded-env-urls), so the template
 *   also fits sovereign clouds; privatelink.vaultcore.azure.net (Key Vault's keyvaultDns suffix is .vault.azure.net,
 *   a different name) and privatelink.documents.azure.com (no environment() suffix exists for Cosmos DB) are
 *   literal.
 * - One zone per service type for the whole design (several endpoints of one type share it, and records of two
 *   services never share a zone), location 'global', linked to the virtual network with registration off.
 * - Several privateLink edges to one service (from several clusters) share one endpoint: a service needs one
 *   endpoint per network, and the design has one network.
 * API versions: Network 2025-05-01 (private endpoints and zone groups, AVM-tested), Private DNS 2024-06-01 (the one
 * version with both a saved ARM schema and saved Bicep types; AVM's zones use 2020-06-01, its links 2024-06-01).
 */
import type { DesignNode } from '../../schemas/design.js';
import { envSuffix, idOf, interp, type Expr } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';
import { NETWORK_API } from './network/resources.js';

export const PRIVATE_ENDPOINT_TYPE = 'Microsoft.Network/privateEndpoints';
export const ZONE_GROUP_TYPE = 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups';
export const PRIVATE_DNS_ZONE_TYPE = 'Microsoft.Network/privateDnsZones';
export const VNET_LINK_TYPE = 'Microsoft.Network/privateDnsZones/virtualNetworkLinks';
export const PRIVATE_DNS_API = '2024-06-01';

export type LinkedType = 'sqlDatabase' | 'cosmosDb' | 'keyVault' | 'containerRegistry';

interface LinkedService {
  readonly groupId: string;
  /** The zone name as the template writes it. */
  readonly zone: () => Expr;
  /** The zone name in the public cloud, for comments and notes. */
  readonly zoneText: string;
  readonly what: string;
}

export const LINKED_SERVICES: Readonly<Record<LinkedType, LinkedService>> = {
  sqlDatabase: {
    groupId: 'sqlServer',
    zone: () => interp('privatelink', envSuffix('sqlServerHostname')),
    zoneText: 'privatelink.database.windows.net',
    what: 'SQL server',
  },
  cosmosDb: { groupId: 'Sql', zone: () => 'privatelink.documents.azure.com', zoneText: 'privatelink.documents.azure.com', what: 'Cosmos DB account' },
  keyVault: { groupId: 'vault', zone: () => 'privatelink.vaultcore.azure.net', zoneText: 'privatelink.vaultcore.azure.net', what: 'Key Vault' },
  containerRegistry: {
    groupId: 'registry',
    zone: () => interp('privatelink', envSuffix('acrLoginServer')),
    zoneText: 'privatelink.azurecr.io',
    what: 'Container Registry',
  },
};

function isLinked(node: DesignNode | undefined): node is Extract<DesignNode, { type: LinkedType }> {
  return !!node && node.type in LINKED_SERVICES;
}

/** A resource name of at most `max` characters ending with a letter, digit or underscore (private endpoint and NIC names). */
function fit(name: string, max: number): string {
  return name.slice(0, max).replace(/[-.]+$/, '');
}

/** The private endpoint of each linked node, per build. */
const endpoints = new WeakMap<AzureBuild, Map<string, Resource>>();

/** The private endpoint of a node (after buildPrivateLinks), if a privateLink edge reaches it. */
export function privateEndpointOf(b: AzureBuild, nodeId: string): Resource | undefined {
  return endpoints.get(b)?.get(nodeId);
}

export function buildPrivateLinks(b: AzureBuild): void {
  const targets: Extract<DesignNode, { type: LinkedType }>[] = [];
  const seen = new Set<string>();
  for (const e of b.index.edgesOfType('privateLink')) {
    if (!isLinked(e.to) || seen.has(e.to.id)) continue;
    seen.add(e.to.id);
    targets.push(e.to);
  }
  if (!targets.length) return;
  const vnet = b.vnet;
  if (!vnet) throw new Error('private links: no virtual network (the network builder creates one whenever a privateLink edge exists)');
  const vnetName = typeof vnet.name === 'string' ? vnet.name : 'vnet';
  const subnet = b.subnet('endpoints');
  const zones = new Map<LinkedType, Resource>();
  const byNode = new Map<string, Resource>();
  endpoints.set(b, byNode);

  for (const target of targets) {
    const service = LINKED_SERVICES[target.type];
    let zone = zones.get(target.type);
    if (!zone) {
      zone = b.resource({
        symbol: `${service.zoneText}-zone`,
        type: PRIVATE_DNS_ZONE_TYPE,
        apiVersion: PRIVATE_DNS_API,
        name: service.zone(),
        description: `Private DNS zone ${service.zoneText}: the private addresses of the ${service.what} endpoints.`,
        body: { location: 'global', tags: b.placed().tags, properties: {} },
      });
      b.resource({
        symbol: `${service.zoneText}-link`,
        type: VNET_LINK_TYPE,
        apiVersion: PRIVATE_DNS_API,
        parent: zone,
        name: `${vnetName}-link`,
        description: `Resolves ${service.zoneText} in virtual network ${vnetName} (no auto-registration).`,
        body: { location: 'global', tags: b.placed().tags, properties: { virtualNetwork: { id: idOf(vnet) }, registrationEnabled: false } },
      });
      zones.set(target.type, zone);
    }
    const resource = b.nodeResources.get(target.id);
    if (!resource) throw new Error(`private links: ${service.what} "${target.id}" has no resource; the data builder must register it`);
    const name = fit(`pe-${b.baseName(target)}`, 64);
    const endpoint = b.resource({
      symbol: `${target.id}-private-endpoint`,
      type: PRIVATE_ENDPOINT_TYPE,
      apiVersion: NETWORK_API,
      name,
      description: `Private endpoint of ${service.what} "${target.id}" (group ${service.groupId}) in the private endpoint subnet.`,
      body: {
        ...b.placed(),
        properties: {
          subnet: { id: idOf(subnet) },
          customNetworkInterfaceName: fit(`${name}-nic`, 80),
          privateLinkServiceConnections: [{ name, properties: { privateLinkServiceId: idOf(resource), groupIds: [service.groupId] } }],
        },
      },
    });
    byNode.set(target.id, endpoint);
    b.resource({
      symbol: `${target.id}-private-dns`,
      type: ZONE_GROUP_TYPE,
      apiVersion: NETWORK_API,
      parent: endpoint,
      name: 'default',
      description: `Writes the A record${target.type === 'containerRegistry' ? 's (registry and data endpoint)' : ''} of "${target.id}" in ${service.zoneText}.`,
      body: {
        properties: {
          privateDnsZoneConfigs: [{ name: service.zoneText.replace(/\./g, '-'), properties: { privateDnsZoneId: idOf(zone) } }],
        },
      },
    });
  }
}
