/**
 * The designer canvas: toolbar, palette, React Flow canvas and side panels. It renders the state the host
 * sends and answers with intents (edit operations); it never owns the design.
 *
 * Stable hooks for the browser tests (data-testid unless said otherwise):
 *   toolbar                        the toolbar (role toolbar "Canvas")
 *   toolbar-fit, toolbar-zoom-in, toolbar-zoom-out, toolbar-layout,
 *   toolbar-export, toolbar-open-text, toolbar-validate, toolbar-generate,
 *   toolbar-dev-certificates, toolbar-rehearse, toolbar-what-if, toolbar-deploy, toolbar-history
 *                                  its buttons (aria-labels: "Fit the diagram in view", "Zoom in", "Zoom out",
 *                                  "Lay out every node automatically", "Export the diagram as SVG or PNG",
 *                                  "Open the YAML text beside the canvas", "Validate the design",
 *                                  "Generate Bicep, ingress manifests and policies", ...; the last five post the
 *                                  commands createDevCertificates, rehearse, whatIf, deploy, deploymentHistory)
 *   findings-summary               "N errors, M warnings" button (opens the Findings tab)
 *   problem-banner                 role alert: the YAML does not parse (message and line); the canvas is read-only
 *   palette                        the palette (nav "Components"); palette-search: its search field
 *   palette-item-<nodeType>        a palette entry (role button, aria-label "Add <Title>"): drag it onto
 *                                  canvas, or focus it and press Enter
 *   canvas                         the canvas area (drop target); canvas-empty: hint shown with no nodes
 *   rf__node-<id>                  React Flow's node element, the node's box (aria-label "API Management apim:
 *                                  2 errors"; focusable with Tab; classes .selected, gwc-node--error / --warning)
 *   node-<id>                      the node's texts (data-node-type; title = full text); node-<id>-errors and
 *                                  node-<id>-warnings: the finding badges
 *   rf__edge-<id>                  React Flow's edge group (aria-label "mTLS edge apim-aks from apim to aks");
 *                                  class gwc-edge--error / gwc-edge--warning on its path when it has findings
 *   edge-label-<id>                label of an https / mtls / privateLink edge (lock, certificate, CA, zone)
 *   node-<id>-deployment           a node's deployment marker (data-kind: create | modify | delete | deploy |
 *                                  noChange | ignore | unsupported | waiting | running | succeeded | failed |
 *                                  canceled; text "+ create", "↻ running 2/5"; title: the details and the error)
 *   node-<id>-expiry, edge-<id>-expiry   certificate expiry badge (data-status warning | error; title per certificate)
 *   edge-<id>-rehearsal            rehearsal badge of an https / mtls edge ("✓ 4/4", "✗ 1 of 4 failed"; data-status
 *                                  pass | fail; its SVG title lists the cases)
 *   deployment-banner              the deployment over the canvas (ids: overlays/DeploymentBanner.tsx)
 *   connect-menu                   edge type menu (role menu) when several types fit; connect-option-<type>
 *   cert-picker                    client certificate choice for a new mTLS edge (role dialog);
 *                                  cert-option-<certId>, cert-new-id (text field), cert-create; connect-cancel
 *   canvas-status                  role status: last action or why a connection was refused
 *   side-panel                     the side area; tab-inspector, tab-certificates, tab-findings (role tab);
 *                                  panel-inspector, panel-certificates, panel-findings (role tabpanel)
 *   rf__minimap                    the minimap
 *   toolbar-connect                "Connect…": connect the selected node with the keyboard (also the C key)
 *   target-menu                    the nodes it can connect to (role dialog); target-filter, target-option-<id>
 *   toolbar-control-plane          toggles the monitoring and security edges (aria-pressed)
 *
 * Keyboard: Tab focuses nodes; Enter/Space selects; C connects the selected node (pick the target in a menu);
 * arrow keys move the selection by 10px (Shift: 50px) and send one moveNode/setLayout once the keys rest
 * (400 ms); Delete/Backspace deletes the selection; Ctrl/Cmd+C, Ctrl/Cmd+V copy and paste nodes (with the
 * edges between them); Ctrl/Cmd+A selects every node; Escape clears the selection.
 * Mouse: Shift+drag draws a selection box; Shift/Ctrl/Cmd+click adds to the selection.
 */
import {
  applyNodeChanges,
  Background,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore as useFlowStore,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnConnectEnd,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, useSyncExternalStore, type DragEvent } from 'react';
import { NODE_TYPES, edgeId, type EdgeType, type NodeType, type Position } from '../schemas/design.js';
import type { EditOperation, Path } from '../schemas/operations.js';
import { NODE_CATALOG, EDGE_CATALOG } from './catalog.js';
import type { Channel } from './channel.js';
import { ConnectMenu, TargetMenu, type PendingConnection } from './ConnectMenu.js';
import { connectIndex, connectionChoice, connectOperations, type CertificateChoice } from './connect.js';
import { EDGE_TYPES_MAP } from './edges.js';
import { buildSvg } from './export.js';
import {
  buildFlowEdges,
  buildFlowNodes,
  findingCounts,
  NODE_HEIGHT,
  NODE_WIDTH,
  selectionSets,
  type ArchFlowEdge,
  type ArchFlowNode,
} from './graph.js';
import { ICONS, IconColors, IconSprite } from './icons.js';
import { addNodeOperation, copySelection, deleteOperations, freeSpot, moveOperations, parseClipboard, pasteOperations, type ClipboardData } from './intents.js';
import { NODE_TYPES_MAP } from './ArchNode.js';
import { layoutDesign, type Size } from './layout.js';
import { NODE_TYPE_MIME, Palette } from './Palette.js';
import type { PanelProps, Selection, TraceEvidence, TraceTarget } from './panels/types.js';
import { svgToPngBase64, themeExportColors } from './rasterize.js';
import { SidePanel, SIDE_TABS, type SideTab } from './SidePanel.js';
import { createStore, nodesNeedingLayout, resolvePositions, type Store } from './store.js';
import { createTextFitter } from './text-fit.js';
import { Toolbar, type ToolbarAction } from './Toolbar.js';
import { DeploymentBanner } from './overlays/DeploymentBanner.js';
import { expiryBadges, type ExpiryBadges } from './overlays/expiry.js';

const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];
const FIT_OPTIONS = { padding: 0.15, maxZoom: 1.1, minZoom: 0.1 };
const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
};
/**
 * Above this many nodes, and zoomed in, only the visible nodes and edges are rendered. Zoomed out (where most
 * of a large diagram is visible anyway) the visibility test on every change would cost more than it saves.
 */
const VISIBLE_ONLY_THRESHOLD = 400;

const NO_EXPIRY: ExpiryBadges = { nodes: new Map(), edges: new Map() };

function miniMapClass(node: ArchFlowNode): string {
  return node.data.errors > 0 ? 'gwc-mini gwc-mini--error' : node.data.warnings > 0 ? 'gwc-mini gwc-mini--warning' : 'gwc-mini';
}

function isNodeType(value: string): value is NodeType {
  return (NODE_TYPES as readonly string[]).includes(value);
}

/** What VS Code keeps for the webview while it is hidden. */
interface SavedState {
  viewport?: Viewport;
  tab?: SideTab;
  hideControlPlane?: boolean;
}

function readSaved(value: unknown): SavedState {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const out: SavedState = {};
  const vp = v.viewport as Viewport | undefined;
  if (vp && [vp.x, vp.y, vp.zoom].every((n) => typeof n === 'number' && Number.isFinite(n))) out.viewport = vp;
  if (typeof v.tab === 'string' && (SIDE_TABS as readonly string[]).includes(v.tab)) out.tab = v.tab as SideTab;
  if (typeof v.hideControlPlane === 'boolean') out.hideControlPlane = v.hideControlPlane;
  return out;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
  // Web components of @vscode-elements (text fields, selects) keep their input in a shadow root.
  return target.tagName.startsWith('VSCODE-') && !target.tagName.startsWith('VSCODE-BUTTON');
}

export interface AppProps {
  readonly channel: Channel;
  /** A store to use (tests); a new one otherwise. */
  readonly store?: Store;
}

export function App({ channel, store }: AppProps) {
  const s = useMemo(() => store ?? createStore(), [store]);
  return (
    <ReactFlowProvider>
      <Designer channel={channel} store={s} />
    </ReactFlowProvider>
  );
}

function Designer({ channel, store }: { channel: Channel; store: Store }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const flow = useReactFlow<ArchFlowNode, ArchFlowEdge>();
  const saved = useMemo(() => readSaved(channel.getState()), [channel]);
  const [tab, setTab] = useState<SideTab>(saved.tab ?? 'inspector');
  const [status, setStatus] = useState('');
  const [pendingConnection, setPendingConnection] = useState<PendingConnection | null>(null);
  const [connectFrom, setConnectFrom] = useState<{ from: string; anchor: { x: number; y: number } } | null>(null);
  const [hideControlPlane, setHideControlPlane] = useState(saved.hideControlPlane ?? false);
  const canvasRef = useRef<HTMLDivElement>(null);
  const design = state.design;
  const readOnly = !!state.problem || !design;

  // ---------------------------------------------------------------- talking to the host

  const statusTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const announce = useCallback((text: string) => {
    setStatus(text);
    clearTimeout(statusTimer.current);
    statusTimer.current = setTimeout(() => setStatus(''), 6000);
  }, []);

  const send = useCallback(
    (ops: EditOperation[], label: string) => {
      const st = store.getState();
      if (ops.length === 0) return;
      if (st.problem) {
        announce('The text does not parse: fix it before editing on the canvas.');
        return;
      }
      channel.post({ type: 'edit', baseVersion: st.version, operations: ops, label: label.slice(0, 200) });
    },
    [channel, store, announce],
  );

  const reportError = useCallback((what: string, error: unknown) => {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    console.error(message, error);
    channel.post({ type: 'error', message: message.slice(0, 10_000) });
  }, [channel]);

  // ---------------------------------------------------------------- nodes and edges

  const positions = useMemo(
    () => resolvePositions({ design: state.design, pending: state.pending, auto: state.auto }),
    [state.design, state.pending, state.auto],
  );
  const counts = useMemo(() => findingCounts(state.drawnFindings), [state.drawnFindings]);
  const sel = useMemo(() => selectionSets(state.selection), [state.selection]);
  const fit = useMemo(() => createTextFitter(getComputedStyle(document.body).fontFamily), []);
  // Overlays: computed when a state or an overlay message arrives, never while drawing.
  const expiry = useMemo(
    () => (state.design ? expiryBadges(state.design, state.certificateExpiry, new Date()) : NO_EXPIRY),
    [state.design, state.certificateExpiry],
  );
  const deployedNodes = state.deployment?.nodes;
  const rehearsedEdges = state.rehearsal?.edges;
  const tracedNodes = state.trace?.nodes;
  const tracedEdges = state.trace?.edges;

  // Nodes are React Flow's to change while dragging and measuring, and are rebuilt (reusing unchanged
  // objects) whenever the design, the positions, the findings or the selection change.
  const [nodes, setNodes] = useState<ArchFlowNode[]>([]);
  const [nodesFrom, setNodesFrom] = useState<readonly unknown[]>([]);
  const nodeInputs = [design, positions, counts, sel.nodes, deployedNodes, expiry.nodes, tracedNodes];
  if (nodeInputs.some((v, i) => v !== nodesFrom[i])) {
    setNodesFrom(nodeInputs);
    setNodes(design ? buildFlowNodes({ design, positions, counts, selected: sel.nodes, fit, deployment: deployedNodes, expiry: expiry.nodes, trace: tracedNodes }, nodes) : []);
  }
  const [edges, setEdges] = useState<ArchFlowEdge[]>([]);
  const [edgesFrom, setEdgesFrom] = useState<readonly unknown[]>([]);
  const edgeInputs = [design, counts, sel.edges, hideControlPlane, rehearsedEdges, expiry.edges, tracedEdges];
  if (edgeInputs.some((v, i) => v !== edgesFrom[i])) {
    setEdgesFrom(edgeInputs);
    setEdges(design ? buildFlowEdges({ design, counts, selected: sel.edges, hideControlPlane, rehearsal: rehearsedEdges, expiry: expiry.edges, trace: tracedEdges }, edges) : []);
  }
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const edgesRef = useRef(edges);
  edgesRef.current = edges;

  /** Where nodes are drawn now (including a drag in progress or nodes placed provisionally). */
  const drawnPositions = useCallback(() => new Map(nodesRef.current.map((n) => [n.id, n.position])), []);
  const measuredSizes = useCallback(() => {
    const sizes = new Map<string, Size>();
    for (const n of nodesRef.current) if (n.measured?.width && n.measured.height) sizes.set(n.id, { width: n.measured.width, height: n.measured.height });
    return sizes;
  }, []);

  // ---------------------------------------------------------------- selection

  const applySelectChanges = useCallback(
    (kind: 'node' | 'edge', changes: readonly { id: string; selected: boolean }[]) => {
      const current = store.getState().selection;
      const off = new Set(changes.filter((c) => !c.selected).map((c) => c.id));
      let next: Selection = current.filter((s) => !(s.kind === kind && off.has(s.id)));
      const selecting = changes.filter((c) => c.selected);
      for (const c of selecting) if (!next.some((s) => s.kind === kind && s.id === c.id)) next.push({ kind, id: c.id });
      if (selecting.length > 0) next = next.filter((s) => s.kind !== 'certificate');
      store.dispatch({ type: 'select', selection: next });
    },
    [store],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<ArchFlowNode>[]) => {
      const local = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
      if (local.length > 0) setNodes((nds) => applyNodeChanges(local, nds));
      const selects = changes.flatMap((c) => (c.type === 'select' ? [{ id: c.id, selected: c.selected }] : []));
      if (selects.length > 0) applySelectChanges('node', selects);
    },
    [applySelectChanges],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<ArchFlowEdge>[]) => {
      const byFlowId = new Map(edgesRef.current.map((e) => [e.id, e.data?.edgeId ?? e.id]));
      const selects = changes.flatMap((c) => (c.type === 'select' ? [{ id: byFlowId.get(c.id) ?? c.id, selected: c.selected }] : []));
      if (selects.length > 0) applySelectChanges('edge', selects);
    },
    [applySelectChanges],
  );

  const onPaneClick = useCallback(() => store.dispatch({ type: 'select', selection: [] }), [store]);

  /** Select these nodes once the host's state has them (after an add or a paste). */
  const selectWhenPresent = useRef<string[] | undefined>(undefined);
  useEffect(() => {
    const want = selectWhenPresent.current;
    if (!want || !design) return;
    const ids = new Set(design.nodes.map((n) => n.id));
    if (want.every((id) => ids.has(id))) {
      selectWhenPresent.current = undefined;
      store.dispatch({ type: 'select', selection: want.map((id) => ({ kind: 'node' as const, id })) });
    }
  }, [design, store]);

  // ---------------------------------------------------------------- view

  const centreOn = useCallback(
    (target: { kind: 'node' | 'edge'; id: string }, onlyIfHidden: boolean) => {
      const st = store.getState();
      let ends: string[] = [];
      if (target.kind === 'node') ends = [target.id];
      else {
        const edge = st.design?.edges.find((e) => edgeId(e) === target.id);
        if (edge) ends = [edge.from, edge.to];
      }
      const boxes = ends.flatMap((id) => {
        const n = flow.getInternalNode(id);
        if (!n) return [];
        const w = n.measured.width ?? NODE_WIDTH;
        const h = n.measured.height ?? NODE_HEIGHT;
        return [{ x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, w, h }];
      });
      if (boxes.length === 0) return;
      const cx = boxes.reduce((a, b) => a + b.x + b.w / 2, 0) / boxes.length;
      const cy = boxes.reduce((a, b) => a + b.y + b.h / 2, 0) / boxes.length;
      if (onlyIfHidden && canvasRef.current) {
        const rect = canvasRef.current.getBoundingClientRect();
        const visible = boxes.every((b) => {
          const tl = flow.flowToScreenPosition({ x: b.x, y: b.y });
          const br = flow.flowToScreenPosition({ x: b.x + b.w, y: b.y + b.h });
          return tl.x >= rect.left && tl.y >= rect.top && br.x <= rect.right && br.y <= rect.bottom;
        });
        if (visible) return;
      }
      void flow.setCenter(cx, cy, { zoom: Math.max(flow.getZoom(), 0.8), duration: 250 });
    },
    [flow, store],
  );

  const selectFromPanel = useCallback(
    (selection: Selection) => {
      store.dispatch({ type: 'select', selection });
      const first = selection[0];
      if (selection.length === 1 && first && first.kind !== 'certificate') centreOn({ kind: first.kind, id: first.id }, true);
    },
    [store, centreOn],
  );

  const revealInText = useCallback((path: Path) => channel.post({ type: 'revealInText', path }), [channel]);

  const reveal = useCallback(
    (target: { kind: 'node' | 'edge' | 'certificate'; id: string }) => {
      store.dispatch({ type: 'select', selection: [{ kind: target.kind, id: target.id }] });
      if (target.kind === 'certificate') setTab('certificates');
      else centreOn({ kind: target.kind, id: target.id }, false);
    },
    [store, centreOn],
  );

  const onTab = useCallback(
    (t: SideTab) => {
      setTab(t);
      channel.setState({ ...readSaved(channel.getState()), tab: t });
    },
    [channel],
  );

  const onMoveEnd = useCallback(
    (_: unknown, viewport: Viewport) => channel.setState({ ...readSaved(channel.getState()), viewport }),
    [channel],
  );

  const zoomedOut = useFlowStore((s) => s.transform[2] < 0.45);
  // Until the first fitView is done the zoom is not known: render everything rather than the nodes visible at
  // zoom 1, which would be rendered, then thrown away when the view zooms out.
  const fitPending = useFlowStore((s) => s.fitViewQueued);

  // ---------------------------------------------------------------- moving

  const onDragStop = useCallback(
    (dragged: readonly ArchFlowNode[]) => {
      const st = store.getState();
      if (st.problem) return;
      const known = resolvePositions(st);
      const moved: Record<string, Position> = {};
      for (const n of dragged) {
        const p = known.get(n.id);
        const x = Math.round(n.position.x);
        const y = Math.round(n.position.y);
        if (!p || Math.round(p.x) !== x || Math.round(p.y) !== y) moved[n.id] = { x, y };
      }
      const m = moveOperations(moved);
      if (!m) return;
      store.dispatch({ type: 'moved', positions: moved });
      send(m.ops, m.label);
    },
    [store, send],
  );
  const onNodeDragStop = useCallback((_: unknown, _node: ArchFlowNode, dragged: ArchFlowNode[]) => onDragStop(dragged), [onDragStop]);
  const onSelectionDragStop = useCallback((_: unknown, dragged: ArchFlowNode[]) => onDragStop(dragged), [onDragStop]);

  // Arrow keys: move now, send once the keys rest.
  const keyMoves = useRef<Record<string, Position>>({});
  const keyTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flushKeyMoves = useCallback(() => {
    clearTimeout(keyTimer.current);
    const m = moveOperations(keyMoves.current);
    keyMoves.current = {};
    if (m) send(m.ops, m.label);
  }, [send]);

  const moveByKeys = useCallback(
    (dx: number, dy: number, focusedId: string | undefined) => {
      const st = store.getState();
      if (st.problem || !st.design) return false;
      let ids = st.selection.filter((s) => s.kind === 'node').map((s) => s.id);
      if (ids.length === 0 && focusedId) ids = [focusedId];
      if (ids.length === 0) return false;
      const now = drawnPositions();
      const moved: Record<string, Position> = {};
      for (const id of ids) {
        const p = now.get(id);
        if (p) moved[id] = { x: Math.round(p.x + dx), y: Math.round(p.y + dy) };
      }
      store.dispatch({ type: 'moved', positions: moved });
      keyMoves.current = { ...keyMoves.current, ...moved };
      clearTimeout(keyTimer.current);
      keyTimer.current = setTimeout(flushKeyMoves, 400);
      return true;
    },
    [store, drawnPositions, flushKeyMoves],
  );
  useEffect(() => () => clearTimeout(keyTimer.current), []);

  // ---------------------------------------------------------------- adding

  const addNode = useCallback(
    (type: NodeType, position: Position) => {
      const st = store.getState();
      if (st.problem || !st.design) return;
      const { op, id, label } = addNodeOperation(st.design, type, position);
      selectWhenPresent.current = [id];
      send([op], label);
      announce(`Added ${NODE_CATALOG[type].title} "${id}".`);
    },
    [store, send, announce],
  );

  const viewCentre = useCallback((): Position => {
    const rect = canvasRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    return flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  }, [flow]);

  const addAtCentre = useCallback(
    (type: NodeType) => {
      const c = viewCentre();
      addNode(type, freeSpot({ x: c.x - NODE_WIDTH / 2, y: c.y - NODE_HEIGHT / 2 }, drawnPositions().values()));
    },
    [viewCentre, addNode, drawnPositions],
  );

  const onDragOver = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      if (!event.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = readOnly ? 'none' : 'copy';
    },
    [readOnly],
  );

  const onDrop = useCallback(
    (event: DragEvent<HTMLDivElement>) => {
      const type = event.dataTransfer.getData(NODE_TYPE_MIME);
      if (!isNodeType(type)) return;
      event.preventDefault();
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2 });
    },
    [flow, addNode],
  );

  // ---------------------------------------------------------------- connecting

  const index = useMemo(() => connectIndex(design), [design]);
  const indexRef = useRef(index);
  indexRef.current = index;

  const isValidConnection = useCallback(
    (c: { source: string | null; target: string | null }) => !store.getState().problem && connectionChoice(indexRef.current, c.source, c.target).kind !== 'invalid',
    [store],
  );

  const doConnect = useCallback(
    (from: string, to: string, type: EdgeType, certificate?: CertificateChoice) => {
      setPendingConnection(null);
      const d = store.getState().design;
      if (!d) return;
      const ops = connectOperations(d, from, to, type, certificate);
      send(ops, `Connect ${from} → ${to} (${EDGE_CATALOG[type].title})`);
      announce(`Connected ${from} to ${to} with ${EDGE_CATALOG[type].title}${certificate ? ` (client certificate ${certificate.kind === 'new' ? certificate.certificate.id : certificate.id})` : ''}.`);
    },
    [store, send, announce],
  );

  const anchorOf = useCallback(
    (id: string) => {
      const n = flow.getInternalNode(id);
      if (!n) return { x: 120, y: 120 };
      return flow.flowToScreenPosition({ x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y + (n.measured.height ?? NODE_HEIGHT) + 8 });
    },
    [flow],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const choice = connectionChoice(indexRef.current, c.source, c.target);
      if (choice.kind === 'invalid') {
        announce(`Cannot connect: ${choice.reason}.`);
        return;
      }
      if (choice.kind === 'one' && choice.type !== 'mtls') {
        doConnect(c.source, c.target, choice.type);
        return;
      }
      setPendingConnection({ from: c.source, to: c.target, types: choice.kind === 'one' ? [choice.type] : choice.types, anchor: anchorOf(c.target) });
    },
    [announce, doConnect, anchorOf],
  );

  /** Connecting with the keyboard (C, or the toolbar): pick the target in a menu. */
  const startConnect = useCallback(
    (focusedId?: string) => {
      const st = store.getState();
      if (st.problem || !st.design) return false;
      const nodesSelected = st.selection.filter((x) => x.kind === 'node');
      const from = nodesSelected.length === 1 ? nodesSelected[0]!.id : nodesSelected.length === 0 ? focusedId : undefined;
      if (!from) {
        announce('Select one node to connect it.');
        return false;
      }
      setConnectFrom({ from, anchor: anchorOf(from) });
      return true;
    },
    [store, announce, anchorOf],
  );

  const onConnectEnd: OnConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || !state.toNode || state.fromNode.id === state.toNode.id) return;
      const choice = connectionChoice(indexRef.current, state.fromNode.id, state.toNode.id);
      if (choice.kind === 'invalid') announce(`Cannot connect ${state.fromNode.id} to ${state.toNode.id}: ${choice.reason}.`);
    },
    [announce],
  );

  // ---------------------------------------------------------------- delete, copy, paste

  const clipboard = useRef<ClipboardData | undefined>(undefined);
  const pasteCount = useRef(0);

  const deleteSelection = useCallback(() => {
    const st = store.getState();
    if (st.problem || !st.design) return;
    const d = deleteOperations(st.design, st.selection);
    if (!d) return;
    send(d.ops, d.label);
    store.dispatch({ type: 'select', selection: [] });
    announce(`${d.label}.`);
  }, [store, send, announce]);

  const copy = useCallback((): ClipboardData | undefined => {
    const st = store.getState();
    if (!st.design) return undefined;
    const ids = st.selection.filter((s) => s.kind === 'node').map((s) => s.id);
    const clip = copySelection(st.design, ids, drawnPositions());
    if (!clip) return undefined;
    clipboard.current = clip;
    pasteCount.current = 0;
    announce(`Copied ${clip.nodes.length} node${clip.nodes.length === 1 ? '' : 's'}.`);
    return clip;
  }, [store, drawnPositions, announce]);

  const paste = useCallback(
    (clip: ClipboardData | undefined) => {
      const st = store.getState();
      if (!clip || st.problem || !st.design) return;
      pasteCount.current += 1;
      const step = 40 * pasteCount.current;
      const p = pasteOperations(clip, st.design, { x: step, y: step }, viewCentre());
      selectWhenPresent.current = p.ids;
      send(p.ops, p.label);
      announce(`${p.label}.`);
    },
    [store, send, viewCentre, announce],
  );

  const selectAll = useCallback(() => {
    const d = store.getState().design;
    if (d) store.dispatch({ type: 'select', selection: d.nodes.map((n) => ({ kind: 'node' as const, id: n.id })) });
  }, [store]);

  // One keyboard handler for the canvas (capture phase, so that React Flow's own arrow-key move of 5px
  // never runs): only when the focus is on the canvas or nowhere (body), never in a panel's field.
  const lastClipboardKey = useRef(0);
  useEffect(() => {
    const onCanvas = (target: EventTarget | null) =>
      target === document.body || target === document.documentElement || (target instanceof Node && !!canvasRef.current?.contains(target) && !isEditable(target));
    const onKeyDown = (e: KeyboardEvent) => {
      if (!onCanvas(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const arrow = ARROWS[e.key];
      if (arrow && !mod && !e.altKey) {
        const focused = e.target instanceof Element ? (e.target.closest('.react-flow__node')?.getAttribute('data-id') ?? undefined) : undefined;
        const step = e.shiftKey ? 50 : 10;
        if (moveByKeys(arrow[0] * step, arrow[1] * step, focused)) {
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      }
      if ((e.key === 'Delete' || e.key === 'Backspace') && !mod) {
        e.preventDefault();
        deleteSelection();
        return;
      }
      if (e.key === 'Escape') {
        store.dispatch({ type: 'select', selection: [] });
        return;
      }
      if ((e.key === 'c' || e.key === 'C') && !mod && !e.altKey && !e.shiftKey) {
        const focused = e.target instanceof Element ? (e.target.closest('.react-flow__node')?.getAttribute('data-id') ?? undefined) : undefined;
        if (startConnect(focused)) e.preventDefault();
        return;
      }
      if (!mod || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === 'c') {
        if (copy()) {
          e.preventDefault();
          lastClipboardKey.current = Date.now();
          const clip = clipboard.current;
          navigator.clipboard?.writeText(JSON.stringify(clip)).catch(() => undefined);
        }
      } else if (key === 'v') {
        e.preventDefault();
        lastClipboardKey.current = Date.now();
        paste(clipboard.current);
      } else if (key === 'a') {
        e.preventDefault();
        selectAll();
      }
    };
    // VS Code may turn Ctrl+C / Ctrl+V into copy and paste commands run in the webview.
    const onCopy = (e: ClipboardEvent) => {
      if (Date.now() - lastClipboardKey.current < 500 || !onCanvas(e.target)) return;
      const clip = copy();
      if (clip && e.clipboardData) {
        e.clipboardData.setData('text/plain', JSON.stringify(clip));
        e.preventDefault();
      }
    };
    const onPaste = (e: ClipboardEvent) => {
      if (Date.now() - lastClipboardKey.current < 500 || !onCanvas(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      const clip = (text ? parseClipboard(text) : undefined) ?? clipboard.current;
      if (!clip) return;
      e.preventDefault();
      if (clip !== clipboard.current) {
        clipboard.current = clip;
        pasteCount.current = 0;
      }
      paste(clip);
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [store, moveByKeys, deleteSelection, copy, paste, selectAll, startConnect]);

  // ---------------------------------------------------------------- automatic layout

  const layoutRunning = useRef(false);
  const [layoutTick, setLayoutTick] = useState(0);
  useEffect(() => {
    const need = nodesNeedingLayout(state);
    if (need.length === 0 || layoutRunning.current || !state.design) return;
    layoutRunning.current = true;
    const d = state.design;
    layoutDesign(d, { only: new Set(need), placed: resolvePositions(state).values(), sizes: measuredSizes() })
      .then((placed) => {
        store.dispatch({ type: 'autoLayout', positions: placed });
        const now = store.getState();
        const ids = new Set(now.design?.nodes.map((n) => n.id));
        const layout = now.design?.layout ?? {};
        const save = Object.fromEntries(Object.entries(placed).filter(([id]) => ids.has(id) && !layout[id]));
        if (now.problem || Object.keys(save).length === 0) return;
        store.dispatch({ type: 'moved', positions: save });
        send([{ op: 'setLayout', positions: save }], 'Lay out nodes without a position');
      })
      .catch((e: unknown) => reportError('automatic layout failed', e))
      .finally(() => {
        layoutRunning.current = false;
        setLayoutTick((t) => t + 1);
      });
  }, [state, layoutTick, store, send, measuredSizes, reportError]);

  const layoutAll = useCallback(async () => {
    const st = store.getState();
    if (!st.design || st.problem || st.design.nodes.length === 0) return;
    try {
      const placed = await layoutDesign(st.design, { sizes: measuredSizes() });
      store.dispatch({ type: 'moved', positions: placed });
      send([{ op: 'setLayout', positions: placed }], 'Automatic layout');
      announce(`Laid out ${Object.keys(placed).length} nodes.`);
      requestAnimationFrame(() => void flow.fitView({ ...FIT_OPTIONS, duration: 300 }));
    } catch (e) {
      reportError('automatic layout failed', e);
    }
  }, [store, send, announce, flow, measuredSizes, reportError]);

  // ---------------------------------------------------------------- export

  const exportImage = useCallback(
    async (requestId: string, format: 'svg' | 'png') => {
      const st = store.getState();
      try {
        if (!st.design) throw new Error('there is no design to export yet');
        const sizes = measuredSizes();
        const svg = buildSvg({
          design: st.design,
          positions: drawnPositions(),
          sizes,
          findings: st.drawnFindings,
          icons: ICONS,
          colors: themeExportColors(canvasRef.current ?? document.body),
        });
        const data = format === 'svg' ? svg : await svgToPngBase64(svg);
        channel.post({ type: 'exportResult', requestId, format, data });
      } catch (e) {
        reportError(`export as ${format.toUpperCase()} failed`, e);
      }
    },
    [store, channel, drawnPositions, measuredSizes, reportError],
  );

  // ---------------------------------------------------------------- host messages

  const handlers = useRef({ reveal, exportImage });
  handlers.current = { reveal, exportImage };
  useEffect(() => {
    const off = channel.subscribe((message) => {
      switch (message.type) {
        case 'state':
          store.dispatch({ type: 'state', message });
          break;
        case 'reveal':
          handlers.current.reveal(message.target);
          break;
        case 'exportRequest':
          void handlers.current.exportImage(message.requestId, message.format);
          break;
        case 'deployment':
          store.dispatch({ type: 'deployment', message });
          break;
        case 'rehearsal':
          store.dispatch({ type: 'rehearsal', message });
          break;
        case 'trace':
          store.dispatch({ type: 'trace', message });
          break;
      }
    });
    channel.post({ type: 'ready' });
    return off;
  }, [channel, store]);

  // ---------------------------------------------------------------- toolbar

  const onAction = useCallback(
    (action: ToolbarAction) => {
      switch (action) {
        case 'fit':
          void flow.fitView({ ...FIT_OPTIONS, minZoom: 0.1, duration: 200 });
          return;
        case 'zoomIn':
          void flow.zoomIn({ duration: 150 });
          return;
        case 'zoomOut':
          void flow.zoomOut({ duration: 150 });
          return;
        case 'layout':
          void layoutAll();
          return;
        case 'showFindings':
          onTab('findings');
          return;
        case 'connect':
          startConnect();
          return;
        case 'toggleControlPlane':
          setHideControlPlane((hidden) => {
            channel.setState({ ...readSaved(channel.getState()), hideControlPlane: !hidden });
            return !hidden;
          });
          return;
        default:
          channel.post({ type: 'command', command: action });
      }
    },
    [flow, layoutAll, channel, onTab, startConnect],
  );

  // ---------------------------------------------------------------- render

  const overlays = useMemo(
    () => ({ deployment: state.deployment, rehearsal: state.rehearsal, trace: state.trace, expiry, certificateExpiry: state.certificateExpiry }),
    [state.deployment, state.rehearsal, state.trace, expiry, state.certificateExpiry],
  );
  const traceActions = useMemo(
    () => ({
      trace: (target: TraceTarget) => channel.post({ type: 'trace', target }),
      openEvidence: (evidence: TraceEvidence) => channel.post({ type: 'openEvidence', evidence }),
      dismiss: () => store.dispatch({ type: 'dismissTrace' }),
    }),
    [channel, store],
  );
  const panel: PanelProps | undefined = useMemo(
    () =>
      design
        ? { design, findings: state.findings as PanelProps['findings'], selection: state.selection, send, select: selectFromPanel, revealInText, overlays, traceActions }
        : undefined,
    [design, state.findings, state.selection, send, selectFromPanel, revealInText, overlays, traceActions],
  );
  const dismissDeployment = useCallback(() => store.dispatch({ type: 'dismissDeployment' }), [store]);
  const showFailedNode = useCallback(
    (id: string) => {
      onTab('inspector');
      selectFromPanel([{ kind: 'node', id }]);
    },
    [onTab, selectFromPanel],
  );
  // The side panels render after the canvas: a new state draws first, the forms follow.
  const deferredPanel = useDeferredValue(panel);
  const totals = useMemo(() => {
    let errors = 0;
    let warnings = 0;
    for (const f of state.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
    return { errors, warnings };
  }, [state.findings]);

  return (
    <div className={`gwc-app${zoomedOut ? ' gwc-far' : ''}`}>
      <IconSprite />
      <IconColors />
      <Toolbar
        onAction={onAction}
        readOnly={readOnly}
        errors={totals.errors}
        warnings={totals.warnings}
        fileName={state.fileName}
        controlPlaneHidden={hideControlPlane}
        canConnect={!readOnly && state.selection.filter((x) => x.kind === 'node').length === 1}
      />
      {state.problem ? (
        <div className="gwc-banner" role="alert" data-testid="problem-banner">
          <strong>
            {state.problem.line ? `Line ${state.problem.line}${state.problem.column ? `, column ${state.problem.column}` : ''}: ` : ''}
          </strong>
          {state.problem.message}
          <span className="gwc-banner__note">
            {state.problem.stale ? ' The canvas shows the last version that parsed and is read-only until the text is fixed.' : ' The canvas is read-only until the text is fixed.'}
          </span>
          <button type="button" className="gwc-link" onClick={() => channel.post({ type: 'command', command: 'openText' })}>
            Open as text
          </button>
        </div>
      ) : null}
      <Palette onAdd={addAtCentre} disabled={readOnly} />
      <main className="gwc-canvas" ref={canvasRef} data-testid="canvas" aria-label="Architecture canvas" onDragOver={onDragOver} onDrop={onDrop}>
        <ReactFlow<ArchFlowNode, ArchFlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES_MAP}
          edgeTypes={EDGE_TYPES_MAP}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onNodeDragStop={onNodeDragStop}
          onSelectionDragStop={onSelectionDragStop}
          onPaneClick={onPaneClick}
          onMoveEnd={onMoveEnd}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          fitView={!saved.viewport}
          fitViewOptions={FIT_OPTIONS}
          {...(saved.viewport ? { defaultViewport: saved.viewport } : {})}
          minZoom={0.1}
          maxZoom={2.5}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          onlyRenderVisibleElements={nodes.length > VISIBLE_ONLY_THRESHOLD && !zoomedOut && !fitPending}
          connectionRadius={28}
          elevateEdgesOnSelect
        >
          <Background gap={20} size={1} />
          <MiniMap<ArchFlowNode> pannable zoomable ariaLabel="Minimap of the architecture" nodeClassName={miniMapClass} />
        </ReactFlow>
        {state.deployment ? <DeploymentBanner overlay={state.deployment} onClose={dismissDeployment} onSelectNode={showFailedNode} /> : null}
        {!state.received ? (
          <div className="gwc-empty" data-testid="canvas-loading">
            Loading the design…
          </div>
        ) : design && design.nodes.length === 0 ? (
          <div className="gwc-empty" data-testid="canvas-empty">
            Drag a component from the palette onto the canvas, or focus one and press Enter.
          </div>
        ) : null}
        <div className={`gwc-status${status ? ' gwc-status--visible' : ''}`} role="status" aria-live="polite" data-testid="canvas-status">
          {status}
        </div>
      </main>
      <SidePanel tab={tab} onTab={onTab} panel={deferredPanel} problemCount={totals.errors + totals.warnings} />
      {connectFrom && design ? (
        <TargetMenu
          from={connectFrom.from}
          design={design}
          index={index}
          anchor={connectFrom.anchor}
          onPick={(to) => {
            setConnectFrom(null);
            onConnect({ source: connectFrom.from, target: to, sourceHandle: null, targetHandle: null });
          }}
          onCancel={() => setConnectFrom(null)}
        />
      ) : null}
      {pendingConnection && design ? (
        <ConnectMenu
          pending={pendingConnection}
          design={design}
          onConnect={(type, certificate) => doConnect(pendingConnection.from, pendingConnection.to, type, certificate)}
          onCancel={() => setPendingConnection(null)}
        />
      ) : null}
    </div>
  );
}
