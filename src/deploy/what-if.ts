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

export async function whatIf(target: DeploymentTarget, input: DeploymentInput, options: WhatIfOptions = {}): Promise<WhatIfSummary> {
  const client = resourcesClient(target, target.subscriptionId);
  // The SDK's model declares a property change's before/after as objects and mangles the strings and numbers ARM
  // sends there ("3" becomes { "0": "3" }): the summary is made from the response text instead.
  let raw: RawWhatIfResult | undefined;
  const onResponse = (response: { status: number; bodyAsText?: string | null }) => {
    if (response.status !== 200 || !response.bodyAsText) return;
    try {
      const body = JSON.parse(response.bodyAsText) as RawWhatIfResult;
      // The result, not a status poll: it lists changes, or says why it could not (status Failed, with an error).
      if (body.properties?.changes || body.changes || body.error) raw = body;
    } catch {
      // Not JSON: the SDK reports it.
    }
  };
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
    return summarizeWhatIf(raw ?? result, options.design);
  } catch (e) {
    throw toDeployError(e, `What-if in resource group ${target.resourceGroup}`);
  }
}
