/** A deployment's outputs (the template's `outputs`, with the values Resource Manager computed). */
import { resourcesClient } from './connection.js';
import { toDeployError } from './errors.js';
import type { DeploymentTarget } from './target.js';

export interface DeploymentOutput {
  readonly name: string;
  /** String, Int, Bool, Object, Array, SecureString... as ARM reports it. */
  readonly type: string;
  readonly value: unknown;
}

/** The outputs of a deployment record (`properties.outputs`), in name order. */
export function outputsOf(raw: Readonly<Record<string, unknown>> | undefined): DeploymentOutput[] {
  if (!raw) return [];
  return Object.entries(raw)
    .map(([name, o]) => {
      const entry = typeof o === 'object' && o !== null ? (o as { type?: unknown; value?: unknown }) : { value: o };
      return { name, type: typeof entry.type === 'string' ? entry.type : 'Unknown', value: entry.value };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function deploymentOutputs(target: DeploymentTarget, deploymentName: string, signal?: AbortSignal): Promise<DeploymentOutput[]> {
  const client = resourcesClient(target, target.subscriptionId);
  try {
    const deployment = await client.deployments.get(target.resourceGroup, deploymentName, { abortSignal: signal });
    return outputsOf(deployment.properties?.outputs);
  } catch (e) {
    throw toDeployError(e, `Reading the outputs of deployment ${deploymentName}`);
  }
}

/** `name = value` lines; secure outputs are never printed. */
export function formatOutputs(outputs: readonly DeploymentOutput[]): string {
  if (outputs.length === 0) return 'No outputs.\n';
  const width = Math.max(...outputs.map((o) => o.name.length));
  return outputs
    .map((o) => {
      const value = /^secure/i.test(o.type) ? '(secure: not shown)' : typeof o.value === 'string' ? o.value : JSON.stringify(o.value);
      return `${o.name.padEnd(width)} = ${value}\n`;
    })
    .join('');
}
