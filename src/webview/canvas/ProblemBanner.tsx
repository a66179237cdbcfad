/**
 * The banners over the canvas: while the YAML does not parse (where, what, and that the canvas is read-only
 * meanwhile), and when the host refused an edit (what and why; the canvas has taken its effect back).
 */
import type { Refusal, ViewState } from '../store.js';
import { TEST_IDS } from '../test-ids.js';

export function ProblemBanner({ problem, onOpenText }: { problem: NonNullable<ViewState['problem']>; onOpenText(): void }) {
  return (
    <div className="gwc-banner" role="alert" data-testid={TEST_IDS.problemBanner}>
      <strong>{problem.line ? `Line ${problem.line}${problem.column ? `, column ${problem.column}` : ''}: ` : ''}</strong>
      {problem.message}
      <span className="gwc-banner__note">
        {problem.stale ? ' The canvas shows the last version that parsed and is read-only until the text is fixed.' : ' The canvas is read-only until the text is fixed.'}
      </span>
      <button type="button" className="gwc-link" onClick={onOpenText}>
        Open as text
      </button>
    </div>
  );
}

export function RefusalBanner({ refusal, onDismiss }: { refusal: Refusal; onDismiss(): void }) {
  return (
    <div className="gwc-banner" role="alert" data-testid={TEST_IDS.refusalBanner}>
      <strong>{`Not applied: ${refusal.label}. `}</strong>
      {refusal.reason}
      <span className="gwc-banner__note"> The canvas shows the design without it.</span>
      <button type="button" className="gwc-link" onClick={onDismiss} data-testid={TEST_IDS.refusalDismiss}>
        Close
      </button>
    </div>
  );
}
