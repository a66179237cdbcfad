/**
 * The view: centring on an element, selecting from a panel (and bringing the element into view), revealing what the
 * host points at, the side tab, and keeping the viewport for when the webview comes back.
 */
import { useReactFlow, useStoreApi, type Viewport } from '@xyflow/react';
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { edgeId, type Position } from '../../schemas/design.js';
import type { Path } from '../../schemas/operations.js';
import type { Channel } from '../channel.js';
import { NODE_HEIGHT, NODE_WIDTH, type ArchFlowEdge, type ArchFlowNode } from '../graph.js';
import type { Selection } from '../selection.js';
import type { SideTab } from '../SidePanel.js';
import type { Store } from '../store.js';
import { saveView } from './saved-state.js';

export interface CanvasView {
  readonly tab: SideTab;
  onTab(tab: SideTab): void;
  selectFromPanel(selection: Selection): void;
  revealInText(path: Path): void;
  reveal(target: { kind: 'node' | 'edge' | 'certificate'; id: string }): void;
  onMoveEnd(event: unknown, viewport: Viewport): void;
  /** The flow position at the centre of the canvas. */
  viewCentre(): Position;
}

export function useCanvasView(channel: Channel, store: Store, canvasRef: RefObject<HTMLDivElement | null>, initialTab: SideTab): CanvasView {
  const flow = useReactFlow<ArchFlowNode, ArchFlowEdge>();
  const [tab, setTab] = useState<SideTab>(initialTab);
  const flowStore = useStoreApi<ArchFlowNode, ArchFlowEdge>();

  // The initial fit (ReactFlow's fitView prop) stays queued until there are nodes to fit: on a design that opens
  // empty it would fire when the first node is dropped, re-centre the view on it and so move it away from the
  // pointer (the next drop then lands on it). An empty design has nothing to fit: drop the queued fit once it is
  // known to be empty, so the view stays where the user is dropping.
  useEffect(() => {
    const cancelFitIfEmpty = () => {
      const { received, design } = store.getState();
      if (received && design && design.nodes.length === 0 && flowStore.getState().fitViewQueued) flowStore.setState({ fitViewQueued: false });
    };
    cancelFitIfEmpty();
    let done = false;
    const unsubscribe = store.subscribe(() => {
      if (done) return;
      cancelFitIfEmpty();
      // Only the first design decides: a design that opens with nodes keeps its fit (and later states never re-queue it).
      if (store.getState().design) {
        done = true;
        unsubscribe();
      }
    });
    return () => {
      done = true;
      unsubscribe();
    };
  }, [store, flowStore]);

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
    [flow, store, canvasRef],
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
      saveView(channel, { tab: t });
    },
    [channel],
  );

  const onMoveEnd = useCallback((_: unknown, viewport: Viewport) => saveView(channel, { viewport }), [channel]);

  const viewCentre = useCallback((): Position => {
    const rect = canvasRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    return flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  }, [flow, canvasRef]);

  return { tab, onTab, selectFromPanel, revealInText, reveal, onMoveEnd, viewCentre };
}
