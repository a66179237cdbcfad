/**
 * Defender for Cloud plans and Microsoft Sentinel.
 *
 * Defender plans are Microsoft.Security/pricings@2024-01-01 resources of the SUBSCRIPTION: a resource-group
 * deployment cannot declare them, so they go in a nested deployment at subscription scope (a Bicep module with
 * targetScope 'subscription', deployed with scope: subscription()). Plan settings follow the Azure Verified
 * Module avm/ptn/security/security-center (its end-to-end test enables every plan): sub-plan P2 for
 * VirtualMachines, DefenderForStorageV2 with malware scanning and sensitive data discovery for StorageAccounts,
 * P1 for Api; the Containers extensions are the ones the 2024-01-01 API documents for that plan
 * (https://learn.microsoft.com/rest/api/defenderforcloud/pricings). Plans are enabled one after the other (AVM deploys them with @batchSize(1)).
 * The stand-alone Dns plan cannot be enabled any more (since August 2023 DNS alerts are part of Defender for
 * Servers P2), so it is left out with a note.
 *
 * Sentinel: the SecurityInsights gallery solution (Microsoft.OperationsManagement/solutions@2015-11-01-preview)
 * then Microsoft.SecurityInsights/onboardingStates@2025-09-01 named 'default', scoped to the workspace, as the
 * AVM workspace module onboards a workspace (avm/res/operational-insights/workspace); then its data connectors
 * (./sentinel-connectors.ts). Microsoft.Security/pricings stays at 2024-01-01: it is the newest generally available
 * version (learn.microsoft.com/azure/templates/microsoft.security/pricings lists only previews after it).
 */
import { DEFENDER_PLANS } from '../../schemas/design.js';
import { idOf, interp, nameOf, type ExprObject } from '../ir/expr.js';
import { TemplateBuilder, type Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';
import { sentinelConnectors } from './sentinel-connectors.js';

export const PRICINGS_TYPE = 'Microsoft.Security/pricings';
export const PRICINGS_API = '2024-01-01';
export const SOLUTIONS_TYPE = 'Microsoft.OperationsManagement/solutions';
export const SOLUTIONS_API = '2015-11-01-preview';
export const ONBOARDING_TYPE = 'Microsoft.SecurityInsights/onboardingStates';
export const ONBOARDING_API = '2025-09-01';

type Plan = (typeof DEFENDER_PLANS)[number];

const enabled = (name: string) => ({ name, isEnabled: 'True' });

/** The pricing properties of each plan beyond pricingTier 'Standard'. */
const PLAN_SETTINGS: Partial<Record<Plan, ExprObject>> = {
  Containers: {
    extensions: [
      enabled('ContainerRegistriesVulnerabilityAssessments'),
      enabled('AgentlessDiscoveryForKubernetes'),
      enabled('AgentlessVmScanning'),
      enabled('ContainerSensor'),
    ],
  },
  VirtualMachines: { subPlan: 'P2' },
  StorageAccounts: { subPlan: 'DefenderForStorageV2', extensions: [enabled('OnUploadMalwareScanning'), enabled('SensitiveDataDiscovery')] },
  Api: { subPlan: 'P1' },
};

export function buildSecurity(b: AzureBuild): void {
  buildDefenderPlans(b);
  buildSentinel(b);
}

function buildDefenderPlans(b: AzureBuild): void {
  const wanted = new Set<Plan>(b.nodes('defenderForCloud').flatMap((n) => n.properties.plans));
  if (wanted.delete('Dns')) {
    b.notes.push(
      'Defender for DNS is no longer offered as a plan of its own (since August 2023 its alerts come with Defender for Servers P2): the template does not enable the Dns plan; add VirtualMachines to the plans for DNS alerts.',
    );
  }
  // The schema's order, so that the same plans give the same template whatever order the design lists them in.
  const plans = DEFENDER_PLANS.filter((p) => wanted.has(p));
  if (!plans.length) return;
  const inner = new TemplateBuilder(`${b.design.metadata.name}: Microsoft Defender for Cloud plans of the subscription.`, 'subscription');
  let previous: Resource | undefined;
  for (const plan of plans) {
    previous = inner.resource({
      symbol: `${plan}-plan`,
      type: PRICINGS_TYPE,
      apiVersion: PRICINGS_API,
      name: plan,
      body: { properties: { pricingTier: 'Standard', ...PLAN_SETTINGS[plan] } },
      // One plan at a time: concurrent updates of the subscription's pricings conflict.
      ...(previous ? { dependsOn: [previous] } : {}),
    });
  }
  b.t.module({
    symbol: 'defender-plans',
    name: `${b.design.metadata.name}-defender-plans`,
    file: 'defender-plans',
    template: inner.build(),
    description: `Defender for Cloud plans (${plans.join(', ')}): subscription-wide, so deployed at subscription scope.`,
  });
  b.notes.push(
    `Defender for Cloud plans (${plans.join(', ')}) are enabled for the whole subscription by a nested deployment at subscription scope: whoever deploys needs Microsoft.Resources/deployments/write and Microsoft.Security/pricings/write on the subscription (for example Security Admin and a deployment role there).`,
  );
}

function buildSentinel(b: AzureBuild): void {
  const onboarded = new Set<Resource>();
  for (const sentinel of b.nodes('sentinel')) {
    const edges = b.index.outgoing(sentinel.id, 'siem').filter((e) => e.to?.type === 'logAnalytics');
    if (!edges.length) {
      b.notes.push(`Sentinel "${sentinel.id}" has no siem edge to a Log Analytics workspace: no workspace is onboarded for it.`);
      continue;
    }
    for (const e of edges) {
      const workspace = b.nodeResources.get(e.to!.id);
      if (!workspace) throw new Error(`security: Log Analytics node "${e.to!.id}" has no workspace resource`);
      if (onboarded.has(workspace)) continue;
      onboarded.add(workspace);
      // Microsoft gallery solutions are named <solutionType>(<workspace name>).
      const solutionName =
        typeof workspace.name === 'string' ? `SecurityInsights(${workspace.name})` : interp('SecurityInsights(', nameOf(workspace), ')');
      const solution = b.resource({
        symbol: `${e.to!.id}-security-insights`,
        type: SOLUTIONS_TYPE,
        apiVersion: SOLUTIONS_API,
        name: solutionName,
        description: `Microsoft Sentinel (the SecurityInsights solution) on workspace "${e.to!.id}".`,
        body: {
          ...b.placed(),
          plan: {
            name: solutionName,
            product: 'OMSGallery/SecurityInsights',
            publisher: 'Microsoft',
            promotionCode: '',
          },
          properties: { workspaceResourceId: idOf(workspace) },
        },
      });
      const onboarding = b.resource({
        symbol: `${e.to!.id}-sentinel-onboarding`,
        type: ONBOARDING_TYPE,
        apiVersion: ONBOARDING_API,
        scope: workspace,
        name: 'default',
        description: `Onboards workspace "${e.to!.id}" to Microsoft Sentinel ("${sentinel.id}").`,
        body: { properties: {} },
        dependsOn: [solution],
      });
      sentinelConnectors(b, sentinel.id, e.to!.id, workspace, onboarding);
      b.setNodeResource(sentinel, b.nodeResources.get(sentinel.id) ?? onboarding);
    }
  }
}
