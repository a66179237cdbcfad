/** Which findings' fixes a quick-fix request at a range offers. No vscode import. */
import type { Finding } from '../../schemas/finding.js';
import { locationToRange, rangesTouch, type LinePosition } from '../designer/ranges.js';

export type FixableFinding = Finding & { readonly fix: NonNullable<Finding['fix']> };

/**
 * The findings with a fix whose range touches `range` (0-based). A finding without a location is shown on the
 * first line (see toDiagnostic), so it is offered there.
 */
export function fixesAt(findings: readonly Finding[], range: { start: LinePosition; end: LinePosition }): FixableFinding[] {
  const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: Number.MAX_SAFE_INTEGER } };
  return findings.filter((f): f is FixableFinding => f.fix !== undefined && rangesTouch(f.location ? locationToRange(f.location) : firstLine, range));
}
