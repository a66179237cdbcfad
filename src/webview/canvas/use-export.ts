/**
 * The diagram export the host asks for, from what React Flow draws (so that containers and anything else the canvas
 * draws follow): SVG built from the design at the drawn positions with the containers' outlines, PNG rasterized
 * from it at A4 landscape 300 dpi or more, draw.io XML from the drawn nodes (containers as swimlanes) and edges.
 */
import { Position as Side, useReactFlow, type InternalNode } from '@xyflow/react';
import { getHandlePosition } from '@xyflow/system';
import { useCallback, type RefObject } from 'react';
import type { Position } from '../../schemas/design.js';
import type { Channel } from '../channel.js';
import { edgeGeometry, type EdgeGeometry } from '../edge-path.js';
import { buildDrawio, containerLabel, diagramOf, type DrawnNode } from '../export-drawio.js';
import { buildSvg, type ExportEdge } from '../export.js';
import { NODE_HEIGHT, NODE_WIDTH, type ArchFlowEdge, type ArchFlowNode } from '../graph.js';
import { ICONS } from '../icons.js';
import type { Size } from '../layout.js';
import type { PartBox } from '../containers/network.js';
import type { Route } from '../layout/architecture.js';
import type { PlacedRoute } from '../layout/route.js';
import { A4_LANDSCAPE_300_DPI, svgToPngBase64, themeExportColors } from '../rasterize.js';
import type { Store } from '../store.js';
import type { Host } from './use-host.js';

export function useExport(
  channel: Channel,
  store: Store,
  host: Host,
  canvasRef: RefObject<HTMLDivElement | null>,
  drawnPositions: () => Map<string, Position>,
  measuredSizes: () => Map<string, Size>,
  routes: ReadonlyMap<string, Route> | undefined,
  sceneRoutes: ReadonlyMap<string, PlacedRoute> | undefined,
  /** The further boxes of containers drawn in parts, which the canvas draws beside React Flow (PartsLayer.tsx). */
  parts: () => readonly PartBox[],
): (requestId: string, format: 'svg' | 'png' | 'drawio') => Promise<void> {
  const { reportError } = host;
  const flow = useReactFlow<ArchFlowNode, ArchFlowEdge>();

  /**
   * Every node React Flow draws, at its absolute position (a node in a container is placed relative to it), and the
   * further boxes of containers drawn in parts, where the canvas draws them: after the container nodes, before the
   * endpoints and design nodes, so that nodes are drawn over them.
   */
  const drawnNodes = useCallback((): DrawnNode[] => {
    const sizes = measuredSizes();
    const flowNodes = flow.getNodes().flatMap((node): DrawnNode[] => {
      const internal = flow.getInternalNode(node.id);
      if (!internal || node.hidden) return [];
      const size = sizes.get(node.id);
      const width = internal.measured.width ?? node.width ?? size?.width ?? NODE_WIDTH;
      const height = internal.measured.height ?? node.height ?? size?.height ?? NODE_HEIGHT;
      const { x, y } = internal.internals.positionAbsolute;
      const type = node.type as string | undefined;
      return [{ id: node.id, ...(type ? { type } : {}), ...(node.parentId ? { parentId: node.parentId } : {}), x, y, width, height, data: node.data }];
    });
    const drawnParts = parts().map((p): DrawnNode => ({
      id: p.id,
      type: 'container',
      x: p.rect.x,
      y: p.rect.y,
      width: p.rect.width,
      height: p.rect.height,
      data: { kind: p.kind, title: p.title, detail: p.detail, tooltip: p.tooltip },
    }));
    const at = flowNodes.findIndex((n) => n.type !== 'container');
    return at < 0 ? [...flowNodes, ...drawnParts] : [...flowNodes.slice(0, at), ...drawnParts, ...flowNodes.slice(at)];
  }, [flow, measuredSizes, parts]);

  /**
   * Every edge React Flow draws, along the path its edge component draws it (edge-path.ts, from the same handles
   * React Flow hands the component: the source's first source handle, the target's first target handle).
   */
  const drawnEdges = useCallback((): (ExportEdge & { type?: string; data?: ArchFlowEdge['data'] })[] => {
    return flow.getEdges().flatMap((e) => {
      if (e.hidden) return [];
      const s = flow.getInternalNode(e.source);
      const t = flow.getInternalNode(e.target);
      if (!s || !t || s.hidden || t.hidden) return [];
      const from = handlePoint(s, 'source');
      const to = handlePoint(t, 'target');
      const geometry: EdgeGeometry = edgeGeometry({ source: e.source, target: e.target, sourceX: from.x, sourceY: from.y, targetX: to.x, targetY: to.y }, routes, sceneRoutes);
      const id = e.data?.edgeId;
      return [{ id: e.id, ...(id ? { edgeId: id } : {}), source: e.source, target: e.target, geometry, ...(e.type ? { type: e.type } : {}), ...(e.data ? { data: e.data } : {}) }];
    });
  }, [flow, routes, sceneRoutes]);

  return useCallback(
    async (requestId: string, format: 'svg' | 'png' | 'drawio') => {
      const st = store.getState();
      try {
        if (!st.design) throw new Error('there is no design to export yet');
        const nodes = drawnNodes();
        if (format === 'drawio') {
          const edges = drawnEdges().map((e) => ({ ...e, points: e.geometry.points, labelAt: e.geometry.label }));
          const { boxes, links } = diagramOf(nodes, edges);
          channel.post({ type: 'exportResult', requestId, format, data: buildDrawio({ name: st.design.metadata.name, boxes, links }) });
          return;
        }
        // The design's nodes where the canvas draws them; before React Flow has them, the positions of the design.
        const positions = drawnPositions();
        const sizes = measuredSizes();
        for (const n of nodes) {
          if (n.type !== 'arch') continue;
          positions.set(n.id, { x: n.x, y: n.y });
          sizes.set(n.id, { width: n.width, height: n.height });
        }
        const containers = nodes
          .filter((n) => n.type !== undefined && n.type !== 'arch')
          .map((n) => ({ id: n.id, label: containerLabel(n.data) ?? n.id, x: n.x, y: n.y, w: n.width, h: n.height }));
        const svg = buildSvg({
          design: st.design,
          positions,
          sizes,
          containers,
          edges: drawnEdges(),
          findings: st.drawnFindings,
          icons: ICONS,
          colors: themeExportColors(canvasRef.current ?? document.body),
        });
        const data = format === 'svg' ? svg : await svgToPngBase64(svg, A4_LANDSCAPE_300_DPI);
        channel.post({ type: 'exportResult', requestId, format, data });
      } catch (e) {
        reportError(`export as ${format === 'drawio' ? 'draw.io' : format.toUpperCase()} failed`, e);
      }
    },
    [store, channel, canvasRef, drawnPositions, measuredSizes, reportError, drawnNodes, drawnEdges],
  );
}

/**
 * Where React Flow puts an edge's end on a node: the node's first handle of that kind (the source handle on the right
 * side, the target handle on the left), by React Flow's own getHandlePosition (@xyflow/system, the package
 * @xyflow/react draws edges with), so the export starts and ends each edge where the canvas does.
 */
function handlePoint(node: InternalNode, kind: 'source' | 'target'): { x: number; y: number } {
  return getHandlePosition(node, node.internals.handleBounds?.[kind]?.[0] ?? null, kind === 'source' ? Side.Right : Side.Left);
}
