/**
 * A deployment drawn on the canvas, as view data: the host's `deployment` message (what-if's change per node,
 * then each node's state while deploying, then the outcome) mapped once, when it arrives, to what every node's
 * marker, tooltip and side-panel section show, and to what the banner says. Every marker carries a symbol and a
 * word besides its color, so no state is told by color alone. Pure; the store keeps the result as view state (it
 * is not part of the design), so nothing here runs while the canvas draws.
 */
import type { HostMessage, NodeDeployment } from '../../schemas/messages.js';

export type DeploymentMessage = Extract<HostMessage, { type: 'deployment' }>;
export type DeploymentPhase = Exclude<DeploymentMessage['phase'], 'clear'>;
export type NodeChange = NonNullable<NodeDeployment['change']>;
export type NodeDeployState = NonNullable<NodeDeployment['state']>;
/** What a node's marker shows: its state while (or after) deploying, else what-if's change. */
export type MarkerKind = NodeChange | NodeDeployState;

/** Most details lines a tooltip lists; the side panel lists them all. */
export const TOOLTIP_DETAIL_LINES = 20;
/** Most characters of an error a tooltip shows; the side panel shows it in full. */
export const TOOLTIP_ERROR_CHARS = 600;

/** The symbol and the word of each marker (the symbols of what-if's text output for the changes). */
export const MARKERS: Readonly<Record<MarkerKind, { readonly symbol: string; readonly word: string }>> = {
  create: { symbol: '+', word: 'create' },
  modify: { symbol: '~', word: 'modify' },
  delete: { symbol: '-', word: 'delete' },
  deploy: { symbol: '!', word: 'redeploy' },
  noChange: { symbol: '=', word: 'no change' },
  ignore: { symbol: '*', word: 'ignored' },
  unsupported: { symbol: '?', word: 'unsupported' },
  waiting: { symbol: '○', word: 'waiting' },
  running: { symbol: '↻', word: 'running' },
  succeeded: { symbol: '✓', word: 'succeeded' },
  failed: { symbol: '✗', word: 'failed' },
  canceled: { symbol: '⊘', word: 'canceled' },
};

const CHANGE_WORDS: Readonly<Record<NodeChange, string>> = {
  create: 'to be created',
  modify: 'to be modified',
  delete: 'to be deleted',
  deploy: 'to be redeployed (what-if cannot tell which properties change)',
  noChange: 'no change',
  ignore: 'ignored by the deployment',
  unsupported: 'not predictable by what-if',
};

export const PHASE_TITLES: Readonly<Record<DeploymentPhase, string>> = {
  whatIf: 'What-if',
  deploying: 'Deploying',
  succeeded: 'Deployed',
  failed: 'Deployment failed',
  canceled: 'Deployment canceled',
};

/** What one node shows for a deployment. */
export interface NodeDeploymentView {
  readonly kind: MarkerKind;
  /** The text of the marker on the node: "+ create", "↻ running 2/5", "✗ failed 1/3": the symbol, then the label. */
  readonly text: string;
  readonly symbol: string;
  readonly label: string;
  /** The marker in words, for screen readers and the tooltip: "what-if: to be modified". */
  readonly summary: string;
  readonly change?: NodeChange;
  readonly state?: NodeDeployState;
  readonly done?: number;
  readonly total?: number;
  /** What-if's lines, in full ("~ properties.sku.capacity: 2 -> 3"). */
  readonly details: readonly string[];
  /** Resource Manager's error, in full. */
  readonly error?: string;
  /** The lines the node's tooltip adds: the summary, the details (shortened), the start of the error. */
  readonly tooltip: readonly string[];
}

export interface DeploymentOverlay {
  readonly phase: DeploymentPhase;
  readonly title: string;
  readonly target?: string;
  /** Only the nodes the message names; other nodes get no marker. */
  readonly nodes: ReadonlyMap<string, NodeDeploymentView>;
  /** Nodes whose deployment failed (state failed, or an error), in the message's order. */
  readonly failed: readonly string[];
  /** Operations done out of all, summed over the nodes, when the message counts them. */
  readonly progress?: { readonly done: number; readonly total: number };
}

function countText(entry: NodeDeployment): string {
  return entry.total !== undefined ? ` ${Math.min(entry.done ?? 0, entry.total)}/${entry.total}` : '';
}

/** The view of one node's entry, or undefined when it says nothing to draw (no change, state or error). */
export function nodeDeploymentView(entry: NodeDeployment): NodeDeploymentView | undefined {
  const state: NodeDeployState | undefined = entry.state ?? (entry.error ? 'failed' : undefined);
  const kind: MarkerKind | undefined = state ?? entry.change;
  if (!kind) return undefined;
  const marker = MARKERS[kind];
  const details = entry.details ?? [];
  const done = entry.total !== undefined ? Math.min(entry.done ?? 0, entry.total) : entry.done;
  let summary: string;
  let label: string;
  if (state) {
    label = `${marker.word}${countText(entry)}`;
    summary = `deployment: ${marker.word}${entry.total !== undefined ? `, ${done} of ${entry.total} operation${entry.total === 1 ? '' : 's'} done` : ''}`;
  } else {
    label = marker.word;
    summary = `what-if: ${CHANGE_WORDS[entry.change!]}`;
  }
  const tooltip = [summary];
  if (state && entry.change) tooltip.push(`what-if: ${CHANGE_WORDS[entry.change]}`);
  tooltip.push(...details.slice(0, TOOLTIP_DETAIL_LINES));
  if (details.length > TOOLTIP_DETAIL_LINES) tooltip.push(`… ${details.length - TOOLTIP_DETAIL_LINES} more (select the node to see them all)`);
  if (entry.error) {
    const short = entry.error.length > TOOLTIP_ERROR_CHARS ? `${entry.error.slice(0, TOOLTIP_ERROR_CHARS - 1)}…` : entry.error;
    tooltip.push(`error: ${short}`);
    if (short !== entry.error) tooltip.push('(select the node to read the whole error)');
  }
  return {
    kind,
    text: `${marker.symbol} ${label}`,
    symbol: marker.symbol,
    label,
    summary,
    ...(entry.change ? { change: entry.change } : {}),
    ...(state ? { state } : {}),
    ...(done !== undefined ? { done } : {}),
    ...(entry.total !== undefined ? { total: entry.total } : {}),
    details,
    ...(entry.error ? { error: entry.error } : {}),
    tooltip,
  };
}

/** The overlay a `deployment` message draws; undefined for `clear`. */
export function deploymentOverlay(message: DeploymentMessage): DeploymentOverlay | undefined {
  if (message.phase === 'clear') return undefined;
  const nodes = new Map<string, NodeDeploymentView>();
  const failed: string[] = [];
  let done = 0;
  let total = 0;
  let counted = false;
  for (const [id, entry] of Object.entries(message.nodes)) {
    const view = nodeDeploymentView(entry);
    if (!view) continue;
    nodes.set(id, view);
    if (view.kind === 'failed') failed.push(id);
    if (view.total !== undefined) {
      counted = true;
      total += view.total;
      done += view.done ?? 0;
    }
  }
  return {
    phase: message.phase,
    title: message.title,
    ...(message.target ? { target: message.target } : {}),
    nodes,
    failed,
    ...(counted ? { progress: { done, total } } : {}),
  };
}

/** "12 of 31 operations done", or undefined without counts. */
export function describeProgress(overlay: DeploymentOverlay): string | undefined {
  const p = overlay.progress;
  return p ? `${p.done} of ${p.total} operation${p.total === 1 ? '' : 's'} done` : undefined;
}
