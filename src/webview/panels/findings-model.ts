/**
 * The findings panel's model: findings grouped by severity with counts, the filter, locations as
 * line:column, and what an entry selects or reveals. Pure: no React, no DOM.
 */
import type { Design } from '../../schemas/design.js';
import type { Finding, Severity } from '../../schemas/finding.js';
import type { Path } from '../../schemas/operations.js';
import { elementPath, findElement, type SelectionItem } from './form-model.js';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface FindingEntry {
  readonly finding: Finding;
  /** Position in the findings as sent (stable while the state does not change). */
  readonly index: number;
}

export interface FindingGroup {
  readonly severity: Severity;
  /** Findings of this severity that pass the filter. */
  readonly entries: readonly FindingEntry[];
  /** Findings of this severity, filtered or not. */
  readonly total: number;
}

/** "12:5", or '' when the finding has no location. */
export function formatLocation(finding: Finding): string {
  return finding.location ? `${finding.location.line}:${finding.location.column}` : '';
}

/** The words a finding can be found by: rule id, severity, message, target and location. */
function haystack(finding: Finding): string {
  const target = finding.target.id ? `${finding.target.kind} ${finding.target.id}` : finding.target.kind;
  return `${finding.ruleId} ${finding.severity} ${finding.message} ${target} ${formatLocation(finding)}`.toLowerCase();
}

/** Whether a finding passes the filter: every word of it appears (case-insensitive) somewhere in the finding. */
export function matchesFilter(finding: Finding, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = haystack(finding);
  return words.every((w) => text.includes(w));
}

/** The findings by severity (errors, warnings, infos; each in the order sent), with counts before and after filtering. */
export function groupFindings(findings: readonly Finding[], filter = ''): FindingGroup[] {
  const groups = new Map<Severity, { entries: FindingEntry[]; total: number }>(SEVERITIES.map((s) => [s, { entries: [], total: 0 }]));
  findings.forEach((finding, index) => {
    const group = groups.get(finding.severity);
    if (!group) return;
    group.total++;
    if (matchesFilter(finding, filter)) group.entries.push({ finding, index });
  });
  return SEVERITIES.map((severity) => ({ severity, ...groups.get(severity)! }));
}

/** "2 errors", "1 warning", "no infos". */
export function countLabel(severity: Severity, n: number): string {
  const word = severity === 'info' ? 'info' : severity;
  return `${n === 0 ? 'no' : n} ${word}${n === 1 ? '' : 's'}`;
}

/** The element a finding is about, to select; undefined for document-level findings. */
export function selectionOf(finding: Finding): SelectionItem | undefined {
  const { kind, id } = finding.target;
  if (kind === 'document' || id === undefined) return undefined;
  return { kind, id };
}

/** Where "Show in text" goes: the finding's own path, else its element, else the top of the file. */
export function revealPathOf(finding: Finding, design: Design | undefined): Path {
  if (finding.path) return finding.path;
  const item = selectionOf(finding);
  return (item && design && elementPath(design, item)) || [];
}

/** Whether a finding is about a selected element. */
export function isSelected(finding: Finding, selection: readonly SelectionItem[]): boolean {
  return selection.some((s) => s.kind === finding.target.kind && s.id === finding.target.id);
}

/**
 * What activating an entry does: select its element when the design has it (the canvas centres it), else
 * (a document-level finding, or an entry the schema left out of the design) show it in the text.
 */
export function openAction(finding: Finding, design: Design | undefined): { kind: 'select'; item: SelectionItem } | { kind: 'reveal'; path: Path } {
  const item = selectionOf(finding);
  if (item && design && findElement(design, item)) return { kind: 'select', item };
  return { kind: 'reveal', path: revealPathOf(finding, design) };
}
