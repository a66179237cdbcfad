/**
 * The automatic layout of a whole design as an architecture diagram, with ELK (elkjs, layered, left to right,
 * `elk.hierarchyHandling: INCLUDE_CHILDREN`, orthogonal routing):
 *
 * - the request path in one row, left to right: the internet, the virtual network (a compound node holding its
 *   subnets, each a compound node holding its resources and private endpoints), then the data services;
 * - identity and secrets (Entra ID, managed identities, Key Vault, Container Registry) in a band under it, and
 *   monitoring and security (Log Analytics, Application Insights, Defender for Cloud, Sentinel) in a band under that;
 *   each band's service as near as it can be under what it is joined to (Key Vault under its private endpoint and
 *   its callers), so that the routes to it (layout/route.ts) go straight down out of the network;
 * - each node has one input port in the middle of its left side and one output port in the middle of its right side
 *   (where the canvas draws its handles), so the routes ELK computes start and end where the edges are drawn; the
 *   routes (bend points) and the edge label places ELK computed are returned for the edges to follow.
 *
 * Containers are not saved: only the design nodes' positions are (see containers/network.ts).
 * ELK options: https://eclipse.dev/elk/reference/options.html
 */
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import type { Design, NodeType, Position } from '../../schemas/design.js';
import { EDGE_CATALOG } from '../catalog.js';
import { ENDPOINT_LINK_PREFIX, ENDPOINT_SIZE, networkModel, PAD, TITLE, titleWidth, type Size } from '../containers/network.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../graph.js';
import { elk, LAYOUT_IGNORED_EDGES, type LayoutEngine } from '../layout.js';

export const IDENTITY_BAND: ReadonlySet<NodeType> = new Set<NodeType>(['entraId', 'managedIdentity', 'keyVault', 'containerRegistry']);
export const MONITORING_BAND: ReadonlySet<NodeType> = new Set<NodeType>(['logAnalytics', 'applicationInsights', 'defenderForCloud', 'sentinel']);

/** The short label an edge carries on the canvas (its protocol), also the label ELK makes room for. */
export function edgeLabelText(type: Design['edges'][number]['type']): string | undefined {
  return type === 'https' ? 'HTTPS' : type === 'mtls' ? 'mTLS' : type === 'privateLink' ? 'Private Link' : undefined;
}

/** Width ELK reserves for a label: the lock and the text at 11px (a generous average advance). */
export function labelSize(text: string, lock: boolean): Size {
  return { width: Math.ceil(text.length * 7 + (lock ? 18 : 0) + 8), height: 16 };
}

export interface Route {
  /** Start, bend points, end (flow coordinates). */
  readonly points: readonly Position[];
  /** Centre of the label ELK placed, if the edge has one. */
  readonly label: Position | undefined;
}

/** Where a label sits on a route: the middle of its longest horizontal segment (between two layers). */
export function labelPlace(points: readonly Position[]): Position | undefined {
  let best: Position | undefined;
  let longest = -1;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.y !== b.y) continue;
    const len = Math.abs(b.x - a.x);
    if (len > longest) {
      longest = len;
      best = { x: (a.x + b.x) / 2, y: a.y };
    }
  }
  return best;
}

export interface ArchitectureLayout {
  /** Top left corner of every design node. */
  readonly positions: Record<string, Position>;
  /** Top left corner of every private endpoint. */
  readonly endpoints: Map<string, Position>;
  /** Routes by `routeKey(source, target)` (flow ids: Private Link edges end at the endpoint). */
  readonly routes: Map<string, Route>;
}

export const routeKey = (source: string, target: string): string => `${source}\u0000${target}`;

const CONTAINER_PADDING = `[top=${PAD + TITLE + 4},left=${PAD + 2},bottom=${PAD + 2},right=${PAD + 2}]`;

export const ARCHITECTURE_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
  // Room between layers for a short edge label ("HTTPS" with its lock), drawn on the route's middle segment.
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '6',
  'elk.spacing.componentComponent': '60',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

function leaf(id: string, size: Size): ElkNode {
  const ports: ElkPort[] = [
    { id: `${id}\u0000in`, x: 0, y: size.height / 2, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'WEST' } },
    { id: `${id}\u0000out`, x: size.width - 1, y: size.height / 2, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'EAST' } },
  ];
  return { id, width: size.width, height: size.height, ports, layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } };
}

/** Rows of nodes from `left`, `top` down, wrapping at `width`. */
function rows(ids: readonly string[], sizes: (id: string) => Size, left: number, top: number, width: number, out: Record<string, Position>): number {
  let x = left;
  let y = top;
  let rowHeight = 0;
  for (const id of ids) {
    const s = sizes(id);
    if (x > left && x + s.width > left + width) {
      x = left;
      y += rowHeight + 40;
      rowHeight = 0;
    }
    out[id] = { x: Math.round(x), y: Math.round(y) };
    x += s.width + 60;
    rowHeight = Math.max(rowHeight, s.height);
  }
  return ids.length ? y + rowHeight : top;
}

/** Most nodes a band lays out under their neighbours; a larger band is laid out in rows. */
const BAND_ROW_LIMIT = 12;

/**
 * One band in a row at `top`: each node as near as it can be under `centres` (the middle of what it is joined to),
 * in their order, never closer than 60 px to the one before; the nodes without a centre first, from the left.
 * Returns the band's bottom.
 */
function underNeighbours(
  ids: readonly string[],
  sizes: (id: string) => Size,
  centres: ReadonlyMap<string, number>,
  top: number,
  width: number,
  out: Record<string, Position>,
): number {
  if (ids.length > BAND_ROW_LIMIT) return rows(ids, sizes, 0, top, width, out);
  const order = [...ids].sort((a, b) => (centres.get(a) ?? -Infinity) - (centres.get(b) ?? -Infinity));
  let x = 0;
  let bottom = top;
  for (const id of order) {
    const s = sizes(id);
    const want = centres.get(id);
    x = Math.max(x, want === undefined ? 0 : Math.round(want - s.width / 2));
    out[id] = { x, y: Math.round(top) };
    x += s.width + 60;
    bottom = Math.max(bottom, top + s.height);
  }
  return bottom;
}

export async function layoutArchitecture(
  design: Design,
  options: { sizes?: ReadonlyMap<string, Size>; engine?: LayoutEngine } = {},
): Promise<ArchitectureLayout> {
  const sizeOf = (id: string): Size => options.sizes?.get(id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
  const model = networkModel(design);
  const seen = new Set<string>();
  const nodes = design.nodes.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
  const band = (t: NodeType) => (IDENTITY_BAND.has(t) ? 'identity' : MONITORING_BAND.has(t) ? 'monitoring' : 'path');
  const inNetwork = new Set<string>(model?.home.keys() ?? []);
  if (model?.nodeId) inNetwork.add(model.nodeId);
  const pathIds = new Set(nodes.filter((n) => band(n.type) === 'path' && !(model?.nodeId === n.id)).map((n) => n.id));

  // Edges of the request path (the bands and the control plane are not laid out by ELK).
  const edges: ElkExtendedEdge[] = [];
  const pairs = new Set<string>();
  const endpointOf = new Map(model?.endpoints.map((e) => [e.target, e.id]) ?? []);
  const linked = new Set<string>();
  const addEdge = (from: string, to: string) => {
    const key = routeKey(from, to);
    if (from === to || pairs.has(key)) return;
    pairs.add(key);
    linked.add(from);
    linked.add(to);
    edges.push({
      id: `e${edges.length}`,
      sources: [`${from}\u0000out`],
      targets: [`${to}\u0000in`],
    });
  };
  for (const e of design.edges) {
    // Remote access (Bastion) would give Bastion's subnet a column of its own: it shares the first one instead.
    if (LAYOUT_IGNORED_EDGES.has(e.type) || EDGE_CATALOG[e.type].family === 'control' || e.type === 'remoteAccess') continue;
    const to = e.type === 'privateLink' ? endpointOf.get(e.to) : e.to;
    if (!to || !pathIds.has(e.from) || !(pathIds.has(to) || to.startsWith('pe:'))) continue;
    addEdge(e.from, to);
  }
  for (const ep of model?.endpoints ?? []) if (pathIds.has(ep.target)) addEdge(ep.id, ep.target);

  const children: ElkNode[] = [];
  const alone: string[] = [];
  let network: ElkNode | undefined;
  if (model) {
    const subnets: ElkNode[] = model.subnets.map((s) => ({
      id: s.id,
      // Wide enough for its title (name and prefix), as the canvas draws it.
      layoutOptions: { 'elk.padding': CONTAINER_PADDING, 'elk.nodeSize.constraints': 'MINIMUM_SIZE', 'elk.nodeSize.minimum': `(${titleWidth(s.name, s.prefix)}, 0)` },
      children: s.members.map((m) => leaf(m, m.startsWith('pe:') ? ENDPOINT_SIZE : sizeOf(m))),
    }));
    network = { id: model.id, layoutOptions: { 'elk.padding': CONTAINER_PADDING }, children: subnets.filter((s) => s.children!.length > 0) };
    for (const s of model.subnets) for (const m of s.members) linked.add(m);
  }
  for (const n of nodes) {
    if (!pathIds.has(n.id) || inNetwork.has(n.id)) continue;
    if (linked.has(n.id)) children.push(leaf(n.id, sizeOf(n.id)));
    else alone.push(n.id);
  }
  if (network?.children?.length) children.splice(Math.min(1, children.length), 0, network);

  const positions: Record<string, Position> = {};
  const endpoints = new Map<string, Position>();
  const routes = new Map<string, Route>();
  let bottom = 0;
  let right = 0;
  if (children.length) {
    const result = await (options.engine ?? (await elk())).layout({ id: 'root', layoutOptions: ARCHITECTURE_OPTIONS, children, edges });
    const visit = (n: ElkNode) => {
      for (const c of n.children ?? []) {
        if (c.children?.length) visit(c);
        else if (c.id.startsWith('pe:')) endpoints.set(c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) });
        else positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
        bottom = Math.max(bottom, (c.y ?? 0) + (c.height ?? 0));
        right = Math.max(right, (c.x ?? 0) + (c.width ?? 0));
      }
    };
    visit(result);
    for (const e of result.edges ?? []) {
      const section = e.sections?.[0];
      if (!section) continue;
      const source = e.sources[0]!.split('\u0000')[0]!;
      const target = e.targets[0]!.split('\u0000')[0]!;
      const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
      routes.set(routeKey(source, target), { points, label: labelPlace(points) });
    }
  }
  const width = Math.max(right, 5 * (NODE_WIDTH + 60));
  // Room under the network for the edges that leave it for the bands (layout/route.ts routes them there).
  let top = children.length ? bottom + 110 : 0;
  if (alone.length) top = rows(alone, sizeOf, 0, top, width, positions) + 70;
  const centres = new Map<string, number>();
  const centreOf = (id: string): number | undefined => {
    const p = positions[id] ?? endpoints.get(id);
    if (!p) return undefined;
    return p.x + (id.startsWith('pe:') ? ENDPOINT_SIZE.width : sizeOf(id).width) / 2;
  };
  for (const group of ['identity', 'monitoring'] as const) {
    const ids = nodes.filter((n) => band(n.type) === group).map((n) => n.id);
    if (!ids.length) continue;
    centres.clear();
    for (const id of ids.length > BAND_ROW_LIMIT ? [] : ids) {
      // Under the nodes it is joined to; under its private endpoint above all (the line to it is then short).
      let sum = 0;
      let weight = 0;
      for (const e of design.edges) {
        const other = e.from === id ? e.to : e.to === id ? (e.type === 'privateLink' ? `pe:${id}` : e.from) : undefined;
        const x = other === undefined ? undefined : centreOf(other);
        if (x === undefined) continue;
        const w = other!.startsWith('pe:') ? 3 : 1;
        sum += x * w;
        weight += w;
      }
      if (weight > 0) centres.set(id, sum / weight);
    }
    top = underNeighbours(ids, sizeOf, centres, top, width, positions) + 80;
  }
  // The virtualNetwork node is drawn as the network's container; its saved place is where the container starts.
  if (model?.nodeId && network) {
    const first = [...endpoints.values(), ...[...inNetwork].map((id) => positions[id]).filter((p): p is Position => !!p)];
    positions[model.nodeId] = first.length ? { x: Math.min(...first.map((p) => p.x)), y: Math.min(...first.map((p) => p.y)) } : { x: 0, y: 0 };
  }
  return { positions, endpoints, routes };
}

/** Endpoint-to-service lines are keyed like any other route. */
export const endpointLinkId = (target: string): string => `${ENDPOINT_LINK_PREFIX}${target}`;
