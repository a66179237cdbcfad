/**
 * The design model: format v1 of `*.gatewright.yaml` (docs/design-format.md).
 * Every property has a secure default; the TypeScript types are inferred from these schemas.
 * This file imports nothing of ours.
 */
import { z } from 'zod';
import { DeliverySchema } from './delivery.js';

export const API_VERSION = 'gatewright/v1';
export const KIND = 'Architecture';

export const NODE_ID_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const DESIGN_NAME_PATTERN = /^[a-z][a-z0-9-]{1,19}$/;

const nodeId = z
  .string()
  .regex(NODE_ID_PATTERN, 'must match [a-z][a-z0-9-]{0,39}: a lower-case letter, then lower-case letters, digits or hyphens')
  .describe('A node id.');
const certRef = z.string().min(1).describe('The id of a certificate in `certificates`.');
const tlsVersion = z.enum(['1.2', '1.3']).describe('Minimum TLS version.');
const publicNetworkAccess = z.enum(['Disabled', 'Enabled']).describe('Whether the public endpoint is reachable.');
const hostName = z
  .string()
  .regex(/^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/, 'must be a fully qualified DNS name')
  .describe('A fully qualified DNS host name.');

// ---------------------------------------------------------------- metadata

export const MetadataSchema = z.strictObject({
  name: z
    .string()
    .regex(DESIGN_NAME_PATTERN, 'must match [a-z][a-z0-9-]{1,19}: it prefixes derived Azure resource names')
    .describe('Design name; the prefix of derived Azure resource names.'),
  location: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/, 'must be an Azure region name such as westeurope')
    .describe('Azure region name, for example westeurope.'),
  description: z.string().optional().describe('What the design is for; shown in the generated README.'),
  tags: z
    .record(
      z.string().min(1).max(512).regex(/^[^<>%&\\?/]*$/, 'a tag name must not contain < > % & \\ ? /'),
      z.string().max(256, 'a tag value has at most 256 characters'),
    )
    .optional()
    .describe('Tags put on every generated resource (Azure limits: names up to 512 characters without < > % & \\ ? /, values up to 256).'),
});

// ---------------------------------------------------------------- node properties

const none = z.strictObject({});

export const ApplicationGatewayProps = z.strictObject({
  sku: z.enum(['WAF_v2', 'Standard_v2']).default('WAF_v2').describe('Application Gateway tier; WAF_v2 includes the web application firewall.'),
  wafMode: z.enum(['Prevention', 'Detection']).default('Prevention').describe('Prevention blocks matching requests; Detection only logs them.'),
  hostName: hostName.optional().describe('Public host name of the listener.'),
  certificate: certRef.optional().describe('Id of the listener certificate.'),
  minTlsVersion: tlsVersion.default('1.2'),
  minCapacity: z.number().int().min(0).max(125).default(2).describe('Minimum autoscale instance count.'),
  zones: z.array(z.enum(['1', '2', '3'])).default(['1', '2', '3']).describe('Availability zones.'),
  ruleSetVersion: z.enum(['DRS 2.1', 'OWASP 3.2', 'OWASP 3.1', 'OWASP 3.0']).default('DRS 2.1').describe('Managed WAF rule set.'),
  botProtection: z.boolean().default(true).describe('Microsoft Bot Manager rule set.'),
  disabledRules: z.array(z.string()).default([]).describe('Ids of managed WAF rules turned off.'),
});

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
const claimValue = z.string().regex(/^[^\s]{1,120}$/, 'must be 1-120 characters without spaces');

export const ApiSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,79}$/, 'must be letters, digits and hyphens (max 80)')
    .describe('API name in API Management; names its policy file.'),
  path: z.string().regex(/^[a-zA-Z0-9_\-./]*$/, 'must be a URL path suffix (letters, digits, - _ . /)').describe('API URL suffix.'),
  service: z.string().min(1).describe('Name of a service in an aksCluster node.'),
  displayName: z.string().optional().describe('Name shown in the developer portal; the name when absent.'),
  subscriptionRequired: z.boolean().default(true).describe('Callers must send a subscription key of a product that holds the API.'),
  audience: z.string().optional().describe('Token audience for this API (its App ID URI, api://…); the Entra ID node audience when absent.'),
  applicationId: guid
    .optional()
    .describe('Application (client) id of the API\'s app registration: the audience of v2.0 access tokens. With audience absent, the Entra ID node applicationId.'),
  requiredRoles: z
    .array(claimValue)
    .default([])
    .describe('App roles of which the access token must carry at least one (the roles claim); none: not checked.'),
  requiredScopes: z
    .array(claimValue)
    .default([])
    .describe('Delegated scopes of which the access token must carry at least one (the scp claim); none: not checked.'),
});

export const ProductSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,79}$/, 'must be letters, digits and hyphens (max 80)').describe('Product id in API Management.'),
  displayName: z.string().min(1).max(300).optional().describe('Name shown to callers; the name when absent.'),
  description: z.string().max(1000).optional().describe('What the product is for, shown to callers.'),
  apis: z.array(z.string().min(1)).min(1).describe('Names of the APIs of this instance the product holds.'),
  subscriptionRequired: z.boolean().default(true).describe('Callers need a subscription key of this product (false: an open product).'),
  approvalRequired: z.boolean().default(true).describe('An administrator approves each subscription callers request through the developer portal.'),
  subscriptions: z
    .array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,79}$/, 'must be letters, digits and hyphens (max 80)'))
    .default([])
    .describe('Subscriptions the template creates for this product, one per calling application; their keys are read with listSecrets.'),
});

export const ApiManagementProps = z.strictObject({
  sku: z
    .enum(['Developer', 'Premium', 'Basic', 'Standard', 'Consumption', 'BasicV2', 'StandardV2', 'PremiumV2'])
    .default('Developer')
    .describe('API Management tier.'),
  virtualNetworkType: z
    .enum(['Internal', 'External', 'None'])
    .default('Internal')
    .describe('Internal: the gateway has only a private address in the virtual network.'),
  hostName: hostName.optional().describe('Gateway custom domain.'),
  certificate: certRef.optional().describe('Id of the custom-domain certificate.'),
  publisherEmail: z.email().optional().describe('Address API Management sends notifications to.'),
  publisherName: z.string().min(1).optional().describe('Organization name shown in the developer portal.'),
  minTlsVersion: tlsVersion.default('1.2').describe('Minimum TLS version on the gateway and towards backends.'),
  capacity: z.number().int().min(1).max(12).default(1).describe('Scale units.'),
  apis: z.array(ApiSchema).default([]).describe('The APIs the gateway serves.'),
  products: z
    .array(ProductSchema)
    .default([])
    .describe('Products that give callers subscription keys; a subscription-required API that no product holds gets a product of its own.'),
});

/**
 * An annotation key is a Kubernetes qualified name: an optional prefix (a DNS subdomain of at most 253
 * characters) and `/`, then a name of at most 63 characters that starts and ends with a letter or digit, with
 * `-`, `_` and `.` between (https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set).
 * Anything else is refused by the API server and breaks `kubectl kustomize`.
 */
const QUALIFIED_NAME = /^(?:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)\/)?([A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const annotationKey = z.string().refine(
  (key) => {
    const m = QUALIFIED_NAME.exec(key);
    return m !== null && (m[1] ?? '').length <= 253 && m[2]!.length <= 63;
  },
  { message: 'an annotation key must be a Kubernetes qualified name: [prefix/]name, the name at most 63 letters, digits, - _ . (starting and ending with a letter or digit), the prefix a DNS subdomain of at most 253 characters' },
);

export const IngressSchema = z.strictObject({
  controller: z
    .enum(['appRouting', 'ingressNginx', 'gatewayApi'])
    .default('appRouting')
    .describe('appRouting: the managed NGINX add-on; ingressNginx: the community controller; gatewayApi: Gateway API.'),
  hostName: hostName.optional().describe('The host name API Management calls.'),
  serverCertificate: certRef.optional().describe('Id of the certificate the ingress serves.'),
  clientCa: certRef.optional().describe('Explicit override of the CA that verifies client certificates.'),
  verifyClient: z.enum(['on', 'optional', 'optional_no_ca', 'off']).default('on').describe('Client certificate verification (NGINX ssl_verify_client).'),
  verifyDepth: z.number().int().min(1).max(10).default(1).describe('Longest client certificate chain accepted (NGINX ssl_verify_depth).'),
  backendProtocol: z.enum(['https', 'http', 'passthrough']).default('https').describe('How the ingress calls the pods.'),
  minTlsVersion: tlsVersion.default('1.2'),
  annotations: z.record(annotationKey, z.string()).default({}).describe('Extra ingress annotations.'),
});

export const ServiceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1035 label').describe('Kubernetes Service name.'),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label')
    .default('default')
    .describe('Kubernetes namespace of the service.'),
  port: z.number().int().min(1).max(65535).default(443).describe('Service port the ingress calls.'),
  path: z.string().regex(/^\/[^\s]*$/, 'must start with /').default('/').describe('Ingress path prefix routed to the service.'),
});

export const AksClusterProps = z.strictObject({
  privateCluster: z.boolean().default(true).describe('The API server has only a private address.'),
  authorizedIpRanges: z
    .array(z.string())
    .default([])
    .describe('IPv4 addresses or CIDR ranges (from their first address, such as 203.0.113.0/24) that may reach a public API server; at most 200.'),
  networkPolicy: z.enum(['azure', 'calico', 'cilium', 'none']).default('azure').describe('Kubernetes network policy engine.'),
  localAccounts: z.boolean().default(false).describe('Allow local Kubernetes accounts.'),
  azureRbac: z.boolean().default(true).describe('Entra ID integration with Azure RBAC for Kubernetes.'),
  workloadIdentity: z.boolean().default(true).describe('Microsoft Entra Workload ID for pods (with the OIDC issuer).'),
  keyVaultSecretsProvider: z.boolean().default(true).describe('Key Vault CSI driver add-on.'),
  secretRotation: z.boolean().default(true).describe('The Key Vault CSI driver picks up rotated certificates.'),
  azurePolicy: z.boolean().default(true).describe('Azure Policy add-on.'),
  autoUpgrade: z
    .enum(['stable', 'rapid', 'patch', 'node-image', 'none'])
    .default('stable')
    .describe('Cluster auto-upgrade channel.'),
  nodeCount: z.number().int().min(1).max(100).default(3).describe('Nodes in the system pool.'),
  nodeVmSize: z.string().default('Standard_D4ds_v5').describe('Azure VM size of the nodes, such as Standard_D4ds_v5.'),
  encryptionAtHost: z.boolean().default(true).describe('Encrypt temporary disks and caches on the VM hosts.'),
  ingress: IngressSchema.prefault({}).describe('The ingress API Management calls over mutual TLS.'),
  services: z.array(ServiceSchema).default([]).describe('The services the ingress routes to.'),
});

export const ContainerRegistryProps = z.strictObject({
  sku: z.enum(['Premium', 'Standard', 'Basic']).default('Premium').describe('Registry tier; Private Link needs Premium.'),
  publicNetworkAccess: publicNetworkAccess.default('Disabled'),
  adminUser: z.boolean().default(false).describe('Enable the admin user (a shared password).'),
  anonymousPull: z.boolean().default(false).describe('Allow unauthenticated pulls (Standard and Premium only).'),
});

export const EntraIdProps = z.strictObject({
  tenantId: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
    .optional()
    .describe('Directory (tenant) id that issues the tokens; the deployment tenant when absent.'),
  audience: z.string().min(1).optional().describe('Expected token audience (api://… or an application id).'),
  applicationId: guid
    .optional()
    .describe('Application (client) id of the API app registration: the audience of v2.0 access tokens, accepted beside audience.'),
  clientApplicationIds: z.array(z.string()).default([]).describe('Application (client) ids of the client applications allowed to call (validate-azure-ad-token).'),
});

export const SqlDatabaseProps = z.strictObject({
  publicNetworkAccess: publicNetworkAccess.default('Disabled'),
  minTlsVersion: tlsVersion.default('1.2'),
  entraOnlyAuthentication: z.boolean().default(true).describe('Only Microsoft Entra sign-ins; no SQL logins.'),
  auditing: z.boolean().default(true).describe('Server auditing to Log Analytics.'),
});

export const CosmosDbProps = z.strictObject({
  publicNetworkAccess: publicNetworkAccess.default('Disabled'),
  minTlsVersion: tlsVersion.default('1.2'),
  localAuth: z.boolean().default(false).describe('Allow account keys (local authentication).'),
});

export const KeyVaultProps = z.strictObject({
  publicNetworkAccess: publicNetworkAccess.default('Disabled'),
  purgeProtection: z.boolean().default(true).describe('Deleted vaults and secrets cannot be purged before retention ends.'),
  rbacAuthorization: z.boolean().default(true).describe('Azure RBAC for data access instead of access policies.'),
  softDeleteRetentionDays: z.number().int().min(7).max(90).default(90).describe('Days a deleted vault or secret is kept.'),
});

export const LogAnalyticsProps = z.strictObject({
  retentionDays: z.number().int().min(30).max(730).default(30).describe('Days logs are kept.'),
});

export const ApplicationInsightsProps = z.strictObject({
  localAuth: z.boolean().default(false).describe('Allow instrumentation-key ingestion without Entra ID.'),
});

export const DEFENDER_PLANS = [
  'Containers',
  'KeyVaults',
  'Api',
  'SqlServers',
  'CosmosDbs',
  'Arm',
  'Dns',
  'StorageAccounts',
  'AppServices',
  'VirtualMachines',
] as const;

export const DefenderForCloudProps = z.strictObject({
  plans: z.array(z.enum(DEFENDER_PLANS)).default(['Containers']).describe('Defender plans turned on, as Azure names them.'),
});

export const VirtualNetworkProps = z.strictObject({
  addressSpace: z
    .string()
    .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/, 'must be an IPv4 CIDR such as 10.0.0.0/16')
    .default('10.0.0.0/16')
    .describe('Address space the subnets are carved from.'),
});

// ---------------------------------------------------------------- nodes

const nodeBase = {
  id: nodeId,
  name: z.string().min(1).max(80).optional().describe('Azure resource name; derived when absent.'),
  label: z.string().optional().describe('Display text.'),
};

function nodeOf<T extends string, P extends z.ZodType>(type: T, props: P) {
  return z.strictObject({ ...nodeBase, type: z.literal(type), properties: props });
}

export const NODE_PROPERTY_SCHEMAS = {
  internet: none,
  applicationGateway: ApplicationGatewayProps,
  apiManagement: ApiManagementProps,
  aksCluster: AksClusterProps,
  containerRegistry: ContainerRegistryProps,
  entraId: EntraIdProps,
  managedIdentity: none,
  sqlDatabase: SqlDatabaseProps,
  cosmosDb: CosmosDbProps,
  keyVault: KeyVaultProps,
  logAnalytics: LogAnalyticsProps,
  applicationInsights: ApplicationInsightsProps,
  defenderForCloud: DefenderForCloudProps,
  sentinel: none,
  bastion: none,
  virtualNetwork: VirtualNetworkProps,
} as const;

export type NodeType = keyof typeof NODE_PROPERTY_SCHEMAS;
export const NODE_TYPES = Object.keys(NODE_PROPERTY_SCHEMAS) as NodeType[];

export const InternetNode = nodeOf('internet', none.prefault({}));
export const ApplicationGatewayNode = nodeOf('applicationGateway', ApplicationGatewayProps.prefault({}));
export const ApiManagementNode = nodeOf('apiManagement', ApiManagementProps.prefault({}));
export const AksClusterNode = nodeOf('aksCluster', AksClusterProps.prefault({}));
export const ContainerRegistryNode = nodeOf('containerRegistry', ContainerRegistryProps.prefault({}));
export const EntraIdNode = nodeOf('entraId', EntraIdProps.prefault({}));
export const ManagedIdentityNode = nodeOf('managedIdentity', none.prefault({}));
export const SqlDatabaseNode = nodeOf('sqlDatabase', SqlDatabaseProps.prefault({}));
export const CosmosDbNode = nodeOf('cosmosDb', CosmosDbProps.prefault({}));
export const KeyVaultNode = nodeOf('keyVault', KeyVaultProps.prefault({}));
export const LogAnalyticsNode = nodeOf('logAnalytics', LogAnalyticsProps.prefault({}));
export const ApplicationInsightsNode = nodeOf('applicationInsights', ApplicationInsightsProps.prefault({}));
export const DefenderForCloudNode = nodeOf('defenderForCloud', DefenderForCloudProps.prefault({}));
export const SentinelNode = nodeOf('sentinel', none.prefault({}));
export const BastionNode = nodeOf('bastion', none.prefault({}));
export const VirtualNetworkNode = nodeOf('virtualNetwork', VirtualNetworkProps.prefault({}));

export const NodeSchema = z.discriminatedUnion('type', [
  InternetNode,
  ApplicationGatewayNode,
  ApiManagementNode,
  AksClusterNode,
  ContainerRegistryNode,
  EntraIdNode,
  ManagedIdentityNode,
  SqlDatabaseNode,
  CosmosDbNode,
  KeyVaultNode,
  LogAnalyticsNode,
  ApplicationInsightsNode,
  DefenderForCloudNode,
  SentinelNode,
  BastionNode,
  VirtualNetworkNode,
]);

// ---------------------------------------------------------------- edges

const backendValidation = {
  trustedCa: certRef.optional().describe('Explicit override of the CA the caller trusts for the callee.'),
  validateCertificateChain: z.boolean().default(true).describe('The caller validates the server certificate chain.'),
  validateCertificateName: z.boolean().default(true).describe('The caller validates the server certificate name.'),
};

export const EDGE_PROPERTY_SCHEMAS = {
  https: z.strictObject({ ...backendValidation }),
  mtls: z.strictObject({
    clientCertificate: certRef.describe('Id of the client certificate the caller presents.'),
    ...backendValidation,
  }),
  privateLink: z.strictObject({ identity: nodeId.optional().describe('Id of a managedIdentity node.') }),
  tokenValidation: none,
  imagePull: none,
  secrets: none,
  diagnostics: none,
  protects: none,
  siem: none,
  remoteAccess: none,
} as const;

export type EdgeType = keyof typeof EDGE_PROPERTY_SCHEMAS;
export const EDGE_TYPES = Object.keys(EDGE_PROPERTY_SCHEMAS) as EdgeType[];

const edgeBase = {
  id: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,80}$/, 'must be letters, digits, - _ or .').optional(),
  from: z.string().min(1).describe('Id of the calling node.'),
  to: z.string().min(1).describe('Id of the called node.'),
};

function edgeOf<T extends EdgeType, P extends z.ZodType>(type: T, properties: P) {
  return z.strictObject({ ...edgeBase, type: z.literal(type), properties });
}

const P = EDGE_PROPERTY_SCHEMAS;
export const EdgeSchema = z.discriminatedUnion('type', [
  edgeOf('https', P.https.prefault({})),
  edgeOf('mtls', P.mtls),
  edgeOf('privateLink', P.privateLink.prefault({})),
  edgeOf('tokenValidation', P.tokenValidation.prefault({})),
  edgeOf('imagePull', P.imagePull.prefault({})),
  edgeOf('secrets', P.secrets.prefault({})),
  edgeOf('diagnostics', P.diagnostics.prefault({})),
  edgeOf('protects', P.protects.prefault({})),
  edgeOf('siem', P.siem.prefault({})),
  edgeOf('remoteAccess', P.remoteAccess.prefault({})),
]);

// ---------------------------------------------------------------- certificates

export const CertificateSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,126}$/, 'must be letters, digits and hyphens (Key Vault certificate name rules)')
    .describe('Certificate id, referenced by nodes and edges.'),
  role: z.enum(['ca', 'server', 'client']).describe('What the certificate is for.'),
  issuer: z.string().min(1).default('self').describe('self (a root), external (a public CA), or the id of a ca certificate.'),
  keyVault: nodeId.optional().describe('Id of the keyVault node that holds it.'),
  secretName: z
    .string()
    .regex(/^[a-zA-Z0-9-]{1,127}$/, 'must be 1-127 letters, digits and hyphens')
    .optional()
    .describe('Key Vault certificate name; the id when absent.'),
  dnsNames: z.array(hostName).default([]).describe('Names a server certificate is valid for.'),
  file: z.string().min(1).optional().describe('Workspace-relative PEM of the PUBLIC certificate only.'),
  keyAlgorithm: z.enum(['RSA', 'EC']).default('RSA').describe('Key type.'),
  keySize: z.number().int().default(2048).describe('Key size in bits (RSA) or curve size (EC).'),
  notAfter: z.iso.date().optional().describe('Expiry date (YYYY-MM-DD) when no file is given.'),
  autoRenew: z.boolean().default(false).describe('Key Vault renews the certificate before it expires.'),
});

// ---------------------------------------------------------------- document

export const PositionSchema = z.strictObject({ x: z.number(), y: z.number() });

export const DesignSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(KIND),
  metadata: MetadataSchema,
  certificates: z.array(CertificateSchema).default([]),
  nodes: z.array(NodeSchema),
  edges: z.array(EdgeSchema).default([]),
  layout: z.record(z.string(), PositionSchema).optional(),
  delivery: DeliverySchema.optional().describe('Continuous deployment: the repository and the Azure environments the generated pipelines deploy to.'),
});

export type Design = z.infer<typeof DesignSchema>;
export type DesignInput = z.input<typeof DesignSchema>;
export type DesignNode = z.infer<typeof NodeSchema>;
export type DesignEdge = z.infer<typeof EdgeSchema>;
export type Certificate = z.infer<typeof CertificateSchema>;
export type Metadata = z.infer<typeof MetadataSchema>;
export type Position = z.infer<typeof PositionSchema>;
export type NodeOf<T extends NodeType> = Extract<DesignNode, { type: T }>;
export type EdgeOf<T extends EdgeType> = Extract<DesignEdge, { type: T }>;

/** The id an edge has: its own, or "<from>-<to>" when absent (spec). */
export function edgeId(edge: { id?: string | undefined; from: string; to: string }): string {
  return edge.id ?? `${edge.from}-${edge.to}`;
}
