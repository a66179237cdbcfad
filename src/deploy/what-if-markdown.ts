/**
 * A what-if as Markdown, for a pipeline's job summary (GitHub's $GITHUB_STEP_SUMMARY,
 * https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary): a heading
 * with the design and the target, one table per changed design node (each changed resource, and for a modify the
 * property paths that change; the node's unchanged resources folded under it), the nodes without a change folded
 * into one section, the resources of no node, and the totals. It never shows a property's value, before or after,
 * nor a parameter: a summary page is read by everyone who can read the run, and a value may be secret. Every text that
 * comes from the design or from Azure is escaped (see markdownText). Pure.
 */
import { prose } from '../generators/prose.js';
import type { Design } from '../schemas/design.js';
import { CHANGE_KINDS, CHANGE_LABEL, whatIfFailed, type ChangeKind, type ResourceChange, type WhatIfSummary } from './what-if-summary.js';

/** Where the what-if ran, as the summary names it. */
export interface WhatIfMarkdownTarget {
  /** The design's metadata.name. */
  readonly designName: string;
  /** The design file as the user named it. */
  readonly file: string;
  readonly subscriptionId: string;
  /** The subscription's display name, when Resource Manager gave one. */
  readonly subscriptionName?: string;
  readonly resourceGroup: string;
  /** False when the resource group does not exist yet (the what-if previews it as new). */
  readonly resourceGroupExists: boolean;
  /** The resource group's region (or the region it would be created in). */
  readonly location: string;
}

/** The changes that make a what-if "drift": something would be created, modified or deleted. */
export const DRIFT_KINDS: readonly ChangeKind[] = ['create', 'modify', 'delete'];

/** How many resources the what-if would create, modify or delete. */
export function driftCount(summary: Pick<WhatIfSummary, 'counts'>): number {
  return DRIFT_KINDS.reduce((n, k) => n + summary.counts[k], 0);
}

/** At most this many changed property paths are listed for one resource; the rest are counted. */
const MAX_PATHS = 25;

/**
 * Text from the design or from Azure as inline Markdown that renders as itself: the characters that would start
 * emphasis, a code span, a link or image, strikethrough, math or a table cell (`\ * _ [ ] ` ~ $ |`) are
 * backslash-escaped (https://spec.commonmark.org/0.31.2/#backslash-escapes; a pipe inside a table cell,
 * https://github.github.com/gfm/#tables-extension-), then prose() puts it on one line, escapes control characters and
 * writes < > & as entity references so that no raw HTML gets through.
 */
export function markdownText(text: string): string {
  return prose(text.replace(/[\\`*_[\]~$|]/g, '\\$&'));
}

export function whatIfMarkdown(summary: WhatIfSummary, target: WhatIfMarkdownTarget, design?: Pick<Design, 'nodes'>): string {
  const out: string[] = [];
  out.push(`## Gatewright what-if: ${markdownText(target.designName)}`, '');
  const subscription = target.subscriptionName && target.subscriptionName !== target.subscriptionId ? `${markdownText(target.subscriptionName)} (${markdownText(target.subscriptionId)})` : markdownText(target.subscriptionId);
  out.push(
    `- Design: ${markdownText(target.file)}`,
    `- Subscription: ${subscription}`,
    `- Resource group: ${markdownText(target.resourceGroup)}${target.resourceGroupExists ? '' : ' (does not exist yet: previewed as new, not created)'}`,
    `- Region: ${markdownText(target.location)}`,
    '',
  );
  if (whatIfFailed(summary)) {
    out.push(`**What-if failed**: Resource Manager could not say what the deployment would change.`, '');
    if (summary.error) out.push(`${markdownText(summary.error.code)}: ${markdownText(summary.error.message)}`, '');
    return `${out.join('\n')}\n`;
  }
  const drift = driftCount(summary);
  out.push(drift > 0 ? `**Changes: ${drift} ${drift === 1 ? 'resource' : 'resources'} to create, modify or delete.**` : '**No changes**: nothing to create, modify or delete.', '');

  const types = new Map((design?.nodes ?? []).map((n) => [n.id, n.type]));
  const order = new Map((design?.nodes ?? []).map((n, i) => [n.id, i]));
  const nodes = [...summary.nodes].sort((a, b) => (order.get(a.nodeId) ?? Infinity) - (order.get(b.nodeId) ?? Infinity) || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  // A reviewer reads what changes: nodes with a change first, each with its changed resources in a table (the
  // resources it leaves alone folded under it); the nodes with no change at all folded into one block at the end
  // (<details> renders as a collapsed section on GitHub and Azure DevOps).
  const heading = (node: (typeof nodes)[number]): string => {
    const type = types.get(node.nodeId);
    return `### Node ${markdownText(node.nodeId)}${type ? ` (${markdownText(type)})` : ''}: ${CHANGE_LABEL[node.change]}`;
  };
  const quiet = (r: ResourceChange): boolean => !DRIFT_KINDS.includes(r.change);
  const changed = nodes.filter((n) => n.resources.some((r) => !quiet(r)));
  const unchanged = nodes.filter((n) => !changed.includes(n));
  for (const node of changed) {
    out.push(heading(node), '');
    out.push(...table(node.resources.filter((r) => !quiet(r))), '');
    const rest = node.resources.filter(quiet);
    if (rest.length) out.push(...folded(`${rest.length} more ${rest.length === 1 ? 'resource' : 'resources'} of this node without a change`, [...table(rest), '']));
  }
  if (unchanged.length) {
    const body: string[] = [];
    for (const node of unchanged) body.push(heading(node), '', ...table(node.resources), '');
    out.push(...folded(`${unchanged.length} ${unchanged.length === 1 ? 'node' : 'nodes'} without a change: ${unchanged.map((n) => markdownText(n.nodeId)).join(', ')}`, body));
  }
  if (summary.unmapped.length) {
    out.push('### Resources of no design node', '');
    out.push(...table(summary.unmapped), '');
  }
  out.push('### Totals', '', '| change | resources |', '| --- | ---: |');
  for (const k of CHANGE_KINDS) if (summary.counts[k] > 0) out.push(`| ${CHANGE_LABEL[k]} | ${summary.counts[k]} |`);
  out.push(`| **all** | **${summary.changes.length}** |`, '');
  return `${out.join('\n')}\n`;
}

/** A collapsed section: its summary line, then the body (blank lines around so Markdown inside still renders). */
function folded(summary: string, body: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '</details>', ''];
}

function table(resources: readonly ResourceChange[]): string[] {
  const rows = ['| change | resource type | name | changed properties |', '| --- | --- | --- | --- |'];
  for (const r of resources) {
    const name = `${markdownText(r.name)}${r.scopeName ? ` on ${markdownText(r.scopeName)}` : ''}`;
    rows.push(`| ${CHANGE_LABEL[r.change]} | ${markdownText(r.type)} | ${name} | ${changedPaths(r)} |`);
  }
  return rows;
}

/** The paths of the properties a modify changes (never their values); a dash for the other changes. */
function changedPaths(r: ResourceChange): string {
  if (r.change === 'unsupported' && r.unsupportedReason) return markdownText(r.unsupportedReason);
  const paths = r.properties.filter((p) => p.kind !== 'noEffect').map((p) => `${markdownText(p.path)}${p.kind === 'create' ? ' (added)' : p.kind === 'delete' ? ' (removed)' : ''}`);
  if (paths.length === 0) return '—';
  const shown = paths.slice(0, MAX_PATHS).join('<br>');
  return paths.length > MAX_PATHS ? `${shown}<br>… and ${paths.length - MAX_PATHS} more` : shown;
}
