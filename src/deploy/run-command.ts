/**
 * The AKS run command: runs a command in a pod of the cluster through Resource Manager, so a private cluster needs
 * no network line of sight. Files go along as the command's context, a zip (base64) extracted in the pod's working
 * directory; Gatewright sends a cluster's manifests and runs `kubectl apply -k .`.
 */
import { zipSync, strToU8 } from 'fflate';
import { containerServiceClient } from './connection.js';
import { DeployError, toDeployError } from './errors.js';
import type { ManifestFile } from './manifests.js';
import { armState } from './states.js';
import { DEFAULT_POLL_INTERVAL_MS, type DeploymentTarget } from './target.js';

export const APPLY_COMMAND = 'kubectl apply -k .';

/**
 * The scope of a token for the AKS Microsoft Entra server application (its application id is the same in every
 * tenant: https://learn.microsoft.com/azure/aks/kubelogin-authentication). On a cluster with managed Entra ID
 * integration the run command runs as the caller, who sends such a token as `clusterToken`, as
 * `az aks command invoke` does (https://learn.microsoft.com/azure/aks/access-private-cluster); without it AKS answers
 * 400 MissingAADClusterToken.
 */
export const AKS_SERVER_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

export interface RunCommandOutcome {
  /** The command's exit code (-1 when the command never ran). */
  readonly exitCode: number;
  readonly logs: string;
  /** Succeeded or Failed: whether the run command itself ran (not whether the command succeeded). */
  readonly state: string;
  /** Why the run command failed, when it did. */
  readonly reason?: string;
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
}

/** The context of a run command: the files as a zip, base64. Deterministic (fixed timestamps), paths sorted. */
export function zipContext(files: readonly ManifestFile[]): string {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (f.path.startsWith('/') || f.path.split('/').includes('..')) throw new RangeError(`run command context: "${f.path}" leaves the folder`);
    entries[f.path] = [strToU8(f.content), { mtime: new Date('2000-01-01T00:00:00Z') }];
  }
  return Buffer.from(zipSync(entries, { level: 6 })).toString('base64');
}

/** Runs `command` on the cluster with `files` in its working directory, and waits for its result. */
export async function runClusterCommand(
  target: DeploymentTarget,
  clusterName: string,
  command: string,
  files: readonly ManifestFile[] = [],
  options: { signal?: AbortSignal; pollIntervalMs?: number } = {},
): Promise<RunCommandOutcome> {
  const client = containerServiceClient(target, target.subscriptionId);
  const context = files.length ? zipContext(files) : undefined;
  const clusterToken = await clusterTokenFor(target, client, clusterName, options.signal);
  try {
    const result = await client.managedClusters.beginRunCommandAndWait(
      target.resourceGroup,
      clusterName,
      { command, ...(context ? { context } : {}), ...(clusterToken ? { clusterToken } : {}) },
      { abortSignal: options.signal, updateIntervalInMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS },
    );
    if (!result) throw new DeployError(`Run command on cluster ${clusterName}: Resource Manager returned no result`, 'other');
    return {
      exitCode: typeof result.exitCode === 'number' ? result.exitCode : -1,
      logs: result.logs ?? '',
      state: armState(result.provisioningState),
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.startedAt ? { startedAt: new Date(result.startedAt) } : {}),
      ...(result.finishedAt ? { finishedAt: new Date(result.finishedAt) } : {}),
    };
  } catch (e) {
    throw toDeployError(e, `Run command on cluster ${clusterName}`);
  }
}

/** The clusterToken the cluster needs: a token for the AKS server application when its Entra ID integration is managed, else none. */
async function clusterTokenFor(
  target: DeploymentTarget,
  client: ReturnType<typeof containerServiceClient>,
  clusterName: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  let managed: boolean;
  try {
    const cluster = await client.managedClusters.get(target.resourceGroup, clusterName, signal ? { abortSignal: signal } : {});
    managed = cluster.aadProfile?.managed === true;
  } catch (e) {
    throw toDeployError(e, `Run command on cluster ${clusterName}`);
  }
  if (!managed) return undefined;
  try {
    const token = await target.credential.getToken(AKS_SERVER_SCOPE, signal ? { abortSignal: signal } : {});
    if (!token?.token) throw new Error('the sign-in gave no access token');
    return token.token;
  } catch (e) {
    throw toDeployError(e, `Run command on cluster ${clusterName}: a token for the AKS server application (${AKS_SERVER_SCOPE}), which a cluster with Microsoft Entra ID integration needs`);
  }
}

/** Applies a cluster's generated manifests (its kustomization folder) with `kubectl apply -k .`. */
export function applyManifests(
  target: DeploymentTarget,
  clusterName: string,
  files: readonly ManifestFile[],
  options: { signal?: AbortSignal; pollIntervalMs?: number } = {},
): Promise<RunCommandOutcome> {
  return runClusterCommand(target, clusterName, APPLY_COMMAND, files, options);
}
