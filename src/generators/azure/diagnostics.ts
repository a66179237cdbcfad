/**
 * A diagnostic setting (Microsoft.Insights/diagnosticSettings@2021-05-01-preview, an extension resource scoped
 * to the resource) for every `diagnostics` edge to a logAnalytics node. The `diagnostics` edges of API Management
 * and AKS to Application Insights are not diagnostic settings: the API Management and AKS builders wire those.
 *
 * What each resource type sends (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index; the defaults of the Azure Verified Modules
 * avm/res/** diagnosticSettings, which their end-to-end tests deploy):
 * - the `allLogs` category group and `AllMetrics`, for most types;
 * - Bastion hosts: `allLogs` only (the AVM bastion-host module exports no metrics category);
 * - SQL: the setting goes on each database (Microsoft.Sql/servers/databases), not on the logical server, which
 *   has no resource-log categories of its own (AVM sets it on avm/res/sql/server/database);
 * - AKS: the control-plane categories one by one (Azure Monitor "Supported logs for
 *   Microsoft.ContainerService/managedClusters") with kube-audit-admin rather than kube-audit: the admin audit
 *   log leaves out get and list events, which make most of kube-audit's volume (AKS monitoring reference);
 * - resource-specific tables (logAnalyticsDestinationType 'Dedicated') for the types whose documentation
 *   recommends them: Application Gateway, API Management, AKS and Cosmos DB.
 * A workspace-based Application Insights already stores its telemetry in its own workspace: a diagnostic setting
 * to that same workspace would store it twice, so none is made (a note says so).
 */
import type { DesignNode } from '../../schemas/design.js';
import { idOf, type Expr } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';
import { appInsightsWorkspace } from './monitoring.js';

export const DIAGNOSTIC_SETTINGS_TYPE = 'Microsoft.Insights/diagnosticSettings';
export const DIAGNOSTIC_SETTINGS_API = '2021-05-01-preview';

interface Profile {
  /** The `allLogs` category group, or these categories. */
  readonly logs: 'allLogs' | readonly string[];
  readonly metrics: boolean;
  /** Resource-specific tables instead of AzureDiagnostics. */
  readonly dedicated: boolean;
}

const ALL: Profile = { logs: 'allLogs', metrics: true, dedicated: false };

/** Categories of AKS resource logs sent to the workspace (everything but the high-volume kube-audit). */
export const AKS_LOG_CATEGORIES = [
  'kube-apiserver',
  'kube-audit-admin',
  'kube-controller-manager',
  'kube-scheduler',
  'cluster-autoscaler',
  'cloud-controller-manager',
  'guard',
  'csi-azuredisk-controller',
  'csi-azurefile-controller',
  'csi-snapshot-controller',
] as const;

/** What a diagnostic setting sends, by the resource type it is scoped to. */
export const DIAGNOSTIC_PROFILES: Readonly<Record<string, Profile>> = {
  'Microsoft.Network/applicationGateways': { ...ALL, dedicated: true },
  'Microsoft.ApiManagement/service': { ...ALL, dedicated: true },
  'Microsoft.ContainerService/managedClusters': { logs: AKS_LOG_CATEGORIES, metrics: true, dedicated: true },
  'Microsoft.ContainerRegistry/registries': ALL,
  'Microsoft.Sql/servers/databases': ALL,
  'Microsoft.DocumentDB/databaseAccounts': { ...ALL, dedicated: true },
  'Microsoft.KeyVault/vaults': ALL,
  'Microsoft.Insights/components': ALL,
  'Microsoft.Network/bastionHosts': { logs: 'allLogs', metrics: false, dedicated: false },
  'Microsoft.Network/virtualNetworks': ALL,
};

export function buildDiagnostics(b: AzureBuild): void {
  const done = new Set<string>();
  for (const e of b.index.edgesOfType('diagnostics')) {
    const from = e.from;
    const to = e.to;
    if (!from || !to || to.type !== 'logAnalytics') continue;
    const key = `${from.id}\u0000${to.id}`;
    if (done.has(key)) continue;
    done.add(key);
    const workspace = b.nodeResources.get(to.id);
    if (!workspace) throw new Error(`diagnostics: Log Analytics node "${to.id}" has no workspace resource`);
    if (from.type === 'applicationInsights' && appInsightsWorkspace(b, from.id) === workspace) {
      b.notes.push(
        `Application Insights "${from.id}" stores its telemetry in workspace "${to.id}" already (workspace-based); no diagnostic setting sends it there a second time.`,
      );
      continue;
    }
    const sources = sourcesOf(b, from);
    for (const source of sources) {
      const profile = DIAGNOSTIC_PROFILES[source.type];
      if (!profile) throw new Error(`diagnostics: no diagnostic profile for ${source.type} (node "${from.id}")`);
      b.resource({
        symbol: sources.length > 1 ? `${source.symbol}-${to.id}-diagnostics` : `${from.id}-${to.id}-diagnostics`,
        type: DIAGNOSTIC_SETTINGS_TYPE,
        apiVersion: DIAGNOSTIC_SETTINGS_API,
        scope: source,
        name: `diag-${typeof workspace.name === 'string' ? workspace.name : to.id}`,
        description: `Resource logs${profile.metrics ? ' and metrics' : ''} of "${from.id}" to Log Analytics workspace "${to.id}".`,
        body: { properties: settings(profile, idOf(workspace)) },
      });
    }
  }
}

function settings(profile: Profile, workspaceId: Expr): Record<string, Expr> {
  const logs =
    profile.logs === 'allLogs'
      ? [{ categoryGroup: 'allLogs', enabled: true }]
      : profile.logs.map((category) => ({ category, enabled: true }));
  return {
    workspaceId,
    ...(profile.dedicated ? { logAnalyticsDestinationType: 'Dedicated' } : {}),
    logs,
    ...(profile.metrics ? { metrics: [{ category: 'AllMetrics', enabled: true }] } : {}),
  };
}

/** The resources a node's diagnostic setting is scoped to. */
function sourcesOf(b: AzureBuild, node: DesignNode): Resource[] {
  const main = node.type === 'virtualNetwork' ? (b.nodeResources.get(node.id) ?? b.vnet) : b.nodeResources.get(node.id);
  if (!main) throw new Error(`diagnostics: node "${node.id}" (${node.type}) has no resource; its builder must register one with setNodeResource`);
  if (main.type !== 'Microsoft.Sql/servers') return [main];
  const databases = b.t.build().resources.filter((r) => r.parent === main && r.type === 'Microsoft.Sql/servers/databases');
  if (!databases.length) throw new Error(`diagnostics: SQL server of node "${node.id}" has no database to send logs from`);
  return databases;
}
