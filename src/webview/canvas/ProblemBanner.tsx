/** The banner over the canvas while the YAML does not parse: where, what, and that the canvas is read-only meanwhile. */
import type { ViewState } from '../store.js';
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
