/**
 * Deploying the generated template: create or update a resource-group deployment (Incremental), poll the
 * long-running operation, report each deployment operation's state (per target resource, with its design node) as
 * it changes, cancel the deployment through the API when the signal aborts, and on failure name the failing
 * resources with ARM's error in full.
 */
import type { Design } from '../schemas/design.js';
import { resourcesClient, retryAfterRecorder } from './connection.js';
import { deploymentName as nameFor } from './deployment-name.js';
import { armErrorOf, DeployError, formatArmError, toDeployError, type ArmError } from './errors.js';
import { deploymentRecord } from './history.js';
import type { DeploymentOutput } from './outputs.js';
import { nodeOfResource, parseResourceId } from './resource-map.js';
import { armState } from './states.js';
import { DEFAULT_POLL_INTERVAL_MS, pause, type DeploymentInput, type DeploymentTarget } from './target.js';

/** One deployment operation: what ARM does to one resource. */
export interface OperationState {
  readonly operationId: string;
  readonly resourceId?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
  /** For an extension resource (role assignment, diagnostic setting): the name of the resource it applies to. */
  readonly scopeName?: string;
  /** The design node of the resource (see ./resource-map.ts). */
  readonly nodeId?: string;
  /** Create, Delete, Read, Action, EvaluateDeploymentOutput... */
  readonly operation?: string;
  /** Accepted, Running, Succeeded, Failed, Canceled... as ARM reports it. */
  readonly state: string;
  readonly timestamp?: Date;
  readonly duration?: string;
  /** The resource provider's HTTP status (OK, Created, BadRequest, Conflict...). */
  readonly statusCode?: string;
  readonly error?: ArmError;
}

export interface DeployProgress {
  readonly deploymentName: string;
  /** The deployment's state: Accepted, Running, Succeeded, Failed, Canceling, Canceled. */
  readonly state: string;
  /** Every operation so far, in the order ARM started them. */
  readonly operations: readonly OperationState[];
  /** The operations whose state changed since the previous report. */
  readonly changed: readonly OperationState[];
}

export type DeployState = 'Succeeded' | 'Failed' | 'Canceled';

export interface DeployResult {
  readonly deploymentName: string;
  readonly id?: string;
  readonly state: DeployState;
  readonly outputs: readonly DeploymentOutput[];
  readonly operations: readonly OperationState[];
  /** The failed operations: the resources that failed, each with its error. */
  readonly failures: readonly OperationState[];
  /** The deployment's own error (DeploymentFailed with details), when it failed. */
  readonly error?: ArmError;
  readonly timestamp?: Date;
  readonly duration?: string;
  readonly correlationId?: string;
}

export interface DeployOptions {
  /** The design the template was generated from: names the deployment and maps operations to nodes. */
  readonly design?: Design;
  /** The deployment name; `<design>-<yyyyMMdd>-<HHmmss>` of `now` by default. */
  readonly deploymentName?: string;
  readonly now?: Date;
  readonly onProgress?: (progress: DeployProgress) => void;
  /** Aborting cancels the deployment in Azure (POST …/cancel); deploy() then resolves with state Canceled. */
  readonly signal?: AbortSignal;
  /** The wait between polls when Resource Manager gives no Retry-After (default 5 s). */
  readonly pollIntervalMs?: number;
}

/**
 * Deploys and waits for the end. Resolves with the outcome (Succeeded, Failed or Canceled, as ARM reports it);
 * rejects with a DeployError when ARM refuses the deployment outright (invalid template, conflict, token refused...)
 * or cannot be reached.
 */
export async function deploy(target: DeploymentTarget, input: DeploymentInput, options: DeployOptions = {}): Promise<DeployResult> {
  const name = options.deploymentName ?? nameFor(options.design?.metadata.name ?? 'gatewright', options.now ?? new Date());
  const retryAfter = retryAfterRecorder();
  const client = resourcesClient(target, target.subscriptionId, [retryAfter.policy]);
  const { resourceGroup } = target;
  const interval = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (options.signal?.aborted) throw new DeployError(`Deployment ${name} was canceled before it started`, 'canceled');

  let poller: Awaited<ReturnType<typeof client.deployments.beginCreateOrUpdate>>;
  try {
    poller = await client.deployments.beginCreateOrUpdate(
      resourceGroup,
      name,
      { properties: { mode: 'Incremental', template: input.template, parameters: input.parameters } },
      { updateIntervalInMs: interval },
    );
  } catch (e) {
    throw toDeployError(e, `Deployment ${name} to resource group ${resourceGroup}`);
  }

  const known = new Map<string, OperationState>();
  const order: string[] = [];
  const report = (state: string, operations: readonly OperationState[]) => {
    const changed: OperationState[] = [];
    for (const op of operations) {
      const before = known.get(op.operationId);
      if (!before) order.push(op.operationId);
      if (!before || before.state !== op.state || before.statusCode !== op.statusCode) changed.push(op);
      known.set(op.operationId, op);
    }
    const all = order.map((id) => known.get(id)!);
    options.onProgress?.({ deploymentName: name, state, operations: all, changed });
    return all;
  };
  const listOperations = async (): Promise<OperationState[]> => {
    const out: OperationState[] = [];
    for await (const op of client.deploymentOperations.list(resourceGroup, name)) out.push(operationState(op, options.design));
    return out;
  };

  // beginCreateOrUpdate has polled once already: report, then poll and report until the operation ends.
  let cancelRequested = false;
  let stopped = false;
  for (let first = true; ; first = false) {
    if (!first) {
      // As long as Resource Manager asks (Retry-After of the last status poll), else the interval.
      await pause(retryAfter.take() ?? interval, cancelRequested ? undefined : options.signal);
      if (options.signal?.aborted && !cancelRequested) {
        cancelRequested = true;
        try {
          await client.deployments.cancel(resourceGroup, name);
        } catch (e) {
          // 409: the deployment already finished; its outcome is read below.
          const error = toDeployError(e, `Canceling deployment ${name}`);
          if (error.kind !== 'conflict') throw error;
        }
      }
      try {
        await poller.poll();
      } catch (e) {
        // The poller throws once the operation failed or was canceled: the deployment record says which.
        if (!isLroOutcome(e)) throw toDeployError(e, `Polling deployment ${name}`);
        stopped = true;
      }
    }
    const status = poller.getOperationState().status;
    const state = cancelRequested && status === 'running' ? 'Canceling' : lroState(status);
    try {
      report(state, await listOperations());
    } catch (e) {
      throw toDeployError(e, `Listing the operations of deployment ${name}`);
    }
    if (stopped || poller.isDone()) break;
  }

  let record;
  try {
    record = deploymentRecord(await client.deployments.get(resourceGroup, name));
  } catch (e) {
    throw toDeployError(e, `Reading deployment ${name}`);
  }
  const operations = report(record.state, await listOperations().catch(() => [...known.values()]));
  const state: DeployState = record.state === 'Succeeded' ? 'Succeeded' : record.state === 'Canceled' ? 'Canceled' : 'Failed';
  return {
    deploymentName: name,
    ...(record.id ? { id: record.id } : {}),
    state,
    outputs: record.outputs,
    operations,
    failures: operations.filter((o) => o.state === 'Failed'),
    ...(record.error ? { error: record.error } : {}),
    ...(record.timestamp ? { timestamp: record.timestamp } : {}),
    ...(record.duration ? { duration: record.duration } : {}),
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
  };
}

/** An operation of the SDK's DeploymentOperation. */
export function operationState(
  op: {
    operationId?: string;
    id?: string;
    properties?: {
      provisioningOperation?: string;
      provisioningState?: string;
      timestamp?: Date;
      duration?: string;
      statusCode?: string;
      statusMessage?: { status?: string; error?: unknown };
      targetResource?: { id?: string; resourceType?: string; resourceName?: string };
    };
  },
  design?: Design,
): OperationState {
  const p = op.properties ?? {};
  const target = p.targetResource;
  const nodeId = design && target?.id ? nodeOfResource(design, target.id) : undefined;
  const parts = target?.id ? parseResourceId(target.id) : undefined;
  const scope = parts?.scope ? parseResourceId(parts.scope) : undefined;
  const error = p.statusMessage?.error ? armErrorOf(p.statusMessage.error) : undefined;
  return {
    operationId: op.operationId ?? op.id ?? `${target?.id ?? ''}:${p.provisioningOperation ?? ''}`,
    ...(target?.id ? { resourceId: target.id } : {}),
    ...(target?.resourceType ? { resourceType: target.resourceType } : {}),
    ...(target?.resourceName ? { resourceName: target.resourceName } : {}),
    ...(scope ? { scopeName: scope.names.join('/') } : {}),
    ...(nodeId ? { nodeId } : {}),
    ...(p.provisioningOperation ? { operation: p.provisioningOperation } : {}),
    state: armState(p.provisioningState),
    ...(p.timestamp ? { timestamp: new Date(p.timestamp) } : {}),
    ...(p.duration ? { duration: p.duration } : {}),
    ...(p.statusCode ? { statusCode: p.statusCode } : {}),
    ...(error ? { error } : {}),
  };
}

/** What went wrong, in full: the deployment's error, then each failed resource (type, name, node) with its error. */
export function describeFailure(result: DeployResult): string {
  const lines: string[] = [`Deployment ${result.deploymentName} ${result.state === 'Canceled' ? 'was canceled' : 'failed'}.`];
  for (const f of result.failures) {
    lines.push(`Resource ${f.resourceType ?? '(unknown type)'} ${f.resourceName ?? f.resourceId ?? f.operationId}${f.scopeName ? ` on ${f.scopeName}` : ''}${f.nodeId ? ` (node ${f.nodeId})` : ''} failed${f.statusCode ? ` with ${f.statusCode}` : ''}:`);
    lines.push(f.error ? formatArmError(f.error, '  ') : '  (Resource Manager gave no error for it)');
  }
  if (result.error) {
    lines.push("Resource Manager's error for the deployment:");
    lines.push(formatArmError(result.error, '  '));
  }
  return `${lines.join('\n')}\n`;
}

function lroState(status: string): string {
  return armState(status);
}

/** The poller's errors for an operation that ended unsuccessfully (not a failed request). */
function isLroOutcome(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || 'statusCode' in e) return false;
  const message = e instanceof Error ? e.message : '';
  return /long-running operation has failed|Operation was canceled|operation was canceled/i.test(message);
}
