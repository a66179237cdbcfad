/**
 * Key Vault (Microsoft.KeyVault/vaults@2026-02-01, the newest generally available version; 2024-11-01, the one the
 * Azure Verified Modules test, is over two years old and the properties used here are the same in both:
 * learn.microsoft.com/azure/templates/microsoft.keyvault/change-log/vaults).
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults; bicep-types keyvault 2024-11-01):
 * - tenantId and sku (family A, standard) are required; Azure RBAC for data-plane access (enableRbacAuthorization;
 *   access policies are ignored with it); soft delete with the design's retention; purge protection.
 *   enablePurgeProtection cannot be set back to false, and the API refuses the value false: it is left out when the
 *   design turns purge protection off.
 * - networkAcls defaultAction Deny. bypass AzureServices ("Allow trusted Microsoft services") when API Management or
 *   Application Gateway reads the vault (a secrets edge, or a certificate of theirs kept in it): API Management loads custom-domain certificates from the control plane,
 *   which needs a public vault or the trusted-service bypass even with a network line of sight (the trusted-service
 *   connectivity retirement of March 2026), and Application Gateway is a trusted service for its listener
 *   certificates. With publicNetworkAccess Disabled the vault still takes private endpoint traffic and traffic
 *   from trusted services (the API's description of publicNetworkAccess). Otherwise bypass None.
 */
import type { NodeOf } from '../../../schemas/design.js';
import { tenantId } from '../../ir/expr.js';
import type { Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

export const KEY_VAULT_TYPE = 'Microsoft.KeyVault/vaults';
export const KEY_VAULT_API = '2026-02-01';

/**
 * The callers of a vault that need the trusted-service bypass: API Management and Application Gateway nodes with a
 * secrets edge to it, or using a certificate it holds (listener, custom domain, mTLS client certificate).
 */
function trustedCallers(b: AzureBuild, kv: NodeOf<'keyVault'>): string[] {
  const callers = new Set<string>();
  for (const e of b.index.incoming(kv.id, 'secrets')) {
    if (e.from?.type === 'apiManagement' || e.from?.type === 'applicationGateway') callers.add(e.from.id);
  }
  const inVault = (certId: string | undefined) => certId !== undefined && b.index.certificates.get(certId)?.keyVault === kv.id;
  for (const gw of b.nodes('applicationGateway')) if (inVault(gw.properties.certificate)) callers.add(gw.id);
  for (const apim of b.nodes('apiManagement')) {
    if (inVault(apim.properties.certificate) || b.index.outgoing(apim.id, 'mtls').some((e) => inVault(e.edge.properties.clientCertificate))) callers.add(apim.id);
  }
  return [...callers].sort();
}

export function buildKeyVault(b: AzureBuild, kv: NodeOf<'keyVault'>): Resource {
  const p = kv.properties;
  const callers = trustedCallers(b, kv);
  const bypass = callers.length ? 'AzureServices' : 'None';
  const vault = b.resource({
    symbol: kv.id,
    type: KEY_VAULT_TYPE,
    apiVersion: KEY_VAULT_API,
    name: b.azureName(kv),
    description: `Key Vault "${kv.id}": Azure RBAC, soft delete ${p.softDeleteRetentionDays} days${p.purgeProtection ? ', purge protection' : ''}, public network access ${p.publicNetworkAccess.toLowerCase()}, firewall default deny${callers.length ? `, trusted Microsoft services allowed (${callers.map((c) => `"${c}"`).join(', ')} load certificates through them)` : ''}.`,
    body: {
      ...b.placed(),
      properties: {
        tenantId: tenantId(),
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: p.rbacAuthorization,
        // Required without Azure RBAC; the template's list replaces the vault's at each deployment.
        ...(p.rbacAuthorization ? {} : { accessPolicies: [] }),
        enableSoftDelete: true,
        softDeleteRetentionInDays: p.softDeleteRetentionDays,
        ...(p.purgeProtection ? { enablePurgeProtection: true } : {}),
        publicNetworkAccess: p.publicNetworkAccess,
        networkAcls: { defaultAction: 'Deny', bypass, ipRules: [], virtualNetworkRules: [] },
      },
    },
  });
  if (!p.purgeProtection) {
    b.notes.push(`Key Vault "${kv.id}" has no purge protection (purgeProtection: false): a deleted vault or certificate can be purged before its ${p.softDeleteRetentionDays}-day retention ends. Purge protection cannot be turned off again once on.`);
  }
  if (!p.rbacAuthorization) {
    b.notes.push(
      `Key Vault "${kv.id}" uses access policies (rbacAuthorization: false): the role assignments the template makes on it do not grant data access; add access policies (get and list on secrets and certificates) for the identities that read it to the vault's accessPolicies in the template (each deployment replaces the list), or set rbacAuthorization: true.`,
    );
  }
  return vault;
}
