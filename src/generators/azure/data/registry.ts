/**
 * Container Registry (Microsoft.ContainerRegistry/registries@2025-11-01: the newest GA version, with a saved ARM
 * schema; AVM uses 2025-06-01-preview, which has none).
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.containerregistry/registries; bicep-types containerregistry 2025-11-01):
 * - adminUserEnabled and anonymousPullEnabled as the design says (both off by default): pulls and pushes
 *   authenticate with Entra ID (AcrPull for the kubelet identity, see ../roles.ts).
 * - publicNetworkAccess as the design says; private endpoints need Premium (the validator reports other SKUs).
 * - networkRuleBypassOptions AzureServices only when Defender for Containers protects the registry: its
 *   vulnerability assessment reaches a registry closed to the public as a trusted service; None otherwise.
 * - policies.exportPolicy disabled (Premium, public network access disabled: the API accepts it only then):
 *   images cannot be exported out of a private registry with az acr import or pipelines. The quarantine policy is
 *   left off: it holds every pushed image until a scanner releases it, and no scanner of this design does.
 */
import type { NodeOf } from '../../../schemas/design.js';
import type { Resource } from '../../ir/template.js';
import type { AzureBuild } from '../build.js';

export const REGISTRY_TYPE = 'Microsoft.ContainerRegistry/registries';
export const REGISTRY_API = '2025-11-01';

/** The Defender plans of the defenderForCloud nodes that protect a node (protects edges). */
export function protectingPlans(b: AzureBuild, nodeId: string): Set<string> {
  const plans = new Set<string>();
  for (const e of b.index.incoming(nodeId, 'protects')) {
    if (e.from?.type === 'defenderForCloud') for (const p of e.from.properties.plans) plans.add(p);
  }
  return plans;
}

export function buildRegistry(b: AzureBuild, acr: NodeOf<'containerRegistry'>): Resource {
  const p = acr.properties;
  const scanned = protectingPlans(b, acr.id).has('Containers');
  const exportDisabled = p.sku === 'Premium' && p.publicNetworkAccess === 'Disabled';
  return b.resource({
    symbol: acr.id,
    type: REGISTRY_TYPE,
    apiVersion: REGISTRY_API,
    name: b.azureName(acr),
    description: `Container Registry "${acr.id}": ${p.sku}, admin user ${p.adminUser ? 'on' : 'off'}, anonymous pull ${p.anonymousPull ? 'on' : 'off'}, public network access ${p.publicNetworkAccess.toLowerCase()}${scanned ? ', trusted Microsoft services allowed (Defender for Containers scans its images)' : ''}${exportDisabled ? ', image export disabled' : ''}.`,
    body: {
      ...b.placed(),
      sku: { name: p.sku },
      properties: {
        adminUserEnabled: p.adminUser,
        anonymousPullEnabled: p.anonymousPull,
        publicNetworkAccess: p.publicNetworkAccess,
        networkRuleBypassOptions: scanned ? 'AzureServices' : 'None',
        ...(exportDisabled ? { policies: { exportPolicy: { status: 'disabled' } } } : {}),
      },
    },
  });
}
