/**
 * What the canvas says about each node and edge type: titles, palette descriptions, the id a new node
 * gets, and how an edge is drawn. Pure data.
 */
import { NODE_TYPES, type EdgeType, type NodeType } from '../schemas/design.js';

export interface NodeTypeInfo {
  readonly title: string;
  readonly description: string;
  /** The id of the first node of this type (`apim`, then `apim-2`, ...). */
  readonly idBase: string;
  /** Extra words the palette search matches. */
  readonly keywords: string;
}

export const NODE_CATALOG: Readonly<Record<NodeType, NodeTypeInfo>> = {
  internet: {
    title: 'Internet',
    description: 'API consumers on the public internet: the untrusted zone traffic comes from.',
    idBase: 'internet',
    keywords: 'clients consumers public users',
  },
  applicationGateway: {
    title: 'Application Gateway',
    description: 'Public entry point with a Web Application Firewall (WAF_v2) that terminates and re-encrypts TLS.',
    idBase: 'appgw',
    keywords: 'waf firewall ingress load balancer listener public',
  },
  apiManagement: {
    title: 'API Management',
    description: 'API gateway in an internal virtual network: validates tokens and calls the backend over mutual TLS.',
    idBase: 'apim',
    keywords: 'apim gateway apis policies',
  },
  aksCluster: {
    title: 'AKS cluster',
    description: 'Private Kubernetes cluster whose ingress verifies the client certificate of API Management.',
    idBase: 'aks',
    keywords: 'kubernetes k8s ingress nginx services containers',
  },
  containerRegistry: {
    title: 'Container Registry',
    description: 'Private registry the cluster pulls its images from.',
    idBase: 'acr',
    keywords: 'acr images docker',
  },
  entraId: {
    title: 'Microsoft Entra ID',
    description: 'Identity provider whose tokens API Management validates (audience, issuer).',
    idBase: 'entra',
    keywords: 'aad azure ad oauth jwt tokens identity',
  },
  managedIdentity: {
    title: 'Managed identity',
    description: 'User-assigned identity a workload uses to reach data services without secrets.',
    idBase: 'identity',
    keywords: 'workload identity msi rbac',
  },
  sqlDatabase: {
    title: 'SQL Database',
    description: 'Azure SQL reached over Private Link, with Entra-only authentication.',
    idBase: 'sql',
    keywords: 'database sql server data',
  },
  cosmosDb: {
    title: 'Cosmos DB',
    description: 'Cosmos DB account reached over Private Link, without account keys.',
    idBase: 'cosmos',
    keywords: 'database nosql data documents',
  },
  keyVault: {
    title: 'Key Vault',
    description: 'Holds the certificates and secrets; reached over Private Link with RBAC.',
    idBase: 'kv',
    keywords: 'secrets certificates keys vault',
  },
  logAnalytics: {
    title: 'Log Analytics',
    description: 'Workspace that receives every diagnostic log.',
    idBase: 'logs',
    keywords: 'logs monitor diagnostics workspace',
  },
  applicationInsights: {
    title: 'Application Insights',
    description: 'Traces and metrics of API Management and the workloads.',
    idBase: 'appinsights',
    keywords: 'telemetry traces apm monitor',
  },
  defenderForCloud: {
    title: 'Defender for Cloud',
    description: 'Threat protection plans for the resources it protects.',
    idBase: 'defender',
    keywords: 'security posture threat protection',
  },
  sentinel: {
    title: 'Microsoft Sentinel',
    description: 'SIEM on top of the Log Analytics workspace.',
    idBase: 'sentinel',
    keywords: 'siem soc security analytics',
  },
  bastion: {
    title: 'Bastion',
    description: 'Administrative access to the private cluster without public IPs.',
    idBase: 'bastion',
    keywords: 'jump host ssh rdp admin remote',
  },
  virtualNetwork: {
    title: 'Virtual network',
    description: 'The private network: subnets for the gateway, API Management, the cluster and private endpoints.',
    idBase: 'vnet',
    keywords: 'vnet network subnets private endpoints',
  },
};

/** How an edge type is drawn: its React Flow edge component and a short label. */
export type EdgeFamily = 'tls' | 'privateLink' | 'control' | 'plain';

export interface EdgeTypeInfo {
  readonly title: string;
  readonly family: EdgeFamily;
  /** Control-plane edges are drawn dashed. */
  readonly dashed: boolean;
  readonly description: string;
}

export const EDGE_CATALOG: Readonly<Record<EdgeType, EdgeTypeInfo>> = {
  https: { title: 'HTTPS', family: 'tls', dashed: false, description: 'TLS: the caller validates the callee’s server certificate.' },
  mtls: { title: 'mTLS', family: 'tls', dashed: false, description: 'Mutual TLS: the caller also presents a client certificate.' },
  privateLink: { title: 'Private Link', family: 'privateLink', dashed: false, description: 'Private endpoint in the virtual network, resolved by a privatelink DNS zone.' },
  tokenValidation: { title: 'Token validation', family: 'plain', dashed: false, description: 'API Management validates Entra ID tokens.' },
  imagePull: { title: 'Image pull', family: 'plain', dashed: false, description: 'The cluster pulls images with its kubelet identity.' },
  secrets: { title: 'Secrets', family: 'control', dashed: true, description: 'Reads certificates and secrets from Key Vault with a managed identity.' },
  diagnostics: { title: 'Diagnostics', family: 'control', dashed: true, description: 'Diagnostic settings send logs and metrics.' },
  protects: { title: 'Protects', family: 'control', dashed: true, description: 'A Defender for Cloud plan covers the resource.' },
  siem: { title: 'SIEM', family: 'control', dashed: true, description: 'Sentinel analyses the workspace.' },
  remoteAccess: { title: 'Remote access', family: 'plain', dashed: false, description: 'Administrative access through Bastion.' },
};

/** Private DNS zone a Private Link target implies (public cloud names). */
export const PRIVATE_LINK_ZONES: Readonly<Partial<Record<NodeType, string>>> = {
  sqlDatabase: 'privatelink.database.windows.net',
  cosmosDb: 'privatelink.documents.azure.com',
  keyVault: 'privatelink.vaultcore.azure.net',
  containerRegistry: 'privatelink.azurecr.io',
};

/** Palette entries matching a search text (every word must match the title, type, description or keywords). */
export function searchNodeTypes(query: string): NodeType[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...NODE_TYPES];
  return NODE_TYPES.filter((type) => {
    const info = NODE_CATALOG[type];
    const hay = `${info.title} ${type} ${info.description} ${info.keywords}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
