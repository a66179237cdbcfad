/** Moving nodes: a drag sends one move when it ends; arrow keys move at once and send one move once the keys rest. */
import { useCallback, useEffect, useRef } from 'react';
import type { Position } from '../../schemas/design.js';
import type { ArchFlowNode } from '../graph.js';
import { moveOperations } from '../intents.js';
import { resolvePositions, type Store } from '../store.js';
import type { Host } from './use-host.js';

/** How long the arrow keys must rest before their moves become one edit. */
export const KEY_MOVE_REST_MS = 400;

export interface CanvasMoves {
  onNodeDragStop(event: unknown, node: ArchFlowNode, dragged: ArchFlowNode[]): void;
  onSelectionDragStop(event: unknown, dragged: ArchFlowNode[]): void;
  /** Moves the selection (or the focused node) by dx, dy; false when there is nothing to move. */
  moveByKeys(dx: number, dy: number, focusedId: string | undefined): boolean;
}

export function useCanvasMoves(store: Store, host: Host, drawnPositions: () => Map<string, Position>): CanvasMoves {
  const { send } = host;
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
      keyTimer.current = setTimeout(flushKeyMoves, KEY_MOVE_REST_MS);
      return true;
    },
    [store, drawnPositions, flushKeyMoves],
  );
  useEffect(() => () => clearTimeout(keyTimer.current), []);

  return { onNodeDragStop, onSelectionDragStop, moveByKeys };
}
