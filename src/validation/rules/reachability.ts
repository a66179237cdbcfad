/**
 * Reachability (GW440-GW449): the request path needs certificates from Key Vault and images from the registry; a
 * service closed to public access with no private endpoint, or a vault whose access list is empty, breaks it.
 */
import type { DesignNode, NodeOf } from '../../schemas/design.js';
import type { EditOperation } from '../../schemas/operations.js';
import type { RuleContext } from '../context.js';
import { defineRule, type Rule } from '../rule.js';
import { connectOp } from './data.js';

type Closable = NodeOf<'keyVault'> | NodeOf<'containerRegistry'>;

/** Whether any private endpoint reaches the service (one per service serves the design's one virtual network). */
function hasPrivateEndpoint(ctx: RuleContext, node: DesignNode): boolean {
  return ctx.incoming(node.id, 'privateLink').length > 0;
}

/** The clusters that read a Key Vault at run time: a secrets edge, or an ingress certificate it holds. */
export function clustersReadingVault(ctx: RuleContext, kv: NodeOf<'keyVault'>): NodeOf<'aksCluster'>[] {
  return ctx.nodesOfType('aksCluster').filter((aks) => {
    if (ctx.hasEdge(aks.id, kv.id, 'secrets')) return true;
    const cert = aks.properties.ingress.serverCertificate;
    return cert !== undefined && aks.properties.ingress.controller === 'appRouting' && ctx.certificates.get(cert)?.keyVault === kv.id;
  });
}

/** The ids of the components that read a vault: secrets edges, and listener and custom-domain certificates it holds. */
export function vaultReaders(ctx: RuleContext, kv: NodeOf<'keyVault'>): string[] {
  const readers = new Set(ctx.incoming(kv.id, 'secrets').map((e) => e.edge.from));
  const held = (certId: string | undefined) => certId !== undefined && ctx.certificates.get(certId)?.keyVault === kv.id;
  for (const gw of ctx.nodesOfType('applicationGateway')) if (held(gw.properties.certificate)) readers.add(gw.id);
  for (const apim of ctx.nodesOfType('apiManagement')) if (held(apim.properties.certificate)) readers.add(apim.id);
  return [...readers].sort();
}

/** The clusters that pull images from a registry. */
export function clustersPulling(ctx: RuleContext, acr: NodeOf<'containerRegistry'>): NodeOf<'aksCluster'>[] {
  return ctx.incoming(acr.id, 'imagePull').flatMap((e) => (e.from?.type === 'aksCluster' ? [e.from] : []));
}

/** A Key Vault or registry closed to public access that a cluster needs and no private endpoint reaches. */
export function closedAndNeeded(ctx: RuleContext, node: Closable): NodeOf<'aksCluster'>[] {
  if (node.properties.publicNetworkAccess !== 'Disabled' || hasPrivateEndpoint(ctx, node)) return [];
  return node.type === 'keyVault' ? clustersReadingVault(ctx, node) : clustersPulling(ctx, node);
}

function connectPrivateLink(ctx: RuleContext, from: DesignNode, to: DesignNode): { fix?: { title: string; operations: EditOperation[] } } {
  const operations = connectOp(ctx, from.id, to.id, 'privateLink');
  return operations.length ? { fix: { title: `Add a private endpoint for "${to.id}" (privateLink from "${from.id}")`, operations } } : {};
}

export const REACHABILITY_RULES: Rule[] = [
  defineRule({
    id: 'GW440',
    name: 'closed-vault-reachable',
    category: 'architecture',
    severity: 'error',
    title: 'A Key Vault closed to public access has a private endpoint for the clusters that read it',
    rationale:
      'With publicNetworkAccess Disabled a vault takes only private endpoint traffic (and trusted Azure services, which AKS workloads are not). A cluster that loads its ingress certificate or secrets from it with no private endpoint gets no certificate: the ingress never serves TLS and every call fails.',
    source: { tool: 'Microsoft Learn', ref: 'Configure Key Vault networking settings', url: 'https://learn.microsoft.com/azure/key-vault/general/how-to-azure-key-vault-network-security' },
    fixable: true,
    *check(ctx) {
      for (const kv of ctx.nodesOfType('keyVault')) {
        const readers = closedAndNeeded(ctx, kv);
        if (!readers.length) continue;
        yield ctx.atNode(
          kv,
          `Key Vault "${kv.id}" is closed to public access and no private endpoint reaches it, but ${readers.map((a) => `AKS cluster "${a.id}"`).join(' and ')} load${readers.length === 1 ? 's' : ''} certificates or secrets from it: nothing can reach the vault, so the ingress gets no certificate; connect a privateLink edge to "${kv.id}"`,
          ['properties', 'publicNetworkAccess'],
          connectPrivateLink(ctx, readers[0]!, kv),
        );
      }
    },
  }),
  defineRule({
    id: 'GW441',
    name: 'closed-registry-reachable',
    category: 'architecture',
    severity: 'error',
    title: 'A registry closed to public access has a private endpoint for the clusters that pull from it',
    rationale:
      'With publicNetworkAccess Disabled a registry serves pulls only through a private endpoint; the nodes of a cluster with no private endpoint to it fail every image pull (ImagePullBackOff), so no pod behind the ingress starts.',
    source: { tool: 'Microsoft Learn', ref: 'Connect privately to an Azure container registry using Azure Private Link', url: 'https://learn.microsoft.com/azure/container-registry/container-registry-private-link' },
    fixable: true,
    *check(ctx) {
      for (const acr of ctx.nodesOfType('containerRegistry')) {
        const pullers = closedAndNeeded(ctx, acr);
        if (!pullers.length) continue;
        yield ctx.atNode(
          acr,
          `Container Registry "${acr.id}" is closed to public access and no private endpoint reaches it, but ${pullers.map((a) => `AKS cluster "${a.id}"`).join(' and ')} pull${pullers.length === 1 ? 's' : ''} images from it: every pull fails; connect a privateLink edge to "${acr.id}"`,
          ['properties', 'publicNetworkAccess'],
          connectPrivateLink(ctx, pullers[0]!, acr),
        );
      }
    },
  }),
  defineRule({
    id: 'GW442',
    name: 'vault-access-policies-readers',
    category: 'architecture',
    severity: 'error',
    title: 'A Key Vault that components read uses Azure RBAC, not an empty access policy list',
    rationale:
      'With rbacAuthorization false the vault grants data access only through access policies; the role assignments each secrets edge implies do not apply, and the template gives an empty policy list that each deployment restores. Application Gateway, API Management and the cluster then cannot read their certificates.',
    source: { tool: 'Microsoft Learn', ref: 'Key Vault: Azure RBAC and access policies', url: 'https://learn.microsoft.com/azure/key-vault/general/rbac-access-policy' },
    fixable: true,
    *check(ctx) {
      for (const kv of ctx.nodesOfType('keyVault')) {
        if (kv.properties.rbacAuthorization) continue;
        const readers = vaultReaders(ctx, kv);
        if (!readers.length) continue;
        yield ctx.atNode(
          kv,
          `Key Vault "${kv.id}" uses access policies (rbacAuthorization: false), and the generated vault has none, so ${readers.map((r) => `"${r}"`).join(', ')} cannot read the certificates and secrets they need from it: use Azure RBAC (rbacAuthorization: true)`,
          ['properties', 'rbacAuthorization'],
          { fix: { title: 'Use Azure RBAC', operations: [{ op: 'setProperty', target: { kind: 'node', id: kv.id }, path: ['properties', 'rbacAuthorization'], value: true }] } },
        );
      }
    },
  }),
  defineRule({
    id: 'GW443',
    name: 'apim-publishes-api',
    category: 'architecture',
    severity: 'warning',
    title: 'API Management behind Application Gateway publishes an API',
    rationale:
      'Application Gateway forwards every request to API Management; an instance with no API answers each of them with 404 Not Found, so the platform deploys and serves nothing.',
    source: { tool: 'Microsoft Learn', ref: 'Import and publish your first API', url: 'https://learn.microsoft.com/azure/api-management/import-and-publish' },
    *check(ctx) {
      for (const apim of ctx.nodesOfType('apiManagement')) {
        if (apim.properties.apis.length > 0) continue;
        const gateways = ctx.incoming(apim.id, 'https').filter((e) => e.from?.type === 'applicationGateway').map((e) => e.edge.from);
        if (!gateways.length) continue;
        yield ctx.atNode(
          apim,
          `API Management "${apim.id}" publishes no API, but ${gateways.map((g) => `Application Gateway "${g}"`).join(' and ')} forward${gateways.length === 1 ? 's' : ''} every request to it: each one gets 404 Not Found; add an API under apis`,
          ['properties', 'apis'],
        );
      }
    },
  }),
];
