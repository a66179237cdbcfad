/**
 * The nodes and edges React Flow draws. Nodes are React Flow's to change while dragging and measuring, and are
 * rebuilt (reusing unchanged objects) whenever the design, the positions, the findings, the selection or an overlay
 * changes; overlays are computed when a state or an overlay message arrives, never while drawing. Nodes and edges
 * an intent not answered by the host yet adds or changes are marked pending (class gwc-pending, data-pending).
 */
import { useCallback, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { Design, Position } from '../../schemas/design.js';
import { buildFlowEdges, buildFlowNodes, findingCounts, NODE_HEIGHT, NODE_WIDTH, onlyAppendedUnnamed, sameItems, selectionSets, type ArchFlowEdge, type ArchFlowNode } from '../graph.js';
import type { Size } from '../layout.js';
import { expiryBadges, type ExpiryBadge, type ExpiryBadges } from '../overlays/expiry.js';
import { resolvePositions, type ViewState } from '../store.js';
import { createNodeSizer } from './node-size.js';
import { markPending, sizeUnmeasured } from './pending.js';

const PROVISIONAL_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };

const NO_EXPIRY: ExpiryBadges = { nodes: new Map(), edges: new Map() };

export interface FlowElements {
  readonly nodes: ArchFlowNode[];
  readonly setNodes: Dispatch<SetStateAction<ArchFlowNode[]>>;
  readonly edges: ArchFlowEdge[];
  /** The edges as last drawn, for handlers that must not change with them. */
  readonly edgesRef: { readonly current: ArchFlowEdge[] };
  readonly expiry: ExpiryBadges;
  /** Where nodes are drawn now (including a drag in progress or nodes placed provisionally). */
  drawnPositions(): Map<string, Position>;
  /** The sizes React Flow measured, by node id. */
  measuredSizes(): Map<string, Size>;
}

/** True when any input differs from the one the elements were last built from. */
const changed = (inputs: readonly unknown[], from: readonly unknown[]) => inputs.some((v, i) => v !== from[i]);

export function useFlowElements(state: ViewState, hideControlPlane: boolean): FlowElements {
  const design = state.design;
  const positions = useMemo(
    () => resolvePositions({ design: state.design, pending: state.pending, auto: state.auto }),
    [state.design, state.pending, state.auto],
  );
  const counts = useMemo(() => findingCounts(state.drawnFindings), [state.drawnFindings]);
  const sel = useMemo(() => selectionSets(state.selection), [state.selection]);
  // Expiry badges read the design's nodes, edges and certificates: a move keeps them (and the edges built on them).
  const designNodes = design?.nodes;
  const designEdges = design?.edges;
  const designCertificates = design?.certificates;
  // The same maps while the badges are the same (an added or changed node that uses no certificate at risk): the
  // nodes and edges built from them are not built again.
  const lastExpiry = useRef<ExpiryBadges>(NO_EXPIRY);
  const expiry = useMemo(() => {
    const next =
      designNodes && designEdges && designCertificates
        ? expiryBadges({ nodes: designNodes, edges: designEdges, certificates: designCertificates }, state.certificateExpiry, new Date())
        : NO_EXPIRY;
    const last = lastExpiry.current;
    const nodes = sameBadges(last.nodes, next.nodes) ? last.nodes : next.nodes;
    const edges = sameBadges(last.edges, next.edges) ? last.edges : next.edges;
    lastExpiry.current = nodes === last.nodes && edges === last.edges ? last : { nodes, edges };
    return lastExpiry.current;
  }, [designNodes, designEdges, designCertificates, state.certificateExpiry]);
  // The design's nodes as the edges see them: the same array after an intent that only adds nodes no edge names
  // (an add from the palette), so that every edge is not built again for a node none of them touches.
  const edgeNodesFrom = useRef<{ nodes: Design['nodes']; edges: Design['edges'] } | undefined>(undefined);
  let edgeNodes = designNodes;
  const lastEdgeNodes = edgeNodesFrom.current;
  if (designNodes && designEdges && lastEdgeNodes && lastEdgeNodes.edges === designEdges && onlyAppendedUnnamed(lastEdgeNodes.nodes, designNodes, designEdges)) {
    edgeNodes = lastEdgeNodes.nodes;
  } else if (designNodes && designEdges) {
    edgeNodesFrom.current = { nodes: designNodes, edges: designEdges };
  }
  const deployedNodes = state.deployment?.nodes;
  const rehearsedEdges = state.rehearsal?.edges;
  const tracedNodes = state.trace?.nodes;
  const tracedEdges = state.trace?.edges;

  // Node sizes worked out from their texts, so that React Flow draws the nodes at once (node-size.ts); the font is
  // read once, when the first design is drawn.
  const sizer = useRef<{ size: ReturnType<typeof createNodeSizer> } | undefined>(undefined);
  if (design && !sizer.current) sizer.current = { size: createNodeSizer(getComputedStyle(document.body).fontFamily) };
  const size = sizer.current?.size;
  const [nodes, setNodes] = useState<ArchFlowNode[]>([]);
  const [nodesFrom, setNodesFrom] = useState<readonly unknown[]>([]);
  const marks = state.marks;
  const nodeInputs = [design, positions, counts, sel.nodes, deployedNodes, expiry.nodes, tracedNodes, marks.nodes];
  if (changed(nodeInputs, nodesFrom)) {
    setNodesFrom(nodeInputs);
    const next = design
      ? sizeUnmeasured(
          markPending(buildFlowNodes({ design, positions, counts, selected: sel.nodes, deployment: deployedNodes, expiry: expiry.nodes, trace: tracedNodes, ...(size ? { size } : {}) }, nodes), marks.nodes),
          marks.nodes,
          PROVISIONAL_SIZE,
        )
      : [];
    // The same nodes (an intent no node shows, such as a new edge): the same array, and nothing downstream redone.
    if (!sameItems(next, nodes)) setNodes(next);
  }
  const [edges, setEdges] = useState<ArchFlowEdge[]>([]);
  const [edgesFrom, setEdgesFrom] = useState<readonly unknown[]>([]);
  // Edges read the design's nodes, edges, certificates and metadata, not its layout: a move leaves them alone.
  const edgeInputs = [edgeNodes, design?.edges, design?.certificates, design?.metadata, counts, sel.edges, hideControlPlane, rehearsedEdges, expiry.edges, tracedEdges, marks.edges];
  if (changed(edgeInputs, edgesFrom)) {
    setEdgesFrom(edgeInputs);
    const next = design
      ? markPending(buildFlowEdges({ design, counts, selected: sel.edges, hideControlPlane, rehearsal: rehearsedEdges, expiry: expiry.edges, trace: tracedEdges }, edges), marks.edges)
      : [];
    if (!sameItems(next, edges)) setEdges(next);
  }
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const edgesRef = useRef(edges);
  edgesRef.current = edges;

  const drawnPositions = useCallback(() => new Map(nodesRef.current.map((n) => [n.id, n.position])), []);
  const measuredSizes = useCallback(() => {
    const sizes = new Map<string, Size>();
    for (const n of nodesRef.current) if (n.measured?.width && n.measured.height) sizes.set(n.id, { width: n.measured.width, height: n.measured.height });
    return sizes;
  }, []);

  return { nodes, setNodes, edges, edgesRef, expiry, drawnPositions, measuredSizes };
}

/** Whether two badge maps show the same badges. */
function sameBadges(a: ReadonlyMap<string, ExpiryBadge>, b: ReadonlyMap<string, ExpiryBadge>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, x] of b) {
    const y = a.get(id);
    if (!y || y.status !== x.status || y.text !== x.text || y.lines.length !== x.lines.length || y.lines.some((l, i) => l !== x.lines[i])) return false;
  }
  return true;
}

