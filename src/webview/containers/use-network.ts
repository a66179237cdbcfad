/**
 * The layer between the canvas's nodes (absolute positions, one per design node: use-elements.ts) and what React
 * Flow draws: the network and subnet containers as parent nodes (parentId), the members inside them with positions
 * relative to their subnet, the private endpoints in the endpoint subnet, Private Link edges drawn to the endpoint
 * and a line from each endpoint to its service. React Flow's changes come back through here: a member's position
 * (relative) becomes absolute again before it reaches the canvas's nodes, and a drop that would put a resource in
 * the wrong place (refuse.ts) is put back with the reason said in the status line.
 */
import type { Edge, Node, NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { afterNextPaint, useAfterPaint } from '../canvas/after-paint.js';
import type { Design, Position } from '../../schemas/design.js';
import { NODE_HEIGHT, NODE_WIDTH, sameItems, type ArchFlowEdge, type ArchFlowNode } from '../graph.js';
import { routeEdges, ROUTE_NODE_LIMIT, sceneOf, type PlacedRoute } from '../layout/route.js';
import type { ContainerFlowNode, EndpointFlowNode } from './ContainerNode.js';
import {
  ENDPOINT_LINK_PREFIX,
  ENDPOINT_SIZE,
  networkGeometry,
  networkModel,
  partBoxes,
  type NetworkGeometry,
  type NetworkModel,
  type PartBox,
  type SubnetModel,
  type Rect,
  type Size,
} from './network.js';
import { refusedMove } from './refuse.js';

export type CanvasNode = ArchFlowNode | ContainerFlowNode | EndpointFlowNode;
export type CanvasEdge = ArchFlowEdge | Edge<Record<string, never>, 'endpoint'>;

export interface NetworkLayer {
  readonly model: NetworkModel | undefined;
  readonly nodes: CanvasNode[];
  readonly edges: CanvasEdge[];
  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  /** Absolute positions of dragged nodes; undefined (and the nodes put back) when the drop is refused. */
  checkDrop(dragged: readonly Node[]): ArchFlowNode[] | undefined;
  /** Absolute positions of every node drawn (design nodes and endpoints). */
  geometry(): NetworkGeometry | undefined;
  /**
   * Orthogonal routes of the edges drawn (layout/route.ts) for the positions and containers drawn now, by
   * routeKey(source, target); kept from the last settled drawing while a node is dragged.
   */
  readonly routes: ReadonlyMap<string, PlacedRoute>;
  /**
   * The further boxes of containers whose members sit apart (network.ts partBoxes), drawn by PartsLayer, not by
   * React Flow: the same array while no part's box or text changes (a drag keeps it, as it keeps the geometry).
   */
  readonly parts: readonly PartBox[];
}

const sizeOf = (n: ArchFlowNode): Size | undefined => (n.measured?.width && n.measured.height ? { width: n.measured.width, height: n.measured.height } : undefined);

export function useNetworkLayer(
  design: Design | null,
  nodes: ArchFlowNode[],
  edges: ArchFlowEdge[],
  onNodesChange: (changes: NodeChange<ArchFlowNode>[]) => void,
  announce: (text: string) => void,
  putBack: (ids: readonly string[]) => void,
  fixedEndpoints: ReadonlyMap<string, Position> | undefined,
): NetworkLayer {
  // The network depends on everything in the design but where its nodes are drawn: a move (the most common
  // intent, and every drag's end) keeps the model, and with it every container object.
  const modelFrom = useRef<{ design: Design; model: NetworkModel | undefined } | undefined>(undefined);
  const model = useMemo(() => {
    if (!design) return undefined;
    const last = modelFrom.current;
    if (last && sameButLayout(last.design, design)) return last.model;
    let m = networkModel(design);
    // The same network (an intent that adds a service outside it, or changes a property it does not read): the same
    // model, so that the geometry and the containers are not made again.
    if (last && m && last.model && sameModel(last.model, m)) m = last.model;
    modelFrom.current = { design, model: m };
    return m;
  }, [design]);
  /** Member node objects as last drawn, reused while their source node and place do not change. */
  const memberCache = useRef(new WeakMap<ArchFlowNode, { key: string; node: ArchFlowNode }>());
  /**
   * Container and endpoint node objects as last drawn, by id, reused while what they show is the same: a drag moves
   * one node, and React Flow then re-renders only the containers whose box changed, not every subnet and endpoint.
   */
  const drawnCache = useRef(new Map<string, { key: string; node: CanvasNode }>());
  /** The containers and endpoints of the last render, kept as they are while the geometry and the network node are. */
  const lastContainers = useRef<{ geometry: NetworkGeometry; vnetArch: ArchFlowNode | undefined; model: NetworkModel; nodes: CanvasNode[] } | undefined>(undefined);

  // The containers take the nodes' sizes once the frame is painted: a node measured by React Flow's
  // ResizeObserver would otherwise resize the containers (observed too) in the same observation, which the
  // browser reports as a ResizeObserver loop. Positions are the current ones, so that the first drawing already
  // has its containers and every member inside its subnet: taking them late too drew every node twice, first
  // without a parent and then re-parented, which is what React Flow pays most for (a container's origin depends
  // on positions only, so a member's place in its subnet does not change when the sizes arrive).
  // While a node is dragged the containers keep the boxes they had when the drag started (checkDrop judges the
  // drop against those), and grow to their members again when it ends: a drag frame then costs the dragged node,
  // not the geometry of every subnet and the re-render of every container.
  const dragging = nodes.some((n) => n.dragging);
  // Nothing reads the deferred nodes while dragging (the geometry and the routes wait for the drop): they stay the
  // nodes from before the drag, so that a drag frame is one render of the canvas, not a second, deferred one.
  const beforeDrag = useRef(nodes);
  if (!dragging) beforeDrag.current = nodes;
  const settled = useAfterPaint(dragging ? beforeDrag.current : nodes);
  const geometryRef = useRef<NetworkGeometry | undefined>(undefined);
  /** The geometry drawn last; a new one equal to it is not a change (containers, members and edges stay as they are). */
  const lastGeometry = useRef<NetworkGeometry | undefined>(undefined);
  const geometryInputs = useRef<
    | { model: NetworkModel; fixedEndpoints: ReadonlyMap<string, Position> | undefined; nodes: ArchFlowNode[]; positions: Map<string, Position>; sizes: Map<string, Size> }
    | undefined
  >(undefined);
  const geometry = useMemo(() => {
    if (!model) return undefined;
    if (dragging && geometryRef.current) return geometryRef.current;
    // Nodes that moved, or were measured, in the same network: the containers keep their boxes in the frame that
    // answers the gesture (a dropped node is drawn where it was dropped, inside its subnet's box as drawn) and
    // grow to their members once that frame is painted, when `settled` follows (issue #19: the geometry of every
    // subnet is not work for the frame that shows a move). A changed network (a node added into a subnet, the
    // first drawing) is drawn with its containers at once.
    // A member the last geometry did not place (the first drawing, whose first render has no nodes yet; a node
    // added into a subnet) is placed at once, and so are members moved by something other than a gesture (an
    // automatic layout moves them all, and the view is fitted to the drawing it gives, containers included): a
    // gesture moves one node, or the selected nodes a user drags together.
    const inputs = geometryInputs.current;
    if (
      inputs &&
      lastGeometry.current &&
      inputs.model === model &&
      inputs.fixedEndpoints === fixedEndpoints &&
      inputs.nodes !== nodes &&
      nodes.every((n) => inputs.positions.has(n.id) || !model.home.has(n.id)) &&
      movedByGesture(nodes, inputs.positions, model)
    ) {
      inputs.nodes = nodes;
      return lastGeometry.current;
    }
    const positions = new Map<string, Position>();
    const sizes = new Map<string, Size>();
    for (const n of nodes) positions.set(n.id, n.position);
    for (const n of settled) {
      const s = sizeOf(n);
      if (s) sizes.set(n.id, s);
    }
    // A node the deferred nodes have no size for yet (the first drawing of a design, a node just added) takes the
    // size it carries now, which was worked out from its texts before it was drawn (canvas/node-size.ts), not
    // measured by React Flow's ResizeObserver: the containers are drawn at their size in the first frame.
    for (const n of nodes) {
      if (sizes.has(n.id)) continue;
      const s = sizeOf(n);
      if (s) sizes.set(n.id, s);
    }
    // Made again only when a position or size changed: a new node array (a selection, a badge, a label) keeps it.
    if (inputs && inputs.model === model && inputs.fixedEndpoints === fixedEndpoints && sameMap(inputs.positions, positions) && sameMap(inputs.sizes, sizes) && lastGeometry.current) {
      return lastGeometry.current;
    }
    geometryInputs.current = { model, fixedEndpoints, nodes, positions, sizes };
    const g = networkGeometry(model, positions, sizes, fixedEndpoints);
    const last = lastGeometry.current;
    if (last && sameGeometry(last, g)) return last;
    lastGeometry.current = g;
    return g;
  }, [model, nodes, settled, fixedEndpoints, dragging]);
  /** The nodes handed to React Flow last: handed again as they are when no object in them changed. */
  const lastBuilt = useRef<CanvasNode[] | undefined>(undefined);
  const lastEdges = useRef<CanvasEdge[] | undefined>(undefined);
  const built = useMemo(() => {
    if (!model || !geometry) return { nodes: nodes as CanvasNode[], geometry };
    const vnetBox = geometry.boxes.get(model.id);
    if (!vnetBox) return { nodes: nodes as CanvasNode[], geometry };
    const vnetArch = model.nodeId ? nodes.find((n) => n.id === model.nodeId) : undefined;
    const last = lastContainers.current;
    let containers: CanvasNode[];
    if (last && last.geometry === geometry && last.vnetArch === vnetArch && last.model === model) {
      containers = last.nodes;
    } else {
      const out: CanvasNode[] = [];
      const cache = drawnCache.current;
      const seen = new Set<string>();
      const reuse = (node: CanvasNode): CanvasNode => {
        seen.add(node.id);
        const key = JSON.stringify([node.position, node.width, node.height, node.parentId, node.className, node.selected, node.selectable, node.ariaLabel, node.data]);
        const hit = cache.get(node.id);
        if (hit && hit.key === key) return hit.node;
        cache.set(node.id, { key, node });
        return node;
      };
      out.push(reuse({
        id: model.id,
        type: 'container',
        position: { x: vnetBox.x, y: vnetBox.y },
        width: vnetBox.width,
        height: vnetBox.height,
        // Without `measured` React Flow forgets the handles it measured, and edges to the node are not drawn.
        measured: { width: vnetBox.width, height: vnetBox.height },
        draggable: false,
        selectable: !!vnetArch,
        connectable: !!vnetArch,
        ...(vnetArch?.selected ? { selected: true } : {}),
        className: `gwc-container gwc-container--vnet${vnetArch?.data.errors ? ' gwc-container--error' : vnetArch?.data.warnings ? ' gwc-container--warning' : ''}`,
        ariaLabel: vnetArch?.ariaLabel ?? `Virtual network ${model.addressSpace}`,
        data: {
          kind: 'vnet',
          title: model.title,
          detail: model.addressSpace,
          nodeId: model.nodeId,
          errors: vnetArch?.data.errors ?? 0,
          warnings: vnetArch?.data.warnings ?? 0,
          tooltip: vnetArch?.data.tooltip ?? `Virtual network (${model.addressSpace}) the generated template creates for the subnets below.`,
        },
      }));
      for (const s of model.subnets) {
        const box = geometry.boxes.get(s.id);
        if (!box) continue;
        out.push(reuse(subnetContainer(s, model.id, box, vnetBox)));
      }
      for (const e of model.endpoints) {
        const p = geometry.endpoints.get(e.id);
        const parent = model.endpointSubnet ? geometry.boxes.get(model.endpointSubnet) : undefined;
        if (!p || !parent) continue;
        out.push(reuse({
          id: e.id,
          type: 'endpoint',
          parentId: model.endpointSubnet,
          position: { x: p.x - parent.x, y: p.y - parent.y },
          width: ENDPOINT_SIZE.width,
          height: ENDPOINT_SIZE.height,
          measured: { ...ENDPOINT_SIZE },
          draggable: false,
          selectable: false,
          connectable: false,
          focusable: false,
          className: 'gwc-endpoint',
          data: { target: e.target, name: e.name, zone: e.zone ?? '' },
        }));
      }
      for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
      containers = out;
      lastContainers.current = { geometry, vnetArch, model, nodes: out };
    }
    const out: CanvasNode[] = [...containers];
    for (const n of nodes) {
      if (n.id === model.nodeId) continue;
      const home = model.home.get(n.id);
      const parent = home ? geometry.boxes.get(home) : undefined;
      if (!home || !parent) {
        out.push(n);
        continue;
      }
      const rel = { x: n.position.x - parent.x, y: n.position.y - parent.y };
      const key = `${home}|${rel.x}|${rel.y}`;
      const hit = memberCache.current.get(n);
      if (hit && hit.key === key) {
        out.push(hit.node);
        continue;
      }
      const member: ArchFlowNode = { ...n, parentId: home, position: rel };
      memberCache.current.set(n, { key, node: member });
      out.push(member);
    }
    const previous = lastBuilt.current;
    if (previous && sameItems(previous, out)) return { nodes: previous, geometry };
    lastBuilt.current = out;
    return { nodes: out, geometry };
  }, [model, nodes, geometry]);

  /** The parts drawn last, handed again while every part is drawn the same. */
  const lastParts = useRef<readonly PartBox[]>(NO_PARTS);
  const parts = useMemo(() => {
    const made = model && built.geometry && built.geometry.parts.size ? partBoxes(model, built.geometry) : NO_PARTS;
    // A part drawn as before keeps its object, so that PartsLayer re-renders only the parts that changed.
    const last = lastParts.current;
    const before = new Map(last.map((p) => [p.id, p]));
    const next = made.map((p) => {
      const q = before.get(p.id);
      return q && samePart(q, p) ? q : p;
    });
    if (sameItems(next, last)) return last;
    lastParts.current = next;
    return next;
  }, [model, built.geometry]);

  /**
   * Private Link edges drawn to their endpoint, by the design edge they stand for, and the endpoint-to-service lines
   * by endpoint id: the same objects while their source is, so that a new geometry (a drop, a measured node) does not
   * hand React Flow hundreds of new but equal edges to look up and draw again.
   */
  const remapped = useRef(new WeakMap<ArchFlowEdge, ArchFlowEdge>());
  const endpointLinks = useRef(new Map<string, CanvasEdge>());
  const endpointIds = useMemo(() => (built.geometry ? [...built.geometry.endpoints.keys()].join('\n') : ''), [built.geometry]);
  const flowEdges = useMemo(() => {
    if (!model || !model.endpoints.length || !endpointIds) return edges as CanvasEdge[];
    const drawn = new Set(endpointIds.split('\n'));
    const cache = remapped.current;
    const out: CanvasEdge[] = edges.map((e) => {
      const pe = `pe:${e.target}`;
      if (e.data?.edgeType !== 'privateLink' || !drawn.has(pe)) return e;
      let r = cache.get(e);
      if (!r || r.target !== pe) cache.set(e, (r = { ...e, target: pe }));
      return r;
    });
    const links = endpointLinks.current;
    for (const ep of model.endpoints) {
      if (!drawn.has(ep.id)) continue;
      let link = links.get(ep.id);
      if (!link || link.target !== ep.target) {
        link = { id: `${ENDPOINT_LINK_PREFIX}${ep.target}`, source: ep.id, target: ep.target, type: 'endpoint', selectable: false, focusable: false, className: 'gwc-endpoint-link', data: {} };
        links.set(ep.id, link);
      }
      out.push(link);
    }
    if (lastEdges.current && sameItems(lastEdges.current, out)) return lastEdges.current;
    lastEdges.current = out;
    return out;
  }, [model, edges, endpointIds]);

  const routes = useSceneRoutes(model, nodes, settled, built.geometry, flowEdges, dragging);

  geometryRef.current = built.geometry;
  /** The containers as drawn when a drag started (containers follow their members while dragging). */
  const dragStart = useRef<NetworkGeometry | undefined>(undefined);

  const handleChanges = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const g = geometryRef.current;
      const out: NodeChange<ArchFlowNode>[] = [];
      for (const c of changes) {
        if (c.type === 'position' && model && g) {
          if (c.dragging && !dragStart.current) dragStart.current = g;
          const home = model.home.get(c.id);
          const parent = home ? g.boxes.get(home) : undefined;
          if (c.position && parent) out.push({ ...c, position: { x: c.position.x + parent.x, y: c.position.y + parent.y } } as NodeChange<ArchFlowNode>);
          else out.push(c as NodeChange<ArchFlowNode>);
          continue;
        }
        if ('id' in c && model && (c.id.startsWith('subnet:') || c.id.startsWith('pe:') || c.id.startsWith('vnet:'))) continue;
        out.push(c as NodeChange<ArchFlowNode>);
      }
      if (out.length) onNodesChange(out);
    },
    [model, onNodesChange],
  );

  const checkDrop = useCallback(
    (dragged: readonly Node[]): ArchFlowNode[] | undefined => {
      const before = dragStart.current ?? geometryRef.current;
      dragStart.current = undefined;
      const g = geometryRef.current;
      const abs = dragged.map((n) => {
        const home = model?.home.get(n.id);
        const parent = home && g ? g.boxes.get(home) : undefined;
        const position = n.parentId && parent ? { x: n.position.x + parent.x, y: n.position.y + parent.y } : n.position;
        return { ...(n as ArchFlowNode), parentId: undefined, position } as ArchFlowNode;
      });
      if (!model || !before || !design) return abs;
      const byId = new Map(design.nodes.map((d) => [d.id, d]));
      for (const n of abs) {
        const node = byId.get(n.id);
        if (!node) continue;
        const size = sizeOf(n) ?? { width: n.width ?? 160, height: n.height ?? 72 };
        const reason = refusedMove(model, before, node, { ...n.position, ...size });
        if (reason) {
          announce(reason);
          putBack(abs.map((x) => x.id));
          return undefined;
        }
      }
      return abs;
    },
    [model, design, announce, putBack],
  );

  const currentGeometry = useCallback(() => geometryRef.current, []);
  return { model, nodes: built.nodes, edges: flowEdges, onNodesChange: handleChanges, checkDrop, geometry: currentGeometry, routes, parts };
}

const NO_ROUTES: ReadonlyMap<string, PlacedRoute> = new Map();
const NO_PARTS: readonly PartBox[] = [];

function samePart(a: PartBox, b: PartBox): boolean {
  return a.id === b.id && a.title === b.title && a.detail === b.detail && a.tooltip === b.tooltip && sameRect(a.rect, b.rect);
}

/**
 * Subnet `s`'s box in network `networkId` (whose box is `vnetBox`), not a design node: drawn at `box`, holding
 * nothing of its own, neither draggable, selectable, connectable nor focusable.
 */
function subnetContainer(s: SubnetModel, networkId: string, box: Rect, vnetBox: Rect): ContainerFlowNode {
  return {
    id: s.id,
    type: 'container',
    parentId: networkId,
    position: { x: box.x - vnetBox.x, y: box.y - vnetBox.y },
    width: box.width,
    height: box.height,
    // Without `measured` React Flow forgets the handles it measured, and edges to the node are not drawn.
    measured: { width: box.width, height: box.height },
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: false,
    className: 'gwc-container gwc-container--subnet',
    ariaLabel: `Subnet ${s.name}${s.prefix ? ` ${s.prefix}` : ''}`,
    data: {
      kind: 'subnet',
      title: s.name,
      detail: s.prefix ?? '',
      nodeId: undefined,
      errors: 0,
      warnings: 0,
      tooltip: `Subnet ${s.name}${s.prefix ? ` (${s.prefix})` : ''}: created by the generated template, from the design's subnet plan.`,
    },
  };
}

/**
 * The routes of the drawn edges around the drawn nodes and containers (absolute boxes), computed again only when a
 * box or an edge's ends change (a selection or a finding does not), and not while a node is dragged.
 *
 * Routing the reference design's 36 edges takes tens of milliseconds, too long for the frame that answers a
 * gesture (issue #19: the effect of a move, an add or a connection is drawn in the next frame). So the routes are
 * found after that frame is painted (a task queued from the next animation frame) and drawn a frame or two later,
 * as findings are; they are found for the nodes as drawn once that frame is painted (`settled`, with the
 * containers' geometry made from them), so that a gesture does not route twice. Until then an edge keeps its previous route while its ends stay where they were, and follows a
 * step path when they moved (edges.tsx checks the route's anchors against the handles).
 */
function useSceneRoutes(
  model: NetworkModel | undefined,
  nodes: readonly ArchFlowNode[],
  settled: readonly ArchFlowNode[],
  geometry: NetworkGeometry | undefined,
  edges: readonly CanvasEdge[],
  dragging: boolean,
): ReadonlyMap<string, PlacedRoute> {
  const [found, setFound] = useState<{ key: string; routes: ReadonlyMap<string, PlacedRoute> }>({ key: '', routes: NO_ROUTES });
  const wanted = useMemo(() => {
    // Kept as found while a node is dragged, and until the frame that shows a change is painted.
    if (dragging || settled !== nodes) return undefined;
    if (nodes.length > ROUTE_NODE_LIMIT) return { key: 'none', scene: undefined, shown: [] };
    const sizes = new Map<string, Size>();
    for (const n of settled) {
      const s = sizeOf(n);
      if (s) sizes.set(n.id, s);
    }
    const rects = new Map<string, Rect>();
    for (const n of nodes) {
      const s = sizes.get(n.id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
      rects.set(n.id, { x: n.position.x, y: n.position.y, width: s.width, height: s.height });
    }
    const scene = sceneOf(model, geometry, rects);
    const shown = edges.filter((e) => !e.hidden).map((e) => ({ source: e.source, target: e.target }));
    const key = JSON.stringify([[...scene.nodes], scene.containers.map((c) => [c.id, c.rect]), shown]);
    return { key, scene, shown };
  }, [model, nodes, settled, geometry, edges, dragging]);
  useEffect(() => {
    if (!wanted?.scene || wanted.key === found.key) return;
    const { key, scene, shown } = wanted;
    return afterNextPaint(() => setFound({ key, routes: routeEdges(scene, shown) }));
  }, [wanted, found.key]);
  // The same map while nothing new is wanted: every edge reads it from a context, and a new value (even an equal
  // one, or NO_ROUTES after the empty routes of the first, empty drawing) draws every edge again.
  const shown = useRef<ReadonlyMap<string, PlacedRoute>>(NO_ROUTES);
  if (wanted) shown.current = wanted.scene ? found.routes : NO_ROUTES;
  return shown.current;
}

/**
 * Whether the members that moved since `positions` are what one gesture moves: a single node, or nodes that are all
 * selected (dragged together). An automatic layout moves every member, selected or not.
 */
function movedByGesture(nodes: readonly ArchFlowNode[], positions: ReadonlyMap<string, Position>, model: NetworkModel): boolean {
  let moved = 0;
  let unselected = 0;
  for (const n of nodes) {
    if (!model.home.has(n.id)) continue;
    const p = positions.get(n.id);
    if (p && p.x === n.position.x && p.y === n.position.y) continue;
    moved++;
    if (!n.selected) unselected++;
  }
  return moved <= 1 || unselected === 0;
}

function sameRect(a: Rect | undefined, b: Rect): boolean {
  return !!a && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/** Whether two geometries put every container and endpoint in the same place. */
export function sameGeometry(a: NetworkGeometry, b: NetworkGeometry): boolean {
  if (a.boxes.size !== b.boxes.size || a.parts.size !== b.parts.size || a.endpoints.size !== b.endpoints.size) return false;
  for (const [id, r] of b.boxes) if (!sameRect(a.boxes.get(id), r)) return false;
  for (const [id, rs] of b.parts) {
    const qs = a.parts.get(id);
    if (!qs || qs.length !== rs.length || rs.some((r, i) => !sameRect(qs[i], r))) return false;
  }
  for (const [id, p] of b.endpoints) {
    const q = a.endpoints.get(id);
    if (!q || q.x !== p.x || q.y !== p.y) return false;
  }
  return true;
}

/** Whether two designs differ at most in `layout` (every other top-level field the same object). */
function sameButLayout(a: Design, b: Design): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (k !== 'layout' && (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  return true;
}

function sameMap(a: ReadonlyMap<string, Position | Size>, b: ReadonlyMap<string, Position | Size>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, v] of b) {
    const w = a.get(id) as Record<string, number> | undefined;
    if (!w) return false;
    for (const k of Object.keys(v)) if (w[k] !== (v as unknown as Record<string, number>)[k]) return false;
  }
  return true;
}

/** Whether two network models draw the same containers and endpoints (same ids, names, members, homes). */
export function sameModel(a: NetworkModel, b: NetworkModel): boolean {
  if (a.id !== b.id || a.nodeId !== b.nodeId || a.title !== b.title || a.addressSpace !== b.addressSpace || a.endpointSubnet !== b.endpointSubnet) return false;
  if (a.subnets.length !== b.subnets.length || a.endpoints.length !== b.endpoints.length || a.home.size !== b.home.size) return false;
  for (let i = 0; i < a.subnets.length; i++) {
    const x = a.subnets[i]!;
    const y = b.subnets[i]!;
    if (x.id !== y.id || x.role !== y.role || x.name !== y.name || x.prefix !== y.prefix || !sameItems(x.members, y.members)) return false;
  }
  for (let i = 0; i < a.endpoints.length; i++) {
    const x = a.endpoints[i]!;
    const y = b.endpoints[i]!;
    if (x.id !== y.id || x.target !== y.target || x.name !== y.name || x.zone !== y.zone) return false;
  }
  for (const [id, home] of b.home) if (a.home.get(id) !== home) return false;
  return true;
}
