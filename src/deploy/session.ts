/**
 * A deployment session: one design, one subscription and resource group, one connection. It only binds the
 * functions of src/deploy to that target; each of them can be called on its own too.
 */
import type { Design } from '../schemas/design.js';
import { setApimExistence, type ApimExistence } from './apim-exists.js';
import { deploy, type DeployOptions, type DeployResult } from './deploy.js';
import { deploymentHistory, type DeploymentRecord } from './history.js';
import { deploymentOutputs, type DeploymentOutput } from './outputs.js';
import { ensureResourceGroup, getResourceGroup, listResourceGroups, type ResourceGroupInfo } from './resource-groups.js';
import { applyManifests, runClusterCommand, type RunCommandOutcome } from './run-command.js';
import type { ManifestFile } from './manifests.js';
import { listSubscriptions, type SubscriptionInfo } from './subscriptions.js';
import type { DeploymentInput, DeploymentTarget } from './target.js';
import { whatIf, whatIfNewGroup, type WhatIfOptions } from './what-if.js';
import type { WhatIfSummary } from './what-if-summary.js';

export interface SessionOptions extends DeploymentTarget {
  /** The region of a resource group this session creates (the design's metadata.location by default). */
  readonly location?: string;
  /** The design deployed: names deployments, maps resources to nodes, filters the history. */
  readonly design: Design;
  /** How often long-running operations are polled (ms). */
  readonly pollIntervalMs?: number;
}

export class DeploymentSession {
  readonly target: DeploymentTarget;
  readonly design: Design;
  readonly location: string;
  private readonly pollIntervalMs?: number;

  constructor(options: SessionOptions) {
    const { location, design, pollIntervalMs, ...target } = options;
    this.target = target;
    this.design = design;
    this.location = location ?? design.metadata.location;
    if (pollIntervalMs !== undefined) this.pollIntervalMs = pollIntervalMs;
  }

  listSubscriptions(signal?: AbortSignal): Promise<SubscriptionInfo[]> {
    return listSubscriptions(this.target, signal);
  }

  listResourceGroups(signal?: AbortSignal): Promise<ResourceGroupInfo[]> {
    return listResourceGroups(this.target, this.target.subscriptionId, signal);
  }

  getResourceGroup(signal?: AbortSignal): Promise<ResourceGroupInfo | undefined> {
    return getResourceGroup(this.target, signal);
  }

  /** Creates the resource group in the session's location when it is missing (tagged with the design's tags). */
  ensureResourceGroup(signal?: AbortSignal): Promise<{ created: boolean; group: ResourceGroupInfo }> {
    return ensureResourceGroup(this.target, this.location, { ...(this.design.metadata.tags ? { tags: this.design.metadata.tags } : {}), ...(signal ? { signal } : {}) });
  }

  /**
   * The deployment with each API Management `<id>Exists` parameter set from a GET of the service in the resource
   * group (false without asking when the group does not exist): see ./apim-exists.ts.
   */
  withApimExistence(input: DeploymentInput, options: { groupExists?: boolean; signal?: AbortSignal } = {}): Promise<{ input: DeploymentInput; existence: ApimExistence[] }> {
    return setApimExistence(this.target, this.design, input, options);
  }

  whatIf(input: DeploymentInput, options: Omit<WhatIfOptions, 'design'> = {}): Promise<WhatIfSummary> {
    return whatIf(this.target, input, { design: this.design, ...this.poll(), ...options });
  }

  /** What-if into the session's resource group, which does not exist yet: previewed as new, without creating it. */
  whatIfNewGroup(input: DeploymentInput, options: Omit<WhatIfOptions, 'design' | 'mode'> = {}): Promise<WhatIfSummary> {
    return whatIfNewGroup(this.target, this.location, input, { design: this.design, ...(this.design.metadata.tags ? { tags: this.design.metadata.tags } : {}), ...this.poll(), ...options });
  }

  deploy(input: DeploymentInput, options: Omit<DeployOptions, 'design'> = {}): Promise<DeployResult> {
    return deploy(this.target, input, { design: this.design, ...this.poll(), ...options });
  }

  outputs(deploymentName: string, signal?: AbortSignal): Promise<DeploymentOutput[]> {
    return deploymentOutputs(this.target, deploymentName, signal);
  }

  history(options: { limit?: number; signal?: AbortSignal } = {}): Promise<DeploymentRecord[]> {
    return deploymentHistory(this.target, this.design.metadata.name, options);
  }

  applyManifests(clusterName: string, files: readonly ManifestFile[], signal?: AbortSignal): Promise<RunCommandOutcome> {
    return applyManifests(this.target, clusterName, files, { ...this.poll(), ...(signal ? { signal } : {}) });
  }

  runCommand(clusterName: string, command: string, files: readonly ManifestFile[] = [], signal?: AbortSignal): Promise<RunCommandOutcome> {
    return runClusterCommand(this.target, clusterName, command, files, { ...this.poll(), ...(signal ? { signal } : {}) });
  }

  private poll(): { pollIntervalMs?: number } {
    return this.pollIntervalMs === undefined ? {} : { pollIntervalMs: this.pollIntervalMs };
  }
}
