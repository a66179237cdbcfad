/**
 * Automatic layout (elkjs): nodes without a position are placed as soon as they appear (and the positions saved
 * into `layout`), and "Lay out every node" places them all. A design with no position at all, and "Lay out every
 * node", get the architecture layout (layout/architecture.ts: containers, request path, bands) whose routes the
 * edges follow; nodes added to a placed design are placed beside it without moving the others.
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Position } from '../../schemas/design.js';
import type { ArchFlowEdge, ArchFlowNode } from '../graph.js';
import { layoutDesign, type Size } from '../layout.js';
import { layoutArchitecture, type ArchitectureLayout } from '../layout/architecture.js';
import { nodesNeedingLayout, resolvePositions, type Store, type ViewState } from '../store.js';
import type { Host } from './use-host.js';

/**
 * How the view fits the design: 4 % on every side, and below it room for the minimap (96 px high, with its
 * "Hide map" toggle under it, App.tsx), so that it never covers the bottom row of the design (test/browser/
 * diagram.test.ts measures this; 116 px left the monitoring band's last node under it); a wide design keeps its zoom (React Flow's fitView padding per side: https://reactflow.dev/api-reference/types/fit-view-options).
 */
export const FIT_OPTIONS = { padding: { top: 0.04, left: 0.04, right: 0.04, bottom: '200px' }, maxZoom: 1.1, minZoom: 0.1 } as const;

export function useAutoLayout(
  state: ViewState,
  store: Store,
  host: Host,
  measuredSizes: () => Map<string, Size>,
): { layoutAll(): Promise<void>; routes: ArchitectureLayout | undefined } {
  const flow = useReactFlow<ArchFlowNode, ArchFlowEdge>();
  const { send, announce, reportError } = host;
  const layoutRunning = useRef(false);
  const [layoutTick, setLayoutTick] = useState(0);
  const [routes, setRoutes] = useState<ArchitectureLayout | undefined>(undefined);
  useEffect(() => {
    const need = nodesNeedingLayout(state);
    if (need.length === 0 || layoutRunning.current || !state.design) return;
    layoutRunning.current = true;
    const d = state.design;
    const placedBefore = resolvePositions(state);
    const whole = placedBefore.size === 0;
    const run = whole
      ? layoutArchitecture(d, { sizes: measuredSizes() }).then((r) => {
          setRoutes(r);
          return r.positions;
        })
      : layoutDesign(d, { only: new Set(need), placed: placedBefore.values(), sizes: measuredSizes() });
    run
      .then((placed) => {
        store.dispatch({ type: 'autoLayout', positions: placed });
        // The whole design was placed: show it all once drawn there.
        if (whole) setTimeout(() => void flow.fitView(FIT_OPTIONS), 60);
        const now = store.getState();
        const ids = new Set(now.design?.nodes.map((n) => n.id));
        const layout = now.design?.layout ?? {};
        const save: Record<string, Position> = Object.fromEntries(Object.entries(placed).filter(([id]) => ids.has(id) && !layout[id]));
        if (now.problem || Object.keys(save).length === 0) return;
        store.dispatch({ type: 'moved', positions: save });
        send([{ op: 'setLayout', positions: save }], 'Lay out nodes without a position');
      })
      .catch((e: unknown) => reportError('automatic layout failed', e))
      .finally(() => {
        layoutRunning.current = false;
        setLayoutTick((t) => t + 1);
      });
  }, [state, layoutTick, store, send, measuredSizes, reportError, flow]);

  const layoutAll = useCallback(async () => {
    const st = store.getState();
    if (!st.design || st.problem || st.design.nodes.length === 0) return;
    try {
      const result = await layoutArchitecture(st.design, { sizes: measuredSizes() });
      const placed = result.positions;
      setRoutes(result);
      store.dispatch({ type: 'moved', positions: placed });
      send([{ op: 'setLayout', positions: placed }], 'Automatic layout');
      announce(`Laid out ${Object.keys(placed).length} nodes.`);
      requestAnimationFrame(() => void flow.fitView({ ...FIT_OPTIONS, duration: 300 }));
    } catch (e) {
      reportError('automatic layout failed', e);
    }
  }, [store, send, announce, flow, measuredSizes, reportError]);

  return { layoutAll, routes };
}
