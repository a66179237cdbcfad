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
 * private endpoint sits in a column right of the other subnets, level with its service. Pure.
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
  /** Container id -> its box, in flow coordinates. */
  readonly boxes: Map<string, Rect>;
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
  for (const s of model.subnets) {
    if (s.id === model.endpointSubnet) continue;
    const inner = union(s.members.map(rectOf).filter((r): r is Rect => !!r));
    if (inner) boxes.set(s.id, around(inner, titleWidth(s.name, s.prefix)));
  }
  const endpoints = new Map<string, Position>();
  if (model.endpoints.length) {
    const others = union([...boxes.values()]);
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
    const inner = union([...endpoints.values()].map((p) => ({ x: p.x, y: p.y, ...ENDPOINT_SIZE })));
    const pep = model.subnets.find((s) => s.id === model.endpointSubnet);
    if (inner && pep) boxes.set(pep.id, around(inner, titleWidth(pep.name, pep.prefix)));
  }
  const subnetBoxes = model.subnets.map((s) => boxes.get(s.id)).filter((r): r is Rect => !!r);
  const all = union(subnetBoxes);
  if (all) boxes.set(model.id, around(all, titleWidth(model.title, model.addressSpace)));
  return { boxes, endpoints };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function containsPoint(r: Rect, x: number, y: number): boolean {
  return x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;
}
