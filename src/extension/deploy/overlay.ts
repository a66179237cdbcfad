/**
 * What a deployment draws on the canvas (the `deployment` message): what-if's change per node with its readable
 * lines, then each node's state while Resource Manager deploys, then the outcome with the failed resources'
 * errors in full. Pure: built from src/deploy's results, tested without VS Code.
 */
import type { DeployProgress, DeployResult, OperationState } from '../../deploy/deploy.js';
import { formatArmError } from '../../deploy/errors.js';
import { formatWhatIf, whatIfFailed, type ResourceChange, type WhatIfSummary } from '../../deploy/what-if-summary.js';
import type { HostMessage, NodeDeployment } from '../../schemas/messages.js';

export type DeploymentOverlay = Extract<HostMessage, { type: 'deployment' }>;
type NodeState = NonNullable<NodeDeployment['state']>;

/** The counts line of a what-if ("What-if: 31 to create, 2 to modify."). */
export function whatIfTotals(summary: WhatIfSummary): string {
  if (whatIfFailed(summary)) return `What-if failed${summary.error ? `: ${summary.error.code}: ${summary.error.message.replace(/\s+/g, ' ').trim()}` : '.'}`;
  const lines = formatWhatIf({ ...summary, changes: [], error: undefined } as WhatIfSummary).trim().split('\n');
  return lines[lines.length - 1]!;
}

/** The lines of a node's resources, as the what-if text shows them (without the totals line). */
function nodeLines(summary: WhatIfSummary, resources: readonly ResourceChange[]): string[] {
  const text = formatWhatIf({ ...summary, status: 'Succeeded', changes: resources, error: undefined } as WhatIfSummary, { all: true });
  return text.trimEnd().split('\n').slice(0, -1).slice(0, 500);
}

export function whatIfOverlay(summary: WhatIfSummary, target: string): DeploymentOverlay {
  const nodes: Record<string, NodeDeployment> = {};
  for (const n of summary.nodes) nodes[n.nodeId] = { change: n.change, details: nodeLines(summary, n.resources), total: n.resources.length };
  // A failed what-if says so, with Resource Manager's error, in the banner: nothing on the canvas reads as "no change".
  return { type: 'deployment', phase: 'whatIf', title: whatIfTotals(summary).replace(/\.$/, '').slice(0, 1000), target, nodes };
}

const FINAL = new Set(['Succeeded', 'Failed', 'Canceled']);

/** One node's state from its operations: failed wins, then running, then canceled; succeeded once all succeeded. */
function foldState(operations: readonly OperationState[]): NodeState {
  if (operations.some((o) => o.state === 'Failed')) return 'failed';
  if (operations.some((o) => !FINAL.has(o.state))) return 'running';
  if (operations.some((o) => o.state === 'Canceled')) return 'canceled';
  return 'succeeded';
}

function failureText(o: OperationState): string {
  const head = `${o.resourceType ?? '(unknown type)'} ${o.resourceName ?? o.resourceId ?? o.operationId}${o.scopeName ? ` on ${o.scopeName}` : ''} failed${o.statusCode ? ` with ${o.statusCode}` : ''}:`;
  return `${head}\n${o.error ? formatArmError(o.error, '  ') : '  (Resource Manager gave no error for it)'}`;
}

/**
 * The canvas while deploying (and after): every node that what-if said would change starts `waiting`; each
 * operation ARM reports moves its node on. `total` is the larger of what-if's count and the operations seen.
 */
export function progressOverlay(
  progress: Pick<DeployProgress, 'deploymentName' | 'state' | 'operations'>,
  summary: WhatIfSummary | undefined,
  target: string,
  phase: DeploymentOverlay['phase'] = 'deploying',
): DeploymentOverlay {
  const byNode = new Map<string, OperationState[]>();
  for (const o of progress.operations) {
    if (!o.nodeId) continue;
    const list = byNode.get(o.nodeId) ?? [];
    list.push(o);
    byNode.set(o.nodeId, list);
  }
  const nodes: Record<string, NodeDeployment> = {};
  for (const n of summary?.nodes ?? []) {
    if (n.change === 'noChange' || n.change === 'ignore') continue;
    nodes[n.nodeId] = { change: n.change, state: 'waiting', done: 0, total: n.resources.length };
  }
  for (const [nodeId, ops] of byNode) {
    const state = foldState(ops);
    const done = ops.filter((o) => FINAL.has(o.state)).length;
    const before = nodes[nodeId];
    const failures = ops.filter((o) => o.state === 'Failed');
    nodes[nodeId] = {
      ...(before?.change ? { change: before.change } : {}),
      state,
      done,
      total: Math.max(before?.total ?? 0, ops.length),
      ...(failures.length ? { error: failures.map(failureText).join('\n').slice(0, 100_000) } : {}),
    };
  }
  if (phase === 'canceled') {
    for (const n of Object.values(nodes)) if (n.state === 'waiting' || n.state === 'running') (n as { state: NodeState }).state = 'canceled';
  }
  const all = progress.operations.filter((o) => o.resourceName || o.resourceType);
  const done = all.filter((o) => FINAL.has(o.state)).length;
  const failed = all.filter((o) => o.state === 'Failed').length;
  const title =
    phase === 'deploying'
      ? `Deploying ${progress.deploymentName}: ${progress.state}, ${done} of ${all.length} resource operations done${failed ? `, ${failed} failed` : ''}`
      : `Deployment ${progress.deploymentName} ${phase === 'succeeded' ? 'succeeded' : phase === 'failed' ? `failed${failed ? `: ${failed} resource${failed === 1 ? '' : 's'} failed` : ''}` : 'was canceled'}`;
  return { type: 'deployment', phase, title, target, nodes };
}

/** The final overlay of a deployment. */
export function resultOverlay(result: DeployResult, summary: WhatIfSummary | undefined, target: string): DeploymentOverlay {
  const phase = result.state === 'Succeeded' ? 'succeeded' : result.state === 'Canceled' ? 'canceled' : 'failed';
  const overlay = progressOverlay({ deploymentName: result.deploymentName, state: result.state, operations: result.operations }, summary, target, phase);
  if (phase === 'failed' && result.failures.length === 0 && result.error) {
    return { ...overlay, title: `${overlay.title}: ${result.error.code}: ${result.error.message}`.slice(0, 1000) };
  }
  return overlay;
}
