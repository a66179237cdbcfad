/**
 * Selection on the canvas: React Flow's select changes become the store's selection (nodes and edges; a canvas
 * selection drops a selected certificate), a click on the pane clears it, and nodes the canvas just asked for (an add
 * or a paste) are selected as soon as the host's state has them.
 */
import { applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useRef, type Dispatch, type SetStateAction } from 'react';
import type { Design } from '../../schemas/design.js';
import type { ArchFlowEdge, ArchFlowNode } from '../graph.js';
import type { Selection } from '../selection.js';
import type { Store } from '../store.js';

export interface CanvasSelection {
  onNodesChange(changes: NodeChange<ArchFlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<ArchFlowEdge>[]): void;
  onPaneClick(): void;
  /** Select these nodes once the host's state has them. */
  selectWhenPresent(ids: string[]): void;
}

export function useCanvasSelection(
  store: Store,
  design: Design | null,
  setNodes: Dispatch<SetStateAction<ArchFlowNode[]>>,
  edgesRef: { readonly current: ArchFlowEdge[] },
): CanvasSelection {
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
    [applySelectChanges, setNodes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<ArchFlowEdge>[]) => {
      const byFlowId = new Map(edgesRef.current.map((e) => [e.id, e.data?.edgeId ?? e.id]));
      const selects = changes.flatMap((c) => (c.type === 'select' ? [{ id: byFlowId.get(c.id) ?? c.id, selected: c.selected }] : []));
      if (selects.length > 0) applySelectChanges('edge', selects);
    },
    [applySelectChanges, edgesRef],
  );

  const onPaneClick = useCallback(() => store.dispatch({ type: 'select', selection: [] }), [store]);

  const wanted = useRef<string[] | undefined>(undefined);
  useEffect(() => {
    const want = wanted.current;
    if (!want || !design) return;
    const ids = new Set(design.nodes.map((n) => n.id));
    if (want.every((id) => ids.has(id))) {
      wanted.current = undefined;
      // After the frame that shows the new nodes (drawn at once, pending): selecting them re-renders the node
      // and fills the inspector, which would otherwise hold that first frame back. Not cancelled when the design
      // changes meanwhile (the host's answer): the selection is still wanted.
      requestAnimationFrame(() => {
        setTimeout(() => store.dispatch({ type: 'select', selection: want.map((id) => ({ kind: 'node' as const, id })) }), 0);
      });
    }
  }, [design, store]);
  const selectWhenPresent = useCallback((ids: string[]) => {
    wanted.current = ids;
  }, []);

  return { onNodesChange, onEdgesChange, onPaneClick, selectWhenPresent };
}
