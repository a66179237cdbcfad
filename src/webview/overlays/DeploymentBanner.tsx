/**
 * The banner over the top of the canvas while a deployment is drawn: the phase (what-if, deploying, deployed,
 * failed, canceled), the host's one-line title, the target, the operations done, the nodes that failed (each a
 * button that selects the node, whose error the inspector shows), and a close button that hides the overlay here.
 *
 * Test ids: deployment-banner (attribute data-phase), deployment-banner-phase, deployment-banner-title,
 * deployment-banner-target, deployment-banner-progress, deployment-banner-failed-<nodeId>, deployment-banner-close.
 */
import { memo } from 'react';
import { describeProgress, PHASE_TITLES, type DeploymentOverlay } from './deployment.js';
import './overlays.css';
import { TEST_IDS } from '../test-ids.js';

export interface DeploymentBannerProps {
  readonly overlay: DeploymentOverlay;
  onClose(): void;
  onSelectNode(id: string): void;
}

const PHASE_SYMBOLS: Readonly<Record<DeploymentOverlay['phase'], string>> = {
  whatIf: '≟',
  deploying: '↻',
  succeeded: '✓',
  failed: '✗',
  canceled: '⊘',
};

function DeploymentBannerView({ overlay, onClose, onSelectNode }: DeploymentBannerProps) {
  const progress = describeProgress(overlay);
  return (
    <div className={`gwc-deploy-banner gwc-deploy-banner--${overlay.phase}`} role="status" aria-live="polite" data-testid={TEST_IDS.deploymentBanner} data-phase={overlay.phase}>
      <span className="gwc-deploy-banner__phase" data-testid="deployment-banner-phase">
        <span className="gwc-deploy-banner__symbol" aria-hidden="true">
          {PHASE_SYMBOLS[overlay.phase]}
        </span>{' '}
        {PHASE_TITLES[overlay.phase]}
      </span>
      <span className="gwc-deploy-banner__title" data-testid="deployment-banner-title">
        {overlay.title}
      </span>
      {overlay.target ? (
        <span className="gwc-deploy-banner__target" data-testid="deployment-banner-target">
          {overlay.target}
        </span>
      ) : null}
      {progress ? (
        <span className="gwc-deploy-banner__progress" data-testid="deployment-banner-progress">
          {progress}
        </span>
      ) : null}
      {overlay.failed.length > 0 ? (
        <span className="gwc-deploy-banner__failed">
          Failed:{' '}
          {overlay.failed.map((id, i) => (
            <span key={id}>
              {i > 0 ? ', ' : null}
              <button
                type="button"
                className="gwc-link"
                data-testid={`deployment-banner-failed-${id}`}
                aria-label={`Select ${id} to read its error`}
                onClick={() => onSelectNode(id)}
              >
                {id}
              </button>
            </span>
          ))}
        </span>
      ) : null}
      <button
        type="button"
        className="gwc-deploy-banner__close"
        data-testid="deployment-banner-close"
        aria-label="Hide the deployment overlay"
        title="Hide the deployment overlay (the next deployment message shows it again)"
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}

export const DeploymentBanner = memo(DeploymentBannerView);
