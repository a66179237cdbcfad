/**
 * The contract between the canvas (src/webview/App.tsx) and the side panels (Inspector, CertificatesPanel,
 * FindingsPanel in this folder). Each panel is a default-exported React component taking PanelProps.
 */
import type { Design } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditOperation, Path } from '../../schemas/operations.js';
import type { DeploymentOverlay } from '../overlays/deployment.js';
import type { ExpiryBadges } from '../overlays/expiry.js';
import type { RehearsalOverlay } from '../overlays/rehearsal.js';
import type { Selection } from '../selection.js';
import type { TraceOverlay } from '../overlays/trace.js';
import type { WebviewMessage } from '../../schemas/messages.js';
import type { CertificateExpiries } from './cert-tree.js';

export type { Selection };

export interface PanelProps {
  /** The design as last drawn (the last good one while the text has a syntax error). */
  readonly design: Design;
  /** Every finding of the current text, located. */
  readonly findings: readonly Finding[];
  readonly selection: Selection;
  /** Ask the host to apply these operations as one edit (one undo step); `label` names it ("Set sku"). */
  send(ops: EditOperation[], label: string): void;
  /** Change the selection (the canvas selects and centres the element). */
  select(sel: Selection): void;
  /** Show the YAML at this path (from the document root, e.g. ['nodes', 3, 'properties', 'sku']) in the text editor. */
  revealInText(path: Path): void;
  /** What the host draws over the design (a deployment, a rehearsal, certificate expiry), when there is any. */
  readonly overlays?: PanelOverlays;
  /** Ask the host to trace a request path, open a piece of trace evidence, or hide the trace. */
  readonly traceActions?: TraceActions;
}

export type TraceTarget = Extract<WebviewMessage, { type: 'trace' }>['target'];
export type TraceEvidence = Extract<WebviewMessage, { type: 'openEvidence' }>['evidence'];

export interface TraceActions {
  trace(target: TraceTarget): void;
  openEvidence(evidence: TraceEvidence): void;
  dismiss(): void;
}

/** The overlays, for the sections they add to the panels (view state kept by the canvas, not the design). */
export interface PanelOverlays {
  readonly deployment?: DeploymentOverlay | undefined;
  readonly rehearsal?: RehearsalOverlay | undefined;
  readonly trace?: TraceOverlay | undefined;
  /** Expiry badges of the nodes and edges that use a certificate at risk. */
  readonly expiry?: ExpiryBadges | undefined;
  /** When each certificate expires, as the host read it (from its file, or the design). */
  readonly certificateExpiry?: CertificateExpiries | undefined;
}
