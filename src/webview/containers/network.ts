/**
 * The virtual network and its subnets as containers on the canvas: derived state, never saved in the design. The
 * subnets are exactly the ones the generators create (planSubnets/allocatedSubnets in src/model/subnet-plan.ts,
 * the one plan both read), each titled with its Azure name and allocated prefix, and each resource that sits in a
 * subnet is drawn inside it:
 *
 * - Application Gateway in snet-agw (https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure),
 * - API Management injected in a virtual network in its own subnet (https://learn.microsoft.com/azure/api-management/virtual-network-concepts),
 * - each AKS cluster's nodes in its own subnet (https://learn.microsoft.com/azure/aks/concepts-network),
 * - Bastion in AzureBastionSubnet (https://learn.microsoft.com/azure/bastion/configuration-settings#subnet),
 * - one private endpoint per Private Link target in snet-pep, with a line to its service, which itself stays
 *   outside the network (https://learn.microsoft.com/azure/private-link/private-endpoint-overview).
 *
 * Geometry follows the nodes: a subnet is the box around its members, the network the box around its subnets, and a
 * private endpoint sits in a column right of the other subnets, level with its service. A box never covers a node
 * that is not in it: when the members sit apart with other nodes between them (a user's own layout, a grid), the
 * container is drawn as several boxes, each around members with no other node in between (`containerFragments`).
 * Pure.
 */
import type { Design, Position } from '../../schemas/design.js';
import { DesignIndex } from '../../model/design-index.js';
import { resourceName } from '../../model/naming.js';
import { allocatedSubnets, type SubnetRole } from '../../model/subnet-plan.js';
import { PRIVATE_LINK_ZONES } from '../catalog.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../graph.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SubnetModel {
  /** The React Flow id of the container: "subnet:<plan key>". */
  readonly id: string;
  readonly role: SubnetRole;
  /** Azure subnet name ("snet-aks") and its prefix ("10.0.0.0/20"; undefined when the address space is too small). */
  readonly name: string;
  readonly prefix: string | undefined;
  /** Design node ids drawn inside (for the endpoint subnet: the endpoint ids). */
  readonly members: readonly string[];
}

export interface EndpointModel {
  /** "pe:<target node id>". */
  readonly id: string;
  /** The service it connects to (outside the network). */
  readonly target: string;
  /** Azure name of the private endpoint ("pe-kv-payments-…") and its private DNS zone. */
  readonly name: string;
  readonly zone: string | undefined;
}

export interface NetworkModel {
  /** The React Flow id of the network container: the virtualNetwork node's id, or "vnet:default". */
  readonly id: string;
  /** The design node drawn as the container, when the design has a virtualNetwork node. */
  readonly nodeId: string | undefined;
  readonly title: string;
  readonly addressSpace: string;
  readonly subnets: readonly SubnetModel[];
  readonly endpoints: readonly EndpointModel[];
  /** Design node id -> the subnet container it sits in. */
  readonly home: ReadonlyMap<string, string>;
  /** Endpoint id -> the endpoint subnet container. */
  readonly endpointSubnet: string | undefined;
}

export const DEFAULT_NETWORK_ID = 'vnet:default';
export const ENDPOINT_PREFIX = 'pe:';
export const ENDPOINT_LINK_PREFIX = 'pe-link:';
export const SUBNET_PREFIX = 'subnet:';
/**
 * The React Flow id of a container's further box (n from 2): a subnet's is "subnet:<plan key>#<n>", the network's
 * "vnet:<network id>#<n>", so that whatever tells containers from design nodes by their prefix tells these too.
 */
export function partId(containerId: string, n: number): string {
  return `${containerId.startsWith(SUBNET_PREFIX) ? containerId : `vnet:${containerId}`}#${n}`;
}
export const ENDPOINT_SIZE: Size = { width: 150, height: 44 };

/** Padding inside a container and the height of its title band. */
export const PAD = 14;
export const TITLE = 24;
/** Space between the endpoint column and the other subnets. */
const COLUMN_GAP = 36;
/** Space between two endpoints of a column, and how many a column holds at least before it wraps. */
const ENDPOINT_GAP = 12;
const ENDPOINTS_PER_COLUMN = 12;

/** The private endpoint of a Private Link target, named as the generators name it. */
export function endpointName(design: Design, target: Design['nodes'][number]): string {
  return `pe-${resourceName(design.metadata.name, target).name}`.slice(0, 64).replace(/[-.]+$/, '');
}

/** The network of a design (undefined when the generators would create no subnet). */
export function networkModel(design: Design): NetworkModel | undefined {
  const index = new DesignIndex(design);
  const { addressSpace, subnets: planned } = allocatedSubnets(index);
  if (planned.length === 0) return undefined;
  const vnetNode = design.nodes.find((n) => n.type === 'virtualNetwork');
  const id = vnetNode?.id ?? DEFAULT_NETWORK_ID;
  const home = new Map<string, string>();
  const byId = new Map(design.nodes.map((n) => [n.id, n] as const));
  const endpoints: EndpointModel[] = [];
  const seenTargets = new Set<string>();
  for (const e of design.edges) {
    if (e.type !== 'privateLink' || seenTargets.has(e.to) || !byId.has(e.from)) continue;
    const target = byId.get(e.to);
    if (!target) continue;
    seenTargets.add(e.to);
    endpoints.push({ id: `${ENDPOINT_PREFIX}${e.to}`, target: e.to, name: endpointName(design, target), zone: PRIVATE_LINK_ZONES[target.type] });
  }
  let endpointSubnet: string | undefined;
  const subnets: SubnetModel[] = planned.map((s) => {
    const sid = `${SUBNET_PREFIX}${s.key}`;
    let members: string[];
    switch (s.role) {
      case 'appgw':
        members = [...new Set(design.nodes.filter((n) => n.type === 'applicationGateway').map((n) => n.id))];
        break;
      case 'bastion':
        members = [...new Set(design.nodes.filter((n) => n.type === 'bastion').map((n) => n.id))];
        break;
      case 'endpoints':
        members = endpoints.map((p) => p.id);
        endpointSubnet = sid;
        break;
      default:
        members = s.nodeId ? [s.nodeId] : [];
    }
    if (s.role !== 'endpoints') for (const m of members) if (!home.has(m)) home.set(m, sid);
    return { id: sid, role: s.role, name: s.name, prefix: s.prefix, members };
  });
  const title = vnetNode ? (vnetNode.label ?? vnetNode.id) : 'Virtual network';
  return { id, nodeId: vnetNode?.id, title, addressSpace, subnets, endpoints, home, endpointSubnet };
}

function union(rects: readonly Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.width);
    y1 = Math.max(y1, r.y + r.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The width a container's title needs ("snet-aks  10.0.0.0/20" at 12px, the name semibold), with its padding: a
 * generous estimate (no layout in this pure module), so that the title is never wider than its box.
 */
export function titleWidth(name: string, detail: string | undefined): number {
  return Math.ceil(name.length * 7.4 + (detail ? 8 + detail.length * 7 : 0) + 24);
}

/** The box of a container around `inner`: padding on every side, the title band on top, and room for the title. */
export function around(inner: Rect, minWidth = 0): Rect {
  return { x: inner.x - PAD, y: inner.y - PAD - TITLE, width: Math.max(inner.width + 2 * PAD, minWidth), height: inner.height + 2 * PAD + TITLE };
}

export interface NetworkGeometry {
  /**
   * Container id -> its box, in flow coordinates: the largest of its boxes when it is drawn as several (the one its
   * members are placed relative to).
   */
  readonly boxes: Map<string, Rect>;
  /** Container id -> its further boxes, when its members sit apart around nodes not in it (none for most designs). */
  readonly parts: Map<string, Rect[]>;
  /** Endpoint id -> its top left corner. */
  readonly endpoints: Map<string, Position>;
}

/**
 * Where the containers and endpoints go, given where the design's nodes are drawn. `fixedEndpoints` (from an
 * automatic layout) wins over the derived endpoint column.
 */
export function networkGeometry(
  model: NetworkModel,
  positions: ReadonlyMap<string, Position>,
  sizes: ReadonlyMap<string, Size>,
  fixedEndpoints?: ReadonlyMap<string, Position>,
): NetworkGeometry {
  const rectOf = (id: string): Rect | undefined => {
    const p = positions.get(id);
    if (!p) return undefined;
    const s = sizes.get(id) ?? { width: NODE_WIDTH, height: NODE_HEIGHT };
    return { x: p.x, y: p.y, width: s.width, height: s.height };
  };
  const boxes = new Map<string, Rect>();
  const parts = new Map<string, Rect[]>();
  const setFragments = (id: string, rects: Rect[]) => {
    if (rects.length === 0) return;
    const sorted = [...rects].sort((a, b) => b.width * b.height - a.width * a.height);
    boxes.set(id, sorted[0]!);
    if (sorted.length > 1) parts.set(id, sorted.slice(1));
  };
  // Every design node drawn on its own (not the network node, which is drawn as the network's container).
  const drawn: { id: string; rect: Rect }[] = [];
  for (const id of positions.keys()) {
    if (id === model.nodeId) continue;
    const r = rectOf(id);
    if (r) drawn.push({ id, rect: r });
  }
  const drawnRect = new Map(drawn.map((d) => [d.id, d.rect]));
  const everyNode = new RectIndex(drawn.map((d) => d.rect));
  for (const s of model.subnets) {
    if (s.id === model.endpointSubnet) continue;
    const rects = s.members.map((m) => drawnRect.get(m)).filter((r): r is Rect => !!r);
    const minWidth = titleWidth(s.name, s.prefix);
    setFragments(s.id, containerFragments(rects, everyNode.without(new Set(rects)), (inner) => around(inner, minWidth)));
  }
  const endpoints = new Map<string, Position>();
  if (model.endpoints.length) {
    const others = union([...boxes.values(), ...[...parts.values()].flat()]);
    const top = others ? others.y + PAD + TITLE : undefined;
    const placed = model.endpoints.map((e) => {
      const fixed = fixedEndpoints?.get(e.id);
      if (fixed) return { e, x: fixed.x, y: fixed.y, fixed: true, order: 0 };
      const t = rectOf(e.target);
      const x = others ? others.x + others.width + COLUMN_GAP + PAD : t ? t.x - ENDPOINT_SIZE.width - 3 * PAD - COLUMN_GAP : 0;
      const y = top ?? (t ? t.y + t.height / 2 - ENDPOINT_SIZE.height / 2 : 0);
      return { e, x, y, fixed: false, order: t ? t.y * 1e6 + t.x : 0 };
    });
    // Derived endpoints: one column from the top of the other subnets, in the order of their services (so the
    // network stays as tall as its subnets), never on top of each other. A column that would grow past the other
    // subnets (and past ENDPOINTS_PER_COLUMN) wraps into the next one to its right: a design with hundreds of
    // Private Link targets otherwise gets a column many times taller than the rest of the drawing, and fitting
    // the view to it leaves every other node out of sight.
    const derived = placed.filter((p) => !p.fixed).sort((a, b) => a.order - b.order);
    const step = ENDPOINT_SIZE.height + ENDPOINT_GAP;
    const perColumn = others ? Math.max(ENDPOINTS_PER_COLUMN, Math.floor((others.height - PAD - TITLE + ENDPOINT_GAP) / step)) : Infinity;
    let bottom = -Infinity;
    derived.forEach((p, i) => {
      const column = Math.floor(i / perColumn);
      if (column > 0 && i % perColumn === 0) bottom = -Infinity;
      p.x += column * (ENDPOINT_SIZE.width + COLUMN_GAP);
      p.y = Math.max(p.y, bottom + ENDPOINT_GAP);
      bottom = p.y + ENDPOINT_SIZE.height;
    });
    for (const p of placed) endpoints.set(p.e.id, { x: Math.round(p.x), y: Math.round(p.y) });
    const pep = model.subnets.find((s) => s.id === model.endpointSubnet);
    if (pep) {
      const rects = [...endpoints.values()].map((p) => ({ x: p.x, y: p.y, ...ENDPOINT_SIZE }));
      const minWidth = titleWidth(pep.name, pep.prefix);
      setFragments(pep.id, containerFragments(rects, everyNode, (inner) => around(inner, minWidth)));
    }
  }
  // The network around its subnets' boxes, never over a node outside every subnet.
  const subnetBoxes = model.subnets.flatMap((s) => containerRects({ boxes, parts }, s.id));
  const outside = new RectIndex(drawn.filter((d) => !model.home.has(d.id)).map((d) => d.rect));
  const minWidth = titleWidth(model.title, model.addressSpace);
  setFragments(model.id, containerFragments(subnetBoxes, outside, (inner) => around(inner, minWidth)));
  return { boxes, parts, endpoints };
}

/**
 * A further box of a container whose members sit apart (NetworkGeometry.parts): drawn like its container (a subnet's
 * dashed border, its name and range in the title band, with a tooltip) but holding nothing, neither selectable,
 * connectable nor focusable. Not a React Flow node: the canvas draws every part in one layer under the edges and
 * nodes (PartsLayer.tsx), since React Flow's per-node work on every drag frame grows with the nodes it holds, and a
 * design on a grid has hundreds of parts.
 */
export interface PartBox {
  /** partId(container, n): "subnet:<plan key>#<n>" or "vnet:<network id>#<n>". */
  readonly id: string;
  /** The container it is a part of. */
  readonly container: string;
  readonly kind: 'subnet' | 'vnet';
  readonly title: string;
  readonly detail: string;
  readonly ariaLabel: string;
  readonly tooltip: string;
  /** Where it is drawn, in flow coordinates. */
  readonly rect: Rect;
}

/**
 * Every further box of the network's containers, the network's first and then each subnet's (in the plan's order), so
 * that drawn in this order a subnet's part lies over the network's part around it.
 */
export function partBoxes(model: NetworkModel, geometry: NetworkGeometry): PartBox[] {
  const out: PartBox[] = [];
  const add = (id: string, subnet: SubnetModel | undefined) => {
    const rects = geometry.parts.get(id);
    if (!rects) return;
    const title = subnet ? subnet.name : model.title;
    const detail = subnet ? (subnet.prefix ?? '') : model.addressSpace;
    rects.forEach((rect, i) => {
      out.push({
        id: partId(id, i + 2),
        container: id,
        kind: subnet ? 'subnet' : 'vnet',
        title,
        detail,
        ariaLabel: `${subnet ? 'Subnet' : 'Virtual network'} ${title}${detail ? ` ${detail}` : ''}, part ${i + 2} of ${rects.length + 1}`,
        tooltip: `${subnet ? `Subnet ${subnet.name}` : `Virtual network ${model.title}`}: drawn in ${rects.length + 1} parts, as its members sit apart with other nodes between them.`,
        rect,
      });
    });
  };
  add(model.id, undefined);
  for (const s of model.subnets) add(s.id, s);
  return out;
}

/** Every box of container `id`: its main box first, then its further ones. */
export function containerRects(geometry: Pick<NetworkGeometry, 'boxes' | 'parts'>, id: string): Rect[] {
  const box = geometry.boxes.get(id);
  return box ? [box, ...(geometry.parts.get(id) ?? [])] : [];
}

/** A grid of rectangles, to ask which ones a box overlaps without testing every one. */
export class RectIndex {
  static readonly CELL = 320;
  private readonly cells = new Map<number, Rect[]>();
  /**
   * `skip`: rectangles of `rects` that do not count (the members of the container asked about), so that one index
   * of every node serves every container.
   */
  constructor(
    rects: readonly Rect[],
    private readonly skip: ReadonlySet<Rect> = new Set(),
  ) {
    const c = RectIndex.CELL;
    for (const r of rects) {
      for (let gx = Math.floor(r.x / c); gx <= Math.floor((r.x + r.width) / c); gx++) {
        for (let gy = Math.floor(r.y / c); gy <= Math.floor((r.y + r.height) / c); gy++) {
          const key = gx * 1_000_003 + gy;
          const list = this.cells.get(key);
          if (list) list.push(r);
          else this.cells.set(key, [r]);
        }
      }
    }
  }
  /** The same rectangles, with `skip` not counting. */
  without(skip: ReadonlySet<Rect>): RectIndex {
    const copy = Object.create(RectIndex.prototype) as { cells: Map<number, Rect[]>; skip: ReadonlySet<Rect> };
    copy.cells = this.cells;
    copy.skip = skip;
    return copy as unknown as RectIndex;
  }
  /** Whether `box` overlaps any rectangle of the index. */
  hits(box: Rect): boolean {
    if (this.cells.size === 0) return false;
    const c = RectIndex.CELL;
    for (let gx = Math.floor(box.x / c); gx <= Math.floor((box.x + box.width) / c); gx++) {
      for (let gy = Math.floor(box.y / c); gy <= Math.floor((box.y + box.height) / c); gy++) {
        const list = this.cells.get(gx * 1_000_003 + gy);
        if (list) for (const r of list) if (intersects(r, box) && !this.skip.has(r)) return true;
      }
    }
    return false;
  }
}

/** Whether `a` and `b` are less than `d` apart. */
function near(a: Rect, b: Rect, d: number): boolean {
  return a.x - d < b.x + b.width && b.x - d < a.x + a.width && a.y - d < b.y + b.height && b.y - d < a.y + a.height;
}

/** How many of the boxes made last a member tries, besides the ones near it (see containerFragments). */
const RECENT_GROUPS = 8;

/**
 * The boxes that draw one container around `members` (rectangles in flow coordinates) without covering any
 * rectangle of `others`: members are gathered greedily (top to bottom, left to right) into a box that can take
 * them, then boxes close to each other are merged while the merged box covers nothing of `others`. `frame` turns
 * the union of a box's members into the box drawn (padding, title band). Members in one place give one box, as
 * before. A member tries the boxes near it and the last few made (all of them while there are few), not every
 * box: at 1,000 nodes on a grid the network has hundreds of boxes, and trying every pair cost 80 ms a drawing.
 */
export function containerFragments(members: readonly Rect[], others: RectIndex, frame: (inner: Rect) => Rect): Rect[] {
  const order = [...members].sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: { inner: Rect; outer: Rect }[] = [];
  for (const m of order) {
    let placed = false;
    for (let gi = groups.length - 1; gi >= 0; gi--) {
      const g = groups[gi]!;
      if (groups.length - gi > RECENT_GROUPS && !near(g.outer, m, RectIndex.CELL)) continue;
      const inner = union([g.inner, m])!;
      const outer = frame(inner);
      if (others.hits(outer)) continue;
      g.inner = inner;
      g.outer = outer;
      placed = true;
      break;
    }
    if (placed) continue;
    // A member too close to another node for the padding and title band: its box is drawn tight around it (for the
    // network, around a subnet's box, whose own title then shows), so that it still covers nothing else.
    const outer = frame(m);
    groups.push({ inner: m, outer: others.hits(outer) ? m : outer });
  }
  for (let merged = groups.length > 1; merged; ) {
    merged = false;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        if (!near(groups[i]!.outer, groups[j]!.outer, RectIndex.CELL)) continue;
        const inner = union([groups[i]!.inner, groups[j]!.inner])!;
        const outer = frame(inner);
        if (others.hits(outer)) continue;
        groups[i] = { inner, outer };
        groups.splice(j, 1);
        j = i;
        merged = true;
      }
    }
  }
  return groups.map((g) => g.outer);
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function containsPoint(r: Rect, x: number, y: number): boolean {
  return x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;
}
