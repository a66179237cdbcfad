/**
 * What a workspace onboarded to Microsoft Sentinel receives: without a data connector, Sentinel has nothing to
 * analyse. Two connectors that need no other product and no licence beyond the design's:
 *
 * - Microsoft Defender for Cloud alerts (the "Subscription-based Microsoft Defender for Cloud (Legacy)" connector):
 *   Microsoft.SecurityInsights/dataConnectors kind AzureSecurityCenter, an extension resource of the workspace, with
 *   the subscription to read alerts from and dataTypes.alerts Enabled
 *   (learn.microsoft.com/azure/templates/microsoft.securityinsights/dataconnectors,
 *   learn.microsoft.com/azure/sentinel/connect-defender-for-cloud). Deployed after the onboarding.
 * - Azure Activity: the connector reads the subscription's activity log through a diagnostic setting of the
 *   subscription that sends every activity log category to the workspace
 *   (learn.microsoft.com/azure/sentinel/data-connectors/azure-activity; learn.microsoft.com/azure/azure-monitor/
 *   essentials/activity-log#send-to-log-analytics-workspace). A subscription's diagnostic setting
 *   (Microsoft.Insights/diagnosticSettings@2021-05-01-preview at subscription scope: workspaceId and logs, no
 *   metrics) cannot be declared by a resource-group deployment, so it is a nested deployment at subscription scope.
 */
import { call, idOf, param, resourceGroupId, subscriptionId } from '../ir/expr.js';
import { TemplateBuilder, type Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';
import { DIAGNOSTIC_SETTINGS_API, DIAGNOSTIC_SETTINGS_TYPE } from './diagnostics.js';

export const DATA_CONNECTORS_TYPE = 'Microsoft.SecurityInsights/dataConnectors';
export const DATA_CONNECTORS_API = '2025-09-01';
/** Every category of the activity log (learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema). */
export const ACTIVITY_LOG_CATEGORIES = ['Administrative', 'Security', 'ServiceHealth', 'Alert', 'Recommendation', 'Policy', 'Autoscale', 'ResourceHealth'] as const;

/** The connectors of one onboarded workspace (`workspaceKey`: its node id), after `onboarding`. */
export function sentinelConnectors(b: AzureBuild, sentinelId: string, workspaceKey: string, workspace: Resource, onboarding: Resource): void {
  b.resource({
    symbol: `${workspaceKey}-defender-alerts-connector`,
    type: DATA_CONNECTORS_TYPE,
    apiVersion: DATA_CONNECTORS_API,
    scope: workspace,
    name: call('guid', [resourceGroupId(), workspaceKey, 'AzureSecurityCenter']),
    description: `Microsoft Defender for Cloud alerts of this subscription into Microsoft Sentinel ("${sentinelId}", workspace "${workspaceKey}").`,
    body: {
      kind: 'AzureSecurityCenter',
      properties: { subscriptionId: subscriptionId(), dataTypes: { alerts: { state: 'Enabled' } } },
    },
    dependsOn: [onboarding],
  });

  const inner = new TemplateBuilder(`${b.design.metadata.name}: the subscription's activity log into workspace "${workspaceKey}" (Microsoft Sentinel Azure Activity).`, 'subscription');
  inner.parameter({ name: 'workspaceId', type: 'string', description: `Resource id of Log Analytics workspace "${workspaceKey}".` });
  inner.resource({
    symbol: 'activity-log',
    type: DIAGNOSTIC_SETTINGS_TYPE,
    apiVersion: DIAGNOSTIC_SETTINGS_API,
    name: `${b.design.metadata.name}-activity-${workspaceKey}`.slice(0, 260),
    description: 'Every activity log category of the subscription, to the Sentinel workspace.',
    body: { properties: { workspaceId: param('workspaceId'), logs: ACTIVITY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })) } },
  });
  const file = `activity-log-${workspaceKey}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63);
  b.t.module({
    symbol: `${workspaceKey}-activity-log`,
    name: `${b.design.metadata.name}-activity-log-${workspaceKey}`.slice(0, 64),
    file,
    template: inner.build(),
    params: { workspaceId: idOf(workspace) },
    dependsOn: [onboarding],
    description: `The subscription's activity log into workspace "${workspaceKey}": Microsoft Sentinel's Azure Activity data connector (a subscription diagnostic setting).`,
  });
  b.notes.push(
    `Microsoft Sentinel "${sentinelId}" receives Defender for Cloud alerts and the Azure activity log of this subscription in workspace "${workspaceKey}": whoever deploys needs Microsoft.Insights/diagnosticSettings/write on the subscription (Monitoring Contributor) and Security Reader there for the Defender for Cloud connector.`,
  );
}
