/**
 * The toolbar above the canvas: view (fit, zoom), automatic layout, and the Gatewright commands the host
 * runs on this design (export, open as text, generate, validate; then development certificates, rehearsal,
 * what-if, deploy and the deployment history, whose results the host draws over the canvas).
 */
import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import { memo } from 'react';
import { TEST_IDS } from './test-ids.js';

export type ToolbarAction =
  | 'fit'
  | 'zoomIn'
  | 'zoomOut'
  | 'layout'
  | 'toggleControlPlane'
  | 'connect'
  | 'exportDiagram'
  | 'openText'
  | 'generate'
  | 'validate'
  | 'createDevCertificates'
  | 'rehearse'
  | 'whatIf'
  | 'deploy'
  | 'deploymentHistory'
  | 'showFindings';

interface Button {
  readonly action: ToolbarAction;
  readonly text: string;
  readonly label: string;
  readonly testId: string;
  /** Disabled while the text does not parse (the host would refuse the edit). */
  readonly edits?: boolean;
  readonly primary?: boolean;
}

const VIEW: readonly Button[] = [
  { action: 'fit', text: 'Fit', label: 'Fit the diagram in view', testId: 'toolbar-fit' },
  { action: 'zoomIn', text: '+', label: 'Zoom in', testId: 'toolbar-zoom-in' },
  { action: 'zoomOut', text: '−', label: 'Zoom out', testId: 'toolbar-zoom-out' },
  { action: 'layout', text: 'Auto layout', label: 'Lay out every node automatically', testId: 'toolbar-layout', edits: true },
];

const COMMANDS: readonly Button[] = [
  { action: 'exportDiagram', text: 'Export', label: 'Export the diagram as SVG or PNG', testId: 'toolbar-export' },
  { action: 'openText', text: 'Open as text', label: 'Open the YAML text beside the canvas', testId: 'toolbar-open-text' },
  { action: 'validate', text: 'Validate', label: 'Validate the design', testId: 'toolbar-validate' },
  { action: 'generate', text: 'Generate', label: 'Generate Bicep, ingress manifests and policies', testId: 'toolbar-generate', primary: true },
];

const AZURE: readonly Button[] = [
  {
    action: 'createDevCertificates',
    text: 'Dev Certificates',
    label: 'Create development certificates for every certificate the design declares',
    testId: 'toolbar-dev-certificates',
  },
  { action: 'rehearse', text: 'Rehearse', label: 'Rehearse the TLS and mTLS handshakes of the https and mtls edges', testId: 'toolbar-rehearse' },
  { action: 'whatIf', text: 'What-If', label: 'Preview the deployment to Azure (what-if)', testId: 'toolbar-what-if' },
  { action: 'deploy', text: 'Deploy', label: 'Deploy the design to Azure', testId: 'toolbar-deploy' },
  { action: 'deploymentHistory', text: 'History', label: 'Show the deployment history of this design', testId: 'toolbar-history' },
];

export interface ToolbarProps {
  onAction(action: ToolbarAction): void;
  readonly readOnly: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly fileName: string;
  /** Whether diagnostics, protects, siem and secrets edges are hidden. */
  readonly controlPlaneHidden: boolean;
  /** Whether exactly one node is selected (keyboard connection). */
  readonly canConnect: boolean;
}

function ToolbarView({ onAction, readOnly, errors, warnings, fileName, controlPlaneHidden, canConnect }: ToolbarProps) {
  const render = (b: Button) => (
    <VscodeButton
      key={b.action}
      className="gwc-toolbar__button"
      secondary={!b.primary}
      aria-label={b.label}
      title={b.label}
      data-testid={b.testId}
      disabled={b.edits && readOnly}
      onClick={() => onAction(b.action)}
    >
      {b.text}
    </VscodeButton>
  );
  const summary = errors || warnings ? `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}` : 'No problems';
  return (
    <div className="gwc-toolbar" role="toolbar" aria-label="Canvas" data-testid={TEST_IDS.toolbar}>
      <div className="gwc-toolbar__group">
        {VIEW.map(render)}
        <VscodeButton
          className="gwc-toolbar__button"
          secondary
          aria-label="Connect the selected node to another node (C)"
          title="Connect the selected node to another node (C)"
          data-testid="toolbar-connect"
          disabled={!canConnect}
          onClick={() => onAction('connect')}
        >
          Connect…
        </VscodeButton>
        <VscodeButton
          className="gwc-toolbar__button"
          secondary
          aria-pressed={!controlPlaneHidden}
          aria-label="Show monitoring and security edges (diagnostics, protects, siem, secrets)"
          title={`${controlPlaneHidden ? 'Show' : 'Hide'} monitoring and security edges (diagnostics, protects, siem, secrets)`}
          data-testid="toolbar-control-plane"
          onClick={() => onAction('toggleControlPlane')}
        >
          {controlPlaneHidden ? 'Control plane: hidden' : 'Control plane: shown'}
        </VscodeButton>
      </div>
      <div className="gwc-toolbar__file" title={fileName}>
        {fileName.split(/[\\/]/).pop()}
      </div>
      <button
        type="button"
        className={`gwc-toolbar__summary${errors ? ' gwc-toolbar__summary--error' : warnings ? ' gwc-toolbar__summary--warning' : ''}`}
        data-testid={TEST_IDS.findingsSummary}
        aria-label={`${summary}: show findings`}
        onClick={() => onAction('showFindings')}
      >
        {summary}
      </button>
      <div className="gwc-toolbar__group">{COMMANDS.map(render)}</div>
      <div className="gwc-toolbar__group" role="group" aria-label="Certificates, rehearsal and deployment">
        {AZURE.map(render)}
      </div>
    </div>
  );
}

export const Toolbar = memo(ToolbarView);
