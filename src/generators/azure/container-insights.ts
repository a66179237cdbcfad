/**
 * Container insights with Microsoft Entra ID (managed identity) authentication: the AKS monitoring add-on
 * (addonProfiles.omsagent with useAADAuth 'true') sends nothing until a data collection rule tells the agent what to
 * collect and where, and that rule is associated with the cluster. The Azure CLI creates both when it enables the
 * add-on (`az aks enable-addons --addon monitoring --enable-msi-auth-for-monitoring`); a template must declare them
 * (learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable, "ARM template" and "Bicep" tabs;
 * learn.microsoft.com/azure/azure-monitor/containers/container-insights-data-collection-configure):
 *
 * - Microsoft.Insights/dataCollectionRules, kind Linux, in the workspace's region (here the deployment's location):
 *   one extension data source named ContainerInsightsExtension of extension ContainerInsights, collecting the
 *   stream group Microsoft-ContainerInsights-Group-Default (every Container insights table) every minute with
 *   ContainerLogV2, no namespace filtering; a Log Analytics destination (the workspace of the cluster's diagnostics
 *   edge) and a data flow from the streams to it. The name is the one the CLI gives, MSCI-<region>-<cluster> (at
 *   most 64 characters), so a cluster set up by hand before keeps its rule rather than getting a second one.
 * - Microsoft.Insights/dataCollectionRuleAssociations, an extension resource of the cluster, named
 *   ContainerInsightsExtension (the name the add-on looks for), pointing at the rule.
 * The add-on's identity needs no role for this: the AKS resource provider grants it Monitoring Metrics Publisher on
 * the cluster, and the rule's association is what authorizes ingestion into the workspace.
 */
import { call, idOf, interp, location } from '../ir/expr.js';
import type { Resource } from '../ir/template.js';
import type { AzureBuild } from './build.js';

export const DCR_TYPE = 'Microsoft.Insights/dataCollectionRules';
export const DCR_ASSOCIATION_TYPE = 'Microsoft.Insights/dataCollectionRuleAssociations';
/** The newest generally available version of both types that the Bicep compiler's types know. */
export const DCR_API = '2023-03-11';
/** The association name the monitoring add-on reads its rule from. */
export const CONTAINER_INSIGHTS_ASSOCIATION = 'ContainerInsightsExtension';
/** Every Container insights table (ContainerLogV2, KubePodInventory, KubeEvents, Perf, InsightsMetrics, ...). */
export const CONTAINER_INSIGHTS_STREAMS = ['Microsoft-ContainerInsights-Group-Default'] as const;
const DESTINATION = 'ciworkspace';

/** The rule and its association for a cluster whose Container insights sends to `workspace` with Entra ID authentication. */
export function containerInsightsCollection(
  b: AzureBuild,
  aksId: string,
  clusterName: string,
  cluster: Resource,
  workspace: { id: string; resource: Resource },
): { rule: Resource; association: Resource } {
  const rule = b.resource({
    symbol: `${aksId}-container-insights-dcr`,
    type: DCR_TYPE,
    apiVersion: DCR_API,
    name: call('take', [interp('MSCI-', location(), `-${clusterName}`), 64]),
    description: `What Container insights of AKS cluster "${aksId}" collects (every Container insights table, each minute) and where it goes: workspace "${workspace.id}".`,
    body: {
      ...b.placed(),
      kind: 'Linux',
      properties: {
        dataSources: {
          extensions: [
            {
              name: 'ContainerInsightsExtension',
              extensionName: 'ContainerInsights',
              streams: [...CONTAINER_INSIGHTS_STREAMS],
              extensionSettings: {
                dataCollectionSettings: { interval: '1m', namespaceFilteringMode: 'Off', enableContainerLogV2: true },
              },
            },
          ],
        },
        destinations: { logAnalytics: [{ name: DESTINATION, workspaceResourceId: idOf(workspace.resource) }] },
        dataFlows: [{ streams: [...CONTAINER_INSIGHTS_STREAMS], destinations: [DESTINATION] }],
      },
    },
  });
  const association = b.resource({
    symbol: `${aksId}-container-insights-dcra`,
    type: DCR_ASSOCIATION_TYPE,
    apiVersion: DCR_API,
    scope: cluster,
    name: CONTAINER_INSIGHTS_ASSOCIATION,
    description: `Associates the Container insights rule with AKS cluster "${aksId}"; without it the monitoring add-on sends nothing.`,
    body: {
      properties: {
        description: `Container insights of AKS cluster ${clusterName}: removing this association stops its data collection.`,
        dataCollectionRuleId: idOf(rule),
      },
    },
  });
  return { rule, association };
}
