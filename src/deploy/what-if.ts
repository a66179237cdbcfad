/** What-if of a deployment: what Resource Manager would create, change and delete, before anything is deployed. */
import type { Design } from '../schemas/design.js';
import { resourcesClient } from './connection.js';
import { toDeployError } from './errors.js';
import type { DeploymentInput, DeploymentTarget } from './target.js';
import { DEFAULT_POLL_INTERVAL_MS } from './target.js';
import { summarizeWhatIf, type RawWhatIfResult, type WhatIfSummary } from './what-if-summary.js';

export interface WhatIfOptions {
  /** The design the template was generated from: maps each change to its node. */
  readonly design?: Design;
  /** The deployment name the what-if is evaluated under (default `gatewright-what-if`). */
  readonly deploymentName?: string;
  /**
   * Incremental (default, as Gatewright deploys): resources of the group that the template leaves out are ignored.
   * Complete: they show as deletes (Gatewright never deploys in Complete mode; this is for seeing what a clean-up would remove).
   */
  readonly mode?: 'Incremental' | 'Complete';
  readonly signal?: AbortSignal;
  readonly pollIntervalMs?: number;
}

/** The what-if result as Resource Manager sent it, kept from the response text (see below). */
function rawResultRecorder(): { onResponse: (response: { status: number; bodyAsText?: string | null }) => void; readonly raw: RawWhatIfResult | undefined } {
  // The SDK's model declares a property change's before/after as objects and mangles the strings and numbers ARM
  // sends there ("3" becomes { "0": "3" }): the summary is made from the response text instead.
  let raw: RawWhatIfResult | undefined;
  return {
    onResponse(response) {
      if (response.status !== 200 || !response.bodyAsText) return;
      try {
        const body = JSON.parse(response.bodyAsText) as RawWhatIfResult;
        // The result, not a status poll: it lists changes, or says why it could not (status Failed, with an error).
        if (body.properties?.changes || body.changes || body.error) raw = body;
      } catch {
        // Not JSON: the SDK reports it.
      }
    },
    get raw() {
      return raw;
    },
  };
}

export async function whatIf(target: DeploymentTarget, input: DeploymentInput, options: WhatIfOptions = {}): Promise<WhatIfSummary> {
  const client = resourcesClient(target, target.subscriptionId);
  const recorder = rawResultRecorder();
  const onResponse = recorder.onResponse;
  try {
    const result = await client.deployments.beginWhatIfAndWait(
      target.resourceGroup,
      options.deploymentName ?? 'gatewright-what-if',
      {
        properties: {
          mode: options.mode ?? 'Incremental',
          template: input.template,
          parameters: input.parameters,
          whatIfSettings: { resultFormat: 'FullResourcePayloads' },
        },
      },
      { abortSignal: options.signal, updateIntervalInMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, onResponse },
    );
    return summarizeWhatIf(recorder.raw ?? result, options.design);
  } catch (e) {
    throw toDeployError(e, `What-if in resource group ${target.resourceGroup}`);
  }
}

/** The API version of the two resources the preview of a new resource group declares. */
const RESOURCES_API_VERSION = '2022-09-01';

/**
 * What-if into a resource group that does not exist yet, without creating it. A resource-group what-if needs the
 * group, so this one runs at subscription scope on a template that declares the group and a nested deployment of the
 * design's template into it (inner expression scope, so that resourceGroup() is the new group): Resource Manager
 * then predicts every resource as a Create, the group included
 * (https://learn.microsoft.com/azure/azure-resource-manager/templates/deploy-to-resource-group#create-resource-groups,
 * https://learn.microsoft.com/rest/api/resources/deployments/what-if-at-subscription-scope). Nothing is created.
 */
export async function whatIfNewGroup(
  target: DeploymentTarget,
  location: string,
  input: DeploymentInput,
  options: Omit<WhatIfOptions, 'mode'> & { readonly tags?: Readonly<Record<string, string>> } = {},
): Promise<WhatIfSummary> {
  const client = resourcesClient(target, target.subscriptionId);
  const recorder = rawResultRecorder();
  const group = target.resourceGroup;
  const name = options.deploymentName ?? 'gatewright-what-if';
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      { type: 'Microsoft.Resources/resourceGroups', apiVersion: RESOURCES_API_VERSION, name: group, location, ...(options.tags ? { tags: { ...options.tags } } : {}) },
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: RESOURCES_API_VERSION,
        name,
        resourceGroup: group,
        dependsOn: [`[resourceId('Microsoft.Resources/resourceGroups', '${group.replace(/'/g, "''")}')]`],
        properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, template: input.template, parameters: input.parameters },
      },
    ],
  };
  try {
    const result = await client.deployments.beginWhatIfAtSubscriptionScopeAndWait(
      name,
      { location, properties: { mode: 'Incremental', template, whatIfSettings: { resultFormat: 'FullResourcePayloads' } } },
      { abortSignal: options.signal, updateIntervalInMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, onResponse: recorder.onResponse },
    );
    return summarizeWhatIf(recorder.raw ?? result, options.design);
  } catch (e) {
    throw toDeployError(e, `What-if of the new resource group ${group} in ${location}`);
  }
}
