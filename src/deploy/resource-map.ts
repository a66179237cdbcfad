/**
 * Which design node an Azure resource of the generated deployment comes from, read from its resource id alone, so
 * that what-if changes and deployment operations (which name resources, not nodes) can be drawn on the canvas.
 * The generators name resources through src/model/naming.ts (a node's `name`, or `<metadata.name>-<id>`) plus a few
 * fixed patterns for what they create around a node; this module knows those patterns:
 *
 * - a node's main resource and its children: the node's resource name under the node type's resource type
 *   (payments-apim, payments-apim/orders/get, payments-sql/sql, payments-vnet/snet-aks...);
 * - public IPs `<name>-pip` (Application Gateway, API Management, Bastion); the gateway's identity `<name>-id` and WAF
 *   policy `<name>-waf`; the cluster's control-plane identity `<name>-identity`; API Management's second step, the
 *   nested deployment `<name>-custom-domain`;
 * - private endpoints `pe-<name>` (and their NICs) of the Private Link targets; the privatelink.* DNS zone of a service
 *   type (to the first node of that type); the private zones and A records of host names (to the node serving the host);
 * - network security groups `<design>-nsg-<subnet>` (the virtual network node, which owns the subnets);
 * - Defender plans (Microsoft.Security/*) and the nested deployment `<design>-defender-plans` (the Defender node);
 *   Sentinel's solution `SecurityInsights(<workspace>)`, onboarding state and the nested deployment
 *   `<design>-activity-log-<workspace id>` (the Sentinel node); Container insights' rule `MSCI-<region>-<cluster>`;
 * - the workspace made for an Application Insights node without one, `<design>-log-<id>`;
 * - extension resources (role assignments, diagnostic settings): the node of the resource they apply to.
 *
 * A derived globally unique name (Key Vault, Container Registry, API Management, SQL server, Cosmos DB account) is its
 * readable prefix followed by uniqueString(resourceGroup().id): it is matched by that prefix and a 13-character suffix,
 * and the resources named after such a node use its readable name (`pe-payments-kv`, `payments-apim-pip`).
 *
 * Pure.
 */
import { derivedResourceName, readableName, resourceName, UNIQUE_SUFFIX_LENGTH } from '../model/naming.js';
import type { Design, DesignNode, NodeType } from '../schemas/design.js';

/** The resource type of each node type's main resource. */
export const NODE_RESOURCE_TYPES: Partial<Record<NodeType, string>> = {
  applicationGateway: 'Microsoft.Network/applicationGateways',
  apiManagement: 'Microsoft.ApiManagement/service',
  aksCluster: 'Microsoft.ContainerService/managedClusters',
  containerRegistry: 'Microsoft.ContainerRegistry/registries',
  managedIdentity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  sqlDatabase: 'Microsoft.Sql/servers',
  cosmosDb: 'Microsoft.DocumentDB/databaseAccounts',
  keyVault: 'Microsoft.KeyVault/vaults',
  logAnalytics: 'Microsoft.OperationalInsights/workspaces',
  applicationInsights: 'Microsoft.Insights/components',
  bastion: 'Microsoft.Network/bastionHosts',
  virtualNetwork: 'Microsoft.Network/virtualNetworks',
};

/** A resource id taken apart. Types and namespaces keep their case; compare them case-insensitively. */
export interface ResourceIdParts {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** e.g. Microsoft.Network/virtualNetworks/subnets */
  readonly type: string;
  /** The name segments, one per type segment after the namespace: ['payments-vnet', 'snet-aks']. */
  readonly names: readonly string[];
  /** For an extension resource (…/providers/X/y/z/providers/A/b/c): the id of the resource it applies to. */
  readonly scope?: string;
}

/** Parses /subscriptions/{s}[/resourceGroups/{rg}]/providers/{ns}/{type}/{name}[/{type}/{name}…][/providers/…]. */
export function parseResourceId(id: string): ResourceIdParts | undefined {
  const segments = id.split('/').filter((s) => s.length > 0);
  let i = 0;
  let subscriptionId: string | undefined;
  let resourceGroup: string | undefined;
  if (segments[i]?.toLowerCase() === 'subscriptions' && segments[i + 1]) {
    subscriptionId = segments[i + 1];
    i += 2;
    if (segments[i]?.toLowerCase() === 'resourcegroups' && segments[i + 1]) {
      resourceGroup = segments[i + 1];
      i += 2;
    }
  }
  let providers = -1;
  for (let j = i; j < segments.length; j++) if (segments[j]!.toLowerCase() === 'providers') providers = j;
  if (providers < 0) {
    if (resourceGroup !== undefined && i === segments.length) return { subscriptionId, resourceGroup, type: 'Microsoft.Resources/resourceGroups', names: [resourceGroup] };
    return undefined;
  }
  const namespace = segments[providers + 1];
  const rest = segments.slice(providers + 2);
  if (!namespace || rest.length < 2 || rest.length % 2 !== 0) return undefined;
  const types = rest.filter((_, k) => k % 2 === 0);
  const names = rest.filter((_, k) => k % 2 === 1);
  const scopeSegments = segments.slice(0, providers);
  const hasResourceScope = scopeSegments.slice(i).some((s) => s.toLowerCase() === 'providers');
  return {
    ...(subscriptionId !== undefined ? { subscriptionId } : {}),
    ...(resourceGroup !== undefined ? { resourceGroup } : {}),
    type: [namespace, ...types].join('/'),
    names,
    ...(hasResourceScope ? { scope: `/${scopeSegments.join('/')}` } : {}),
  };
}

/** The id of the design node a resource comes from, or undefined when it comes from none (or from a design edited since). */
export function nodeOfResource(design: Design, resourceId: string): string | undefined {
  const parts = parseResourceId(resourceId);
  return parts ? nodeOfParts(indexOf(design), parts, 0) : undefined;
}

/** The resource type with its name segments, e.g. ("Microsoft.Network/virtualNetworks/subnets", "payments-vnet/snet-aks"): the same lookup without a full id. */
export function nodeOfTypedName(design: Design, type: string, name: string): string | undefined {
  return nodeOfParts(indexOf(design), { type, names: name.split('/') }, 0);
}

// ---------------------------------------------------------------- the index of one design

interface Index {
  readonly designName: string;
  /** `<lower type>|<lower name>` of the top-level resource -> node id. */
  readonly byName: Map<string, string>;
  /** Derived globally unique names: `<lower type>`, the readable prefix (lower case) and the node id. */
  readonly byUniquePrefix: readonly (readonly [string, string, string])[];
  /** privatelink.* zone prefix -> node id (first node of the service type). */
  readonly privateLinkZones: readonly (readonly [string, string])[];
  /** Host names (lower case) -> the node serving them. */
  readonly hosts: Map<string, string>;
  /** API Management nodes' host names, for the zones its builder makes. */
  readonly apimHosts: readonly (readonly [string, string])[];
  readonly vnet?: string;
  readonly defender?: string;
  readonly sentinel?: string;
}

const indexes = new WeakMap<Design, Index>();

function indexOf(design: Design): Index {
  const known = indexes.get(design);
  if (known) return known;
  const designName = design.metadata.name;
  const byName = new Map<string, string>();
  const byUniquePrefix: [string, string, string][] = [];
  const add = (type: string, name: string, nodeId: string) => {
    const key = `${type.toLowerCase()}|${name.toLowerCase()}`;
    if (!byName.has(key)) byName.set(key, nodeId);
  };
  const firstOf = (type: NodeType) => design.nodes.find((n) => n.type === type)?.id;
  const hosts = new Map<string, string>();
  const apimHosts: [string, string][] = [];
  const zoneOwner = new Map<string, string>();

  for (const node of design.nodes) {
    const type = NODE_RESOURCE_TYPES[node.type];
    const named = resourceName(designName, node);
    const name = readableName(designName, node);
    if (type && named.uniquePrefix !== undefined) byUniquePrefix.push([type.toLowerCase(), named.uniquePrefix.toLowerCase(), node.id]);
    else if (type) add(type, name, node.id);
    for (const [t, n] of derivedResources(designName, design.metadata.location, node, name)) add(t, n, node.id);
    for (const host of hostsOf(node)) {
      if (!hosts.has(host)) hosts.set(host, node.id);
      if (node.type === 'apiManagement') apimHosts.push([host, node.id]);
    }
    const zone = PRIVATE_LINK_ZONES[node.type];
    if (zone && !zoneOwner.has(zone)) zoneOwner.set(zone, node.id);
  }
  const sentinel = firstOf('sentinel');
  if (sentinel) {
    // Sentinel's solution is named after the workspace it is onboarded on (siem edges).
    for (const e of design.edges) {
      if (e.type !== 'siem' || e.from !== sentinel) continue;
      const ws = design.nodes.find((n) => n.id === e.to);
      if (ws) add('Microsoft.OperationsManagement/solutions', `SecurityInsights(${resourceName(designName, ws).name})`, sentinel);
      // The subscription's activity log into that workspace (src/generators/azure/sentinel-connectors.ts).
      if (ws) add('Microsoft.Resources/deployments', `${designName}-activity-log-${ws.id}`.slice(0, 64), sentinel);
      if (ws) add('Microsoft.Insights/diagnosticSettings', `${designName}-activity-${ws.id}`, sentinel);
    }
  }
  const defender = firstOf('defenderForCloud');
  if (defender) add('Microsoft.Resources/deployments', `${designName}-defender-plans`, defender);
  const index: Index = {
    designName,
    byName,
    byUniquePrefix,
    privateLinkZones: [...zoneOwner],
    hosts,
    apimHosts,
    ...(firstOf('virtualNetwork') ? { vnet: firstOf('virtualNetwork')! } : {}),
    ...(defender ? { defender } : {}),
    ...(sentinel ? { sentinel } : {}),
  };
  indexes.set(design, index);
  return index;
}

/** The resources a builder names after a node, besides its main one. */
function derivedResources(designName: string, location: string, node: DesignNode, name: string): [string, string][] {
  const out: [string, string][] = [];
  switch (node.type) {
    case 'applicationGateway':
      out.push(['Microsoft.Network/publicIPAddresses', `${name}-pip`]);
      out.push(['Microsoft.ManagedIdentity/userAssignedIdentities', `${name}-id`]);
      out.push(['Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', `${name}-waf`]);
      break;
    case 'apiManagement':
      out.push(['Microsoft.Network/publicIPAddresses', `${name}-pip`]);
      out.push(['Microsoft.Resources/deployments', `${name}-custom-domain`.slice(0, 64)]);
      break;
    case 'bastion':
      out.push(['Microsoft.Network/publicIPAddresses', `${name}-pip`]);
      break;
    case 'aksCluster':
      out.push(['Microsoft.ManagedIdentity/userAssignedIdentities', `${name}-identity`]);
      // Container insights' data collection rule, MSCI-<region>-<cluster> (src/generators/azure/container-insights.ts).
      out.push(['Microsoft.Insights/dataCollectionRules', `MSCI-${location}-${name}`.slice(0, 64)]);
      break;
    case 'applicationInsights':
      out.push(['Microsoft.OperationalInsights/workspaces', derivedResourceName(designName, { id: `log-${node.id}`, type: 'logAnalytics' })]);
      break;
    default:
      break;
  }
  if (node.type in PRIVATE_LINK_ZONES) {
    const endpoint = fit(`pe-${name}`, 64);
    out.push(['Microsoft.Network/privateEndpoints', endpoint]);
    out.push(['Microsoft.Network/networkInterfaces', fit(`${endpoint}-nic`, 80)]);
  }
  return out;
}

/** The start of the privatelink zone of each Private Link target type (the rest is the cloud's suffix). */
const PRIVATE_LINK_ZONES: Partial<Record<NodeType, string>> = {
  keyVault: 'privatelink.vaultcore.',
  cosmosDb: 'privatelink.documents.',
  sqlDatabase: 'privatelink.database.',
  containerRegistry: 'privatelink.azurecr.',
};

function hostsOf(node: DesignNode): string[] {
  switch (node.type) {
    case 'apiManagement':
    case 'applicationGateway':
      return node.properties.hostName ? [node.properties.hostName.toLowerCase()] : [];
    case 'aksCluster':
      return node.properties.ingress.hostName ? [node.properties.ingress.hostName.toLowerCase()] : [];
    default:
      return [];
  }
}

/** Private endpoint and NIC names: cut to the limit, not ending with a hyphen or period (as src/generators/azure/private-link.ts). */
function fit(name: string, max: number): string {
  return name.slice(0, max).replace(/[-.]+$/, '');
}

// ---------------------------------------------------------------- lookup

function nodeOfParts(index: Index, parts: Pick<ResourceIdParts, 'type' | 'names' | 'scope'>, depth: number): string | undefined {
  const type = parts.type.toLowerCase();
  const namespace = type.split('/')[0]!;
  if (parts.scope && depth < 4) {
    if (namespace === 'microsoft.securityinsights') return index.sentinel;
    const scope = parseResourceId(parts.scope);
    return scope ? nodeOfParts(index, scope, depth + 1) : undefined;
  }
  if (namespace === 'microsoft.security') return index.defender;
  const topType = type.split('/').slice(0, 2).join('/');
  const top = parts.names[0];
  if (top === undefined) return undefined;
  const direct = index.byName.get(`${topType}|${top.toLowerCase()}`);
  if (direct) return direct;
  const lower = top.toLowerCase();
  for (const [t, prefix, nodeId] of index.byUniquePrefix) {
    if (t === topType && lower.length === prefix.length + UNIQUE_SUFFIX_LENGTH && lower.startsWith(prefix) && UNIQUE_SUFFIX.test(lower.slice(prefix.length))) return nodeId;
  }
  switch (topType) {
    case 'microsoft.network/networksecuritygroups':
      return top.toLowerCase().startsWith(`${index.designName}-nsg-`.toLowerCase()) ? index.vnet : undefined;
    case 'microsoft.network/privatednszones':
      return zoneNode(index, top.toLowerCase(), parts.names, type);
    default:
      return undefined;
  }
}

/** What uniqueString() gives: 13 characters of the lower-case base32 alphabet. */
const UNIQUE_SUFFIX = /^[a-z2-7]{13}$/;

function zoneNode(index: Index, zone: string, names: readonly string[], type: string): string | undefined {
  for (const [prefix, nodeId] of index.privateLinkZones) if (zone.startsWith(prefix)) return nodeId;
  // An A record names its host: the node serving it.
  if (type === 'microsoft.network/privatednszones/a' && names[1]) {
    const record = names[1].toLowerCase();
    const host = record === '@' ? zone : `${record}.${zone}`;
    const owner = index.hosts.get(host);
    if (owner) return owner;
  }
  // The zone itself (and its links): API Management's builder makes it for its host names.
  const inZone = (host: string) => host === zone || host.endsWith(`.${zone}`);
  for (const [host, nodeId] of index.apimHosts) if (inZone(host)) return nodeId;
  for (const [host, nodeId] of index.hosts) if (inZone(host)) return nodeId;
  return undefined;
}
