/** Resource groups: list them, read one, create one when it is missing. */
import { resourcesClient, type ArmConnection } from './connection.js';
import { toDeployError } from './errors.js';
import { armState } from './states.js';
import type { DeploymentTarget } from './target.js';

export interface ResourceGroupInfo {
  readonly name: string;
  readonly location: string;
  readonly provisioningState?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export async function listResourceGroups(connection: ArmConnection, subscriptionId: string, signal?: AbortSignal): Promise<ResourceGroupInfo[]> {
  const client = resourcesClient(connection, subscriptionId);
  const out: ResourceGroupInfo[] = [];
  try {
    for await (const g of client.resourceGroups.list({ abortSignal: signal })) out.push(info(g));
  } catch (e) {
    throw toDeployError(e, `Listing the resource groups of subscription ${subscriptionId}`);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The target's resource group, or undefined when it does not exist. */
export async function getResourceGroup(target: DeploymentTarget, signal?: AbortSignal): Promise<ResourceGroupInfo | undefined> {
  const client = resourcesClient(target, target.subscriptionId);
  try {
    return info(await client.resourceGroups.get(target.resourceGroup, { abortSignal: signal }));
  } catch (e) {
    const error = toDeployError(e, `Reading resource group ${target.resourceGroup}`);
    if (error.kind === 'notFound') return undefined;
    throw error;
  }
}

/** The target's resource group, created in `location` (with `tags`) when missing. An existing group is left as it is. */
export async function ensureResourceGroup(
  target: DeploymentTarget,
  location: string,
  options: { tags?: Readonly<Record<string, string>>; signal?: AbortSignal } = {},
): Promise<{ created: boolean; group: ResourceGroupInfo }> {
  const existing = await getResourceGroup(target, options.signal);
  if (existing) return { created: false, group: existing };
  const client = resourcesClient(target, target.subscriptionId);
  try {
    const group = await client.resourceGroups.createOrUpdate(
      target.resourceGroup,
      { location, ...(options.tags ? { tags: { ...options.tags } } : {}) },
      { abortSignal: options.signal },
    );
    return { created: true, group: info(group) };
  } catch (e) {
    throw toDeployError(e, `Creating resource group ${target.resourceGroup} in ${location}`);
  }
}

function info(g: { name?: string; location: string; properties?: { provisioningState?: string }; tags?: Record<string, string> }): ResourceGroupInfo {
  return {
    name: g.name ?? '',
    location: g.location,
    ...(g.properties?.provisioningState ? { provisioningState: armState(g.properties.provisioningState) } : {}),
    ...(g.tags ? { tags: g.tags } : {}),
  };
}
