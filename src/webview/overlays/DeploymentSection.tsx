/**
 * The inspector's "Deployment" section for the selected node: its marker in words, the deployment's title, and
 * what-if's lines or Resource Manager's error in full, as selectable text.
 *
 * Test ids: inspector-deployment, inspector-deployment-summary, inspector-deployment-details,
 * inspector-deployment-error.
 */
import { MARKERS, PHASE_TITLES, type DeploymentOverlay, type NodeDeploymentView } from './deployment.js';
import './overlays.css';

export function DeploymentSection({ overlay, view }: { overlay: DeploymentOverlay; view: NodeDeploymentView }) {
  return (
    <section className="gw-overlay-section" data-testid="inspector-deployment" aria-label="Deployment">
      <h3 className="gw-section">Deployment</h3>
      <p className={`gw-overlay-summary gw-marker-${view.kind}`} data-testid="inspector-deployment-summary">
        <span aria-hidden="true">{view.symbol}</span> {view.summary[0]!.toUpperCase() + view.summary.slice(1)}
        {view.state && view.change ? ` (what-if: ${MARKERS[view.change].word})` : ''}
      </p>
      <p className="gw-help">
        {PHASE_TITLES[overlay.phase]}: {overlay.title}
        {overlay.target ? ` (${overlay.target})` : ''}
      </p>
      {view.error ? (
        <>
          <h4 className="gw-overlay-subtitle">Error from Resource Manager</h4>
          <pre className="gw-overlay-text gw-overlay-error" data-testid="inspector-deployment-error" tabIndex={0} aria-label="Deployment error">
            {view.error}
          </pre>
        </>
      ) : null}
      {view.details.length > 0 ? (
        <>
          <h4 className="gw-overlay-subtitle">Changes</h4>
          <pre className="gw-overlay-text" data-testid="inspector-deployment-details" tabIndex={0} aria-label="What-if changes">
            {view.details.join('\n')}
          </pre>
        </>
      ) : null}
    </section>
  );
}
