/**
 * Automatic layout with ELK (elkjs): layered, left to right, orthogonal edge routing. Data-plane edges
 * (https, mtls, privateLink, token validation, image pull, secrets, remote access) shape the layers;
 * monitoring and security edges (diagnostics, protects, siem) would pull every resource towards the
 * workspace, so they are left out of the layout graph.
 *
 * In a webview ELK runs without a worker: the Content Security Policy forbids blob: workers, and
 * elk.bundled.js runs the layout in the page's own thread (its built-in fake worker) when no `workerUrl`
 * is given. Layouts of a few hundred nodes take well under a second.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { Design, EdgeType, Position } from '../schemas/design.js';
import { NODE_HEIGHT, NODE_WIDTH } from './graph.js';

/** Edge types that do not take part in the layout. */
export const LAYOUT_IGNORED_EDGES: ReadonlySet<EdgeType> = new Set<EdgeType>(['diagnostics', 'protects', 'siem']);

export const LAYOUT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  // Room between layers for the edge labels (certificates, CAs, private endpoints).
  'elk.layered.spacing.nodeNodeBetweenLayers': '130',
  'elk.spacing.nodeNode': '44',
  'elk.spacing.componentComponent': '64',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.separateConnectedComponents': 'true',
};

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * The ELK graph of some nodes of a design (all when `ids` is undefined) and the edges among them.
 * `sizes` gives measured node sizes; the default size is used for the others.
 */
export function buildLayoutGraph(design: Design, ids?: ReadonlySet<string>, sizes: ReadonlyMap<string, Size> = new Map()): ElkNode {
  const included = new Set<string>();
  const children: ElkNode[] = [];
  for (const node of design.nodes) {
    if (included.has(node.id) || (ids && !ids.has(node.id))) continue;
    included.add(node.id);
    const size = sizes.get(node.id);
    children.push({ id: node.id, width: size?.width ?? NODE_WIDTH, height: size?.height ?? NODE_HEIGHT });
  }
  const edges: ElkExtendedEdge[] = [];
  const seen = new Set<string>();
  for (const edge of design.edges) {
    if (LAYOUT_IGNORED_EDGES.has(edge.type) || edge.from === edge.to) continue;
    if (!included.has(edge.from) || !included.has(edge.to)) continue;
    const key = `${edge.from}\u0000${edge.to}`;
    if (seen.has(key)) continue; // parallel edges add nothing to the layering
    seen.add(key);
    edges.push({ id: `e${edges.length}`, sources: [edge.from], targets: [edge.to] });
  }
  return { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges };
}

/** The positions ELK computed, shifted by `origin`. */
export function positionsOf(result: ElkNode, origin: Position = { x: 0, y: 0 }): Record<string, Position> {
  const out: Record<string, Position> = {};
  for (const child of result.children ?? []) {
    out[child.id] = { x: Math.round((child.x ?? 0) + origin.x), y: Math.round((child.y ?? 0) + origin.y) };
  }
  return out;
}

/** Where a block of newly laid out nodes goes: to the right of everything already placed, top-aligned. */
export function originBeside(placed: Iterable<Position>, gap = 120): Position {
  let maxX = -Infinity;
  let minY = Infinity;
  for (const p of placed) {
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
  }
  return Number.isFinite(maxX) ? { x: Math.round(maxX + NODE_WIDTH + gap), y: Math.round(minY) } : { x: 0, y: 0 };
}

/** Anything with ELK's `layout` method (the real ELK, or a stand-in in tests). */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let engine: Promise<LayoutEngine> | undefined;

/** ELK in this thread (loaded on first use, so that opening a design with a layout never pays for it). */
export function elk(): Promise<LayoutEngine> {
  engine ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m.default ?? m) as unknown as new () => LayoutEngine;
    return new ELK();
  });
  return engine;
}

/**
 * Nodes that no layout edge joins (monitoring and security services, identities) in rows under the laid out
 * block, rather than scattered by ELK's packing of one-node components.
 */
export function rowsUnder(ids: readonly string[], sizes: ReadonlyMap<string, Size>, top: number, width: number): Record<string, Position> {
  const out: Record<string, Position> = {};
  let x = 0;
  let y = top;
  let rowHeight = 0;
  for (const id of ids) {
    const size = sizes.get(id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
    if (x > 0 && x + size.width > width) {
      x = 0;
      y += rowHeight + 44;
      rowHeight = 0;
    }
    out[id] = { x, y };
    x += size.width + 44;
    rowHeight = Math.max(rowHeight, size.height);
  }
  return out;
}

/**
 * Lays out nodes of a design. With `only`, just those nodes are laid out (among themselves) and the block is
 * put beside `placed`; without it, everything is laid out from the origin.
 */
export async function layoutDesign(
  design: Design,
  options: { only?: ReadonlySet<string>; placed?: Iterable<Position>; sizes?: ReadonlyMap<string, Size>; engine?: LayoutEngine } = {},
): Promise<Record<string, Position>> {
  const sizes = options.sizes ?? new Map<string, Size>();
  const graph = buildLayoutGraph(design, options.only, sizes);
  if (!graph.children?.length) return {};
  const linked = new Set((graph.edges ?? []).flatMap((e) => [...e.sources, ...e.targets]));
  const alone = graph.children.filter((c) => !linked.has(c.id)).map((c) => c.id);
  let placed: Record<string, Position> = {};
  let bottom = 0;
  let right = 0;
  if (linked.size > 0) {
    const result = await (options.engine ?? (await elk())).layout({ ...graph, children: graph.children.filter((c) => linked.has(c.id)) });
    placed = positionsOf(result);
    for (const c of result.children ?? []) {
      bottom = Math.max(bottom, (c.y ?? 0) + (c.height ?? NODE_HEIGHT));
      right = Math.max(right, (c.x ?? 0) + (c.width ?? NODE_WIDTH));
    }
  }
  const rowWidth = Math.max(right, 5 * (NODE_WIDTH + 44));
  Object.assign(placed, rowsUnder(alone, sizes, linked.size > 0 ? Math.round(bottom + 100) : 0, rowWidth));
  const origin = options.only ? originBeside(options.placed ?? []) : { x: 0, y: 0 };
  return Object.fromEntries(Object.entries(placed).map(([id, p]) => [id, { x: p.x + origin.x, y: p.y + origin.y }]));
}
