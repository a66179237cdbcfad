/**
 * Log Analytics workspaces and workspace-based Application Insights.
 *
 * Facts (https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/workspaces; AVM avm/res/operational-insights/workspace and avm/res/insights/component):
 * - Microsoft.OperationalInsights/workspaces: sku PerGB2018, retentionInDays, features.disableLocalAuth (shared-key
 *   ingestion off: diagnostic settings, the Azure Monitor agent and workspace-based Application Insights use Entra ID),
 *   features.enableLogAccessUsingOnlyResourcePermissions (resource-context access).
 * - Microsoft.Insights/components@2020-02-02: kind 'web', Application_Type 'web', WorkspaceResourceId and
 *   IngestionMode 'LogAnalytics' (classic, workspace-less resources are retired), DisableLocalAuth.
 */
import type { NodeOf } from '../../schemas/design.js';
import { idOf } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import { derivedName } from '../naming.js';
import type { AzureBuild } from './build.js';

export const WORKSPACE_TYPE = 'Microsoft.OperationalInsights/workspaces';
export const WORKSPACE_API = '2025-07-01';
export const COMPONENT_TYPE = 'Microsoft.Insights/components';
export const COMPONENT_API = '2020-02-02';

/** The workspace that stores each Application Insights node's telemetry, per build. */
const backingWorkspaces = new WeakMap<AzureBuild, Map<string, Resource>>();

/** The workspace an Application Insights node's telemetry lands in (after buildWorkspaces ran). */
export function appInsightsWorkspace(b: AzureBuild, appInsightsNodeId: string): Resource | undefined {
  return backingWorkspaces.get(b)?.get(appInsightsNodeId);
}

export function buildWorkspaces(b: AzureBuild): void {
  for (const node of b.nodes('logAnalytics')) {
    b.setNodeResource(node, workspace(b, node.id, b.name(node), node.properties.retentionDays));
  }
  const backing = new Map<string, Resource>();
  backingWorkspaces.set(b, backing);
  for (const node of b.nodes('applicationInsights')) {
    const ws = workspaceFor(b, node);
    backing.set(node.id, ws);
    b.setNodeResource(
      node,
      b.resource({
        symbol: `${node.id}-component`,
        type: COMPONENT_TYPE,
        apiVersion: COMPONENT_API,
        name: b.name(node),
        description: `Application Insights "${node.id}": workspace-based, telemetry stored in ${workspaceLabel(b, ws)}.`,
        body: {
          ...b.placed(),
          kind: 'web',
          properties: {
            Application_Type: 'web',
            WorkspaceResourceId: idOf(ws),
            IngestionMode: 'LogAnalytics',
            DisableLocalAuth: !node.properties.localAuth,
          },
        },
      }),
    );
    b.notes.push(
      node.properties.localAuth
        ? `Application Insights "${node.id}" accepts telemetry sent with the instrumentation key alone (localAuth: true); set localAuth: false once every sender authenticates with Microsoft Entra ID.`
        : `Application Insights "${node.id}" accepts only telemetry authenticated with Microsoft Entra ID (local authentication disabled): each sender needs the Monitoring Metrics Publisher role on it and an SDK or logger configured for Entra ID authentication.`,
    );
  }
}

function workspace(b: AzureBuild, key: string, name: string, retentionDays: number): Resource {
  return b.resource({
    symbol: `${key}-workspace`,
    type: WORKSPACE_TYPE,
    apiVersion: WORKSPACE_API,
    name,
    description: `Log Analytics workspace "${name}": ${retentionDays} days of retention; shared-key ingestion disabled.`,
    body: {
      ...b.placed(),
      properties: {
        sku: { name: 'PerGB2018' },
        retentionInDays: retentionDays,
        features: {
          enableLogAccessUsingOnlyResourcePermissions: true,
          disableLocalAuth: true,
        },
      },
    },
  });
}

/**
 * The workspace of an Application Insights node: the target of its first `diagnostics` edge to a logAnalytics
 * node; else the design's first workspace; else a workspace of its own (a workspace-based resource needs one).
 */
function workspaceFor(b: AzureBuild, node: NodeOf<'applicationInsights'>): Resource {
  for (const e of b.index.outgoing(node.id, 'diagnostics')) {
    if (e.to?.type !== 'logAnalytics') continue;
    const r = b.nodeResources.get(e.to.id);
    if (r) return r;
  }
  const first = b.nodes('logAnalytics')[0];
  const firstResource = first && b.nodeResources.get(first.id);
  if (first && firstResource) {
    b.notes.push(`Application Insights "${node.id}" has no diagnostics edge to a Log Analytics workspace; its telemetry goes to "${first.id}", the design's first workspace.`);
    return firstResource;
  }
  const name = derivedName(b.design.metadata.name, `log-${node.id}`, 'logAnalytics');
  b.notes.push(`Application Insights "${node.id}" needs a Log Analytics workspace and the design has none: the template creates "${name}" (30 days of retention) for it.`);
  return workspace(b, `${node.id}-log`, name, 30);
}

function workspaceLabel(b: AzureBuild, ws: Resource): string {
  for (const [id, r] of b.nodeResources) if (r === ws) return `workspace "${id}"`;
  return `its own workspace "${String(ws.name)}"`;
}
