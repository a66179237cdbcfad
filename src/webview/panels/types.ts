/**
 * The contract between the canvas (src/webview/App.tsx) and the side panels (Inspector, CertificatesPanel,
 * FindingsPanel in this folder). Each panel is a default-exported React component taking PanelProps.
 */
import type { Design } from '../../schemas/design.js';
import type { Finding } from '../../schemas/finding.js';
import type { EditOperation, Path } from '../../schemas/operations.js';

/** What is selected on the canvas or in a panel; several elements when the user multi-selects. */
export type Selection = { kind: 'node' | 'edge' | 'certificate'; id: string }[];

export interface PanelProps {
  /** The design as last drawn (the last good one while the text has a syntax error). */
  design: Design;
  /** Every finding of the current text, located. */
  findings: Finding[];
  selection: Selection;
  /** Ask the host to apply these operations as one edit (one undo step); `label` names it ("Set sku"). */
  send(ops: EditOperation[], label: string): void;
  /** Change the selection (the canvas selects and centres the element). */
  select(sel: Selection): void;
  /** Show the YAML at this path (from the document root, e.g. ['nodes', 3, 'properties', 'sku']) in the text editor. */
  revealInText(path: Path): void;
}
