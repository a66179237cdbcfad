/**
 * The designer canvas: toolbar, palette, React Flow canvas and side panels. It renders the state the host sends and
 * answers with intents (edit operations); it never owns the design. Each concern is a hook of its own under
 * canvas/ (host messages, elements, selection, view, moves, adding, connecting, clipboard, keyboard, layout,
 * export); the test hooks are listed in test-ids.ts.
 *
 * Keyboard: Tab focuses nodes; Enter/Space selects; C connects the selected node (pick the target in a menu);
 * arrow keys move the selection by 10px (Shift: 50px) and send one moveNode/setLayout once the keys rest
 * (400 ms); Delete/Backspace deletes the selection; Ctrl/Cmd+C, Ctrl/Cmd+V copy and paste nodes (with the
 * edges between them); Ctrl/Cmd+A selects every node; Escape clears the selection.
 * Mouse: Shift+drag draws a selection box; Shift/Ctrl/Cmd+click adds to the selection.
 */
import { Background, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStore as useFlowStore, type EdgeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useAfterPaint } from './canvas/after-paint.js';
import { Banners } from './canvas/ProblemBanner.js';
import { readSaved, saveView } from './canvas/saved-state.js';
import { useCanvasAdd } from './canvas/use-add.js';
import { useCanvasClipboard } from './canvas/use-clipboard.js';
import { useCanvasConnect } from './canvas/use-connect.js';
import { useFlowElements } from './canvas/use-elements.js';
import { useExport } from './canvas/use-export.js';
import { useHost, useHostMessages } from './canvas/use-host.js';
import { useCanvasKeyboard } from './canvas/use-keyboard.js';
import { FIT_OPTIONS, useAutoLayout } from './canvas/use-layout.js';
import { useCanvasMoves } from './canvas/use-moves.js';
import { useCanvasSelection } from './canvas/use-selection.js';
import { useCanvasView } from './canvas/use-view.js';
import type { Channel } from './channel.js';
import { ConnectMenu, TargetMenu } from './ConnectMenu.js';
import { EDGE_TYPES_MAP } from './edges.js';
import type { ArchFlowEdge, ArchFlowNode } from './graph.js';
import { IconColors, IconSprite } from './icons.js';
import { NODE_TYPES_MAP } from './ArchNode.js';
import { Palette } from './Palette.js';
import type { PanelProps, TraceEvidence, TraceTarget } from './panels/types.js';
import { SidePanel } from './SidePanel.js';
import { createStore, type Store } from './store.js';
import { TEST_IDS } from './test-ids.js';
import { Toolbar, type ToolbarAction } from './Toolbar.js';
import { DeploymentBanner } from './overlays/DeploymentBanner.js';
import { ContainerNode, EndpointNode } from './containers/ContainerNode.js';
import { PartsLayer } from './containers/PartsLayer.js';
import { useNetworkLayer, type CanvasEdge, type CanvasNode } from './containers/use-network.js';
import { RoutesContext, SceneRoutesContext } from './edges.js';
import { resolvePositions } from './store.js';

const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];
/** Where the palette becomes a rail and the side panel closes until wanted (styles.css has the same query). */
const MINIMAP_STYLE = { width: 150, height: 96 };
const NARROW_QUERY = '(min-width: 761px) and (max-width: 1360px)';

function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (notify: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', notify);
      return () => list.removeEventListener('change', notify);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}
/**
 * Above this many nodes, and zoomed in, only the visible nodes and edges are rendered. Zoomed out (where most
 * of a large diagram is visible anyway) the visibility test on every change would cost more than it saves.
 */
const VISIBLE_ONLY_THRESHOLD = 400;

/** Module scope, so React Flow never sees a new object. */
const CANVAS_NODE_TYPES = { ...NODE_TYPES_MAP, container: ContainerNode, endpoint: EndpointNode };

function miniMapClass(node: CanvasNode): string {
  if (node.type === 'container') return 'gwc-mini gwc-mini--container';
  if (node.type !== 'arch') return 'gwc-mini';
  return node.data.errors > 0 ? 'gwc-mini gwc-mini--error' : node.data.warnings > 0 ? 'gwc-mini gwc-mini--warning' : 'gwc-mini';
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
  const [hideControlPlane, setHideControlPlane] = useState(saved.hideControlPlane ?? false);
  const canvasRef = useRef<HTMLDivElement>(null);
  const design = state.design;
  const readOnly = !!state.problem || !design;

  const host = useHost(channel, store);
  const elements = useFlowElements(state, hideControlPlane);
  const { drawnPositions, measuredSizes } = elements;
  const selection = useCanvasSelection(store, design, elements.setNodes, elements.edgesRef);
  const view = useCanvasView(channel, store, canvasRef, saved.tab ?? 'inspector');
  const moves = useCanvasMoves(store, host, drawnPositions);
  const add = useCanvasAdd(store, host, readOnly, selection.selectWhenPresent, view.viewCentre, drawnPositions);
  const connect = useCanvasConnect(store, host, design);
  const clipboard = useCanvasClipboard(store, host, drawnPositions, view.viewCentre, selection.selectWhenPresent);
  useCanvasKeyboard(store, canvasRef, { moveByKeys: moves.moveByKeys, startConnect: connect.startConnect, clipboard });
  const { layoutAll, routes } = useAutoLayout(state, store, host, measuredSizes);
  const { setNodes } = elements;
  const putBack = useCallback(
    (ids: readonly string[]) => {
      const known = resolvePositions(store.getState());
      const back = new Set(ids);
      setNodes((nds) => nds.map((n) => (back.has(n.id) && known.get(n.id) ? { ...n, position: known.get(n.id)! } : n)));
    },
    [store, setNodes],
  );
  const network = useNetworkLayer(design, elements.nodes, elements.edges, selection.onNodesChange, host.announce, putBack, routes?.endpoints);
  const { checkDrop } = network;
  const { onNodeDragStop: movesNodeDragStop, onSelectionDragStop: movesSelectionDragStop } = moves;
  const onNodeDragStop = useCallback(
    (event: unknown, _node: CanvasNode, dragged: CanvasNode[]) => {
      const abs = checkDrop(dragged);
      if (abs?.length) movesNodeDragStop(event, abs[0]!, abs);
    },
    [checkDrop, movesNodeDragStop],
  );
  const onSelectionDragStop = useCallback(
    (event: unknown, dragged: CanvasNode[]) => {
      const abs = checkDrop(dragged);
      if (abs?.length) movesSelectionDragStop(event, abs);
    },
    [checkDrop, movesSelectionDragStop],
  );
  const [miniMapOpen, setMiniMapOpen] = useState(saved.miniMap ?? true);
  // A narrow editor keeps the canvas wide: the side panel opens with its toggle (not with a selection, which would
  // resize the canvas under the pointer).
  const narrow = useMediaQuery(NARROW_QUERY);
  const [sideWanted, setSideWanted] = useState(false);
  const sideOpen = !narrow || sideWanted;
  const { parts } = network;
  const drawnParts = useCallback(() => parts, [parts]);
  const exportImage = useExport(channel, store, host, canvasRef, drawnPositions, measuredSizes, routes?.routes, network.routes, drawnParts);
  useHostMessages(channel, store, { reveal: view.reveal, exportImage });

  const zoomedOut = useFlowStore((s) => s.transform[2] < 0.45);
  // Until the first fitView is done the zoom is not known: render everything rather than the nodes visible at
  // zoom 1, which would be rendered, then thrown away when the view zooms out.
  const fitPending = useFlowStore((s) => s.fitViewQueued);

  const { onTab } = view;
  const { startConnect } = connect;
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
            saveView(channel, { hideControlPlane: !hidden });
            return !hidden;
          });
          return;
        default:
          channel.post({ type: 'command', command: action });
      }
    },
    [flow, layoutAll, channel, onTab, startConnect],
  );

  const overlays = useMemo(
    () => ({ deployment: state.deployment, rehearsal: state.rehearsal, trace: state.trace, expiry: elements.expiry, certificateExpiry: state.certificateExpiry }),
    [state.deployment, state.rehearsal, state.trace, elements.expiry, state.certificateExpiry],
  );
  const traceActions = useMemo(
    () => ({
      trace: (target: TraceTarget) => channel.post({ type: 'trace', target }),
      openEvidence: (evidence: TraceEvidence) => channel.post({ type: 'openEvidence', evidence }),
      dismiss: () => store.dispatch({ type: 'dismissTrace' }),
    }),
    [channel, store],
  );
  const { send } = host;
  const { selectFromPanel, revealInText } = view;
  const panel: PanelProps | undefined = useMemo(
    () =>
      design ? { design, findings: state.findings, selection: state.selection, send, select: selectFromPanel, revealInText, overlays, traceActions } : undefined,
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
  // The side panels render after the frame that shows the canvas's change is painted: a new state or a gesture
  // draws first, the forms follow.
  const deferredPanel = useAfterPaint(panel);
  const totals = useMemo(() => {
    let errors = 0;
    let warnings = 0;
    for (const f of state.findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
    }
    return { errors, warnings };
  }, [state.findings]);
  const { pendingConnection, connectFrom } = connect;

  return (
    <div className={`gwc-app${zoomedOut ? ' gwc-far' : ''}${sideOpen ? '' : ' gwc-app--side-closed'}`}>
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
      <Banners
        problem={state.problem}
        refusal={state.refusal}
        onOpenText={() => channel.post({ type: 'command', command: 'openText' })}
        onDismissRefusal={() => store.dispatch({ type: 'dismissRefusal' })}
      />
      <Palette onAdd={add.addAtCentre} disabled={readOnly} />
      <main className="gwc-canvas" ref={canvasRef} data-testid={TEST_IDS.canvas} aria-label="Architecture canvas" onDragOver={add.onDragOver} onDrop={add.onDrop}>
        <RoutesContext.Provider value={routes?.routes}>
        <SceneRoutesContext.Provider value={network.routes}>
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={network.nodes}
          edges={network.edges}
          nodeTypes={CANVAS_NODE_TYPES}
          edgeTypes={EDGE_TYPES_MAP}
          onNodesChange={network.onNodesChange}
          onEdgesChange={selection.onEdgesChange as (changes: EdgeChange<CanvasEdge>[]) => void}
          onConnect={connect.onConnect}
          onConnectEnd={connect.onConnectEnd}
          isValidConnection={connect.isValidConnection}
          onNodeDragStop={onNodeDragStop}
          onSelectionDragStop={onSelectionDragStop}
          onPaneClick={selection.onPaneClick}
          onMoveEnd={view.onMoveEnd}
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
          onlyRenderVisibleElements={elements.nodes.length > VISIBLE_ONLY_THRESHOLD && !zoomedOut && !fitPending}
          connectionRadius={28}
          elevateEdgesOnSelect
        >
          <Background gap={20} size={1} />
          <PartsLayer parts={parts} />
          {miniMapOpen ? <MiniMap<CanvasNode> style={MINIMAP_STYLE} pannable zoomable ariaLabel="Minimap of the architecture" nodeClassName={miniMapClass} /> : null}
        </ReactFlow>
        </SceneRoutesContext.Provider>
        </RoutesContext.Provider>
        <button
          type="button"
          className={`gwc-minimap-toggle${miniMapOpen ? ' gwc-minimap-toggle--open' : ''}`}
          data-testid={TEST_IDS.miniMapToggle}
          aria-pressed={miniMapOpen}
          title={miniMapOpen ? 'Hide the minimap' : 'Show the minimap'}
          onClick={() =>
            setMiniMapOpen((open) => {
              saveView(channel, { miniMap: !open });
              return !open;
            })
          }
        >
          {miniMapOpen ? 'Hide map' : 'Map'}
        </button>
        {narrow ? (
          <button
            type="button"
            className="gwc-side-toggle"
            data-testid={TEST_IDS.sideToggle}
            aria-pressed={sideOpen}
            aria-controls="gwc-side"
            onClick={() => setSideWanted(!sideOpen)}
          >
            {sideOpen ? 'Hide details' : 'Details'}
          </button>
        ) : null}
        {state.deployment ? <DeploymentBanner overlay={state.deployment} onClose={dismissDeployment} onSelectNode={showFailedNode} /> : null}
        {!state.received ? (
          <div className="gwc-empty" data-testid={TEST_IDS.canvasLoading}>
            Loading the design…
          </div>
        ) : design && design.nodes.length === 0 ? (
          <div className="gwc-empty" data-testid={TEST_IDS.canvasEmpty}>
            Drag a component from the palette onto the canvas, or focus one and press Enter.
          </div>
        ) : null}
        <div className={`gwc-status${host.status ? ' gwc-status--visible' : ''}`} role="status" aria-live="polite" data-testid={TEST_IDS.canvasStatus}>
          {host.status}
        </div>
      </main>
      <SidePanel tab={view.tab} onTab={onTab} panel={deferredPanel} problemCount={totals.errors + totals.warnings} />
      {connectFrom && design ? (
        <TargetMenu
          from={connectFrom.from}
          design={design}
          index={connect.index()}
          anchor={connectFrom.anchor}
          onPick={(to) => {
            connect.cancelConnectFrom();
            connect.onConnect({ source: connectFrom.from, target: to, sourceHandle: null, targetHandle: null });
          }}
          onCancel={connect.cancelConnectFrom}
        />
      ) : null}
      {pendingConnection && design ? (
        <ConnectMenu
          pending={pendingConnection}
          design={design}
          onConnect={(type, certificate) => connect.doConnect(pendingConnection.from, pendingConnection.to, type, certificate)}
          onCancel={connect.cancelPending}
        />
      ) : null}
    </div>
  );
}
