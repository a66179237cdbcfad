/**
 * Orthogonal routes for the edges as they are drawn now (saved positions, containers around their members), the way
 * Microsoft's architecture center draws them: an edge leaves its node's subnet and the virtual network by the
 * shortest clean way, in the channels between subnets and nodes, and arrives at a node of a band from above.
 *
 * A shortest path (A*) on a sparse grid (the "orthogonal visibility" lines: each obstacle's sides at a margin, the
 * middles of the gaps between them, the nodes' middles), where a step costs its length, a bend costs BEND, and
 * crossing the border of a container an end sits in costs CROSS (so an edge leaves its subnet and the network once).
 * Forbidden: the inside of every node (its own ends too: a route starts and ends on a short stub out of a side of its
 * node), and of every container (subnet or network) that holds neither end.
 *
 * Then the routes are nudged apart (orthogonal edge separation, as ELK and yFiles do, and libavoid's "nudging" in the
 * paper below): where pieces of different edges run along the same line, each is moved SEPARATION px off the others,
 * in an order that adds no crossing, so that a user can follow each edge. Edges that share an end share the straight
 * piece into (or out of) it; an end on a node's top or bottom moves along that side with its piece.
 *
 * ELK routes only the request path it lays out (layout/architecture.ts), and only right after an automatic layout;
 * these routes are for every edge, at any positions. Pure: no React, no DOM.
 * Orthogonal connector routing: https://doi.org/10.1007/978-3-642-11805-0_22 (Wybrow, Marriott, Stuckey)
 */
import type { Position } from '../../schemas/design.js';
import { ENDPOINT_SIZE, type NetworkGeometry, type NetworkModel, type Rect } from '../containers/network.js';
import { labelPlace, routeKey, type Route } from './architecture.js';
import { nudge, runsAlongOthers, STUB, type Placed } from './separate.js';

export { SEPARATION } from './separate.js';

export interface RouteContainer {
  readonly id: string;
  readonly rect: Rect;
  /** Ids of the nodes drawn inside it (for the network: the members of every subnet too). */
  readonly members: ReadonlySet<string>;
}

export interface RouteRequest {
  readonly source: string;
  readonly target: string;
}

export interface RouteScene {
  /** Every node drawn (design nodes and private endpoints), by id: obstacles to every edge. */
  readonly nodes: ReadonlyMap<string, Rect>;
  /** Containers, outermost first. A container may also be an edge's end (the network drawn for its node): `ends`. */
  readonly containers: readonly RouteContainer[];
  /** Edge ends that are drawn as a container (the virtualNetwork node's id -> the network's box). */
  readonly ends?: ReadonlyMap<string, Rect>;
}

/**
 * The scene of a drawing: `rects` (every design node drawn, absolute), the private endpoints and the containers of the
 * network's geometry, the network first; the virtualNetwork node is an edge end drawn as the network's box.
 */
export function sceneOf(model: NetworkModel | undefined, geometry: NetworkGeometry | undefined, rects: ReadonlyMap<string, Rect>): RouteScene {
  const nodes = new Map(rects);
  const containers: RouteContainer[] = [];
  const ends = new Map<string, Rect>();
  if (model && geometry) {
    if (model.nodeId) nodes.delete(model.nodeId);
    for (const [id, p] of geometry.endpoints) nodes.set(id, { x: p.x, y: p.y, ...ENDPOINT_SIZE });
    const vnet = geometry.boxes.get(model.id);
    if (vnet) {
      containers.push({ id: model.id, rect: vnet, members: new Set(model.subnets.flatMap((s) => s.members)) });
      if (model.nodeId) ends.set(model.nodeId, vnet);
    }
    for (const s of model.subnets) {
      const box = geometry.boxes.get(s.id);
      if (box) containers.push({ id: s.id, rect: box, members: new Set(s.members) });
    }
  }
  return { nodes, containers, ends };
}

/** A route also says where it starts and ends, to be checked against the handles React Flow draws the edge from. */
export interface PlacedRoute extends Route {
  /** The right middle of the source and the left middle of the target when the route was made (the handles). */
  readonly anchors: { readonly source: Position; readonly target: Position };
}

/**
 * Routing stops above this many obstacles (the grid grows with their square; the reference design's 36 edges take
 * tens of milliseconds, a random 80-node design some hundreds): edges then use step paths.
 */
export const ROUTE_NODE_LIMIT = 80;

/** Clearance kept around a node or container. */
const MARGIN = 8;
const BEND = 36;
const CROSS = 5000;
/** Leaving (entering) a container by a side that does not face the edge's other end, when one does. */
const OFF_SIDE = 400;
/** A step over a line an earlier route already took: edges spread over the channels instead of sharing one line. */
const SHARED = 0.6;
type Dir = 0 | 1 | 2 | 3; // east, south, west, north
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

interface Port {
  /** On the node's border. */
  readonly at: Position;
  /** The end of the stub, off the border. */
  readonly off: Position;
  /** Direction of travel from `at` to `off` (source) or from `off` to `at` (target). */
  readonly dir: Dir;
}

function ports(r: Rect, role: 'source' | 'target'): Port[] {
  const cx = r.x + r.width / 2;
  const cy = r.y + r.height / 2;
  const east = { at: { x: r.x + r.width, y: cy }, off: { x: r.x + r.width + STUB, y: cy } };
  const west = { at: { x: r.x, y: cy }, off: { x: r.x - STUB, y: cy } };
  const south = { at: { x: cx, y: r.y + r.height }, off: { x: cx, y: r.y + r.height + STUB } };
  const north = { at: { x: cx, y: r.y }, off: { x: cx, y: r.y - STUB } };
  // A source leaves by its right side (where its handle is), or down or up; a target is entered from its left side
  // (its handle), or from above or below.
  return role === 'source'
    ? [{ ...east, dir: 0 }, { ...south, dir: 1 }, { ...north, dir: 3 }]
    : [{ ...west, dir: 0 }, { ...north, dir: 1 }, { ...south, dir: 3 }];
}

const inside = (r: Rect, x: number, y: number): boolean => x > r.x && x < r.x + r.width && y > r.y && y < r.y + r.height;
const grow = (r: Rect, m: number): Rect => ({ x: r.x - m, y: r.y - m, width: r.width + 2 * m, height: r.height + 2 * m });

/** Sorted distinct coordinates, with the middle of every gap wider than two margins added. */
function axis(values: number[]): number[] {
  const sorted = [...new Set(values.map((v) => Math.round(v * 2) / 2))].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i]! - sorted[i - 1]! > 4 * MARGIN) out.push((sorted[i]! + sorted[i - 1]!) / 2);
    out.push(sorted[i]!);
  }
  return out;
}

/** A binary min-heap of state indexes by priority. */
class Heap {
  private readonly items: number[] = [];
  private readonly keys: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(item: number, key: number): void {
    const items = this.items;
    const keys = this.keys;
    let i = items.length;
    items.push(item);
    keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      items[i] = items[p]!;
      keys[i] = keys[p]!;
      i = p;
    }
    items[i] = item;
    keys[i] = key;
  }
  pop(): number {
    const items = this.items;
    const keys = this.keys;
    const top = items[0]!;
    const lastItem = items.pop()!;
    const lastKey = keys.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && keys[r]! < keys[l]! ? r : l;
        if (keys[c]! >= lastKey) break;
        items[i] = items[c]!;
        keys[i] = keys[c]!;
        i = c;
      }
      items[i] = lastItem;
      keys[i] = lastKey;
    }
    return top;
  }
}

/**
 * Routes for `edges` in `scene`, by `routeKey(source, target)`. An edge whose end is not in the scene, or that has
 * no clean way, gets no route (the canvas then draws its step path).
 */
export function routeEdges(scene: RouteScene, edges: readonly RouteRequest[]): Map<string, PlacedRoute> {
  const out = new Map<string, PlacedRoute>();
  if (scene.nodes.size === 0 || scene.nodes.size > ROUTE_NODE_LIMIT || scene.containers.length > 30) return out;
  const rectOf = (id: string): Rect | undefined => scene.nodes.get(id) ?? scene.ends?.get(id);

  const blocks = [...scene.nodes.values()].map((r) => grow(r, MARGIN));
  const xsIn: number[] = [];
  const ysIn: number[] = [];
  for (const b of blocks) {
    xsIn.push(b.x, b.x + b.width);
    ysIn.push(b.y, b.y + b.height);
  }
  for (const c of scene.containers) {
    const r = c.rect;
    xsIn.push(r.x - MARGIN, r.x + r.width + MARGIN, r.x + MARGIN, r.x + r.width - MARGIN);
    ysIn.push(r.y - MARGIN, r.y + r.height + MARGIN, r.y + MARGIN, r.y + r.height - MARGIN);
  }
  for (const r of [...scene.nodes.values(), ...(scene.ends?.values() ?? [])]) {
    for (const p of [...ports(r, 'source'), ...ports(r, 'target')]) {
      xsIn.push(p.off.x);
      ysIn.push(p.off.y);
    }
  }
  const xs = axis(xsIn);
  const ys = axis(ysIn);
  const nx = xs.length;
  const ny = ys.length;
  const xIndex = new Map(xs.map((x, i) => [x, i]));
  const yIndex = new Map(ys.map((y, i) => [y, i]));

  // Per step between neighbouring grid points (east of point i: hStep[i], south of it: vStep[i]): whether it runs
  // through a node, and which containers its middle is inside (a bit each).
  const count = nx * ny;
  const hBlocked = new Uint8Array(count);
  const vBlocked = new Uint8Array(count);
  const hMask = new Int32Array(count);
  const vMask = new Int32Array(count);
  const pointMask = new Int32Array(count);
  const maskAt = (x: number, y: number): number => {
    let m = 0;
    scene.containers.forEach((c, k) => {
      if (inside(c.rect, x, y)) m |= 1 << k;
    });
    return m;
  };
  const blockedAt = (x: number, y: number): boolean => blocks.some((b) => inside(b, x, y));
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const p = j * nx + i;
      pointMask[p] = maskAt(xs[i]!, ys[j]!);
      if (i + 1 < nx) {
        const mx = (xs[i]! + xs[i + 1]!) / 2;
        hBlocked[p] = blockedAt(mx, ys[j]!) ? 1 : 0;
        hMask[p] = maskAt(mx, ys[j]!);
      }
      if (j + 1 < ny) {
        const my = (ys[j]! + ys[j + 1]!) / 2;
        vBlocked[p] = blockedAt(xs[i]!, my) ? 1 : 0;
        vMask[p] = maskAt(xs[i]!, my);
      }
    }
  }
  const used = new Uint8Array(count * 2);

  const dist = new Float64Array(count * 4);
  const prev = new Int32Array(count * 4);
  const stamp = new Int32Array(count * 4);
  const closed = new Int32Array(count * 4);
  let run = 0;

  /** The pairs of ends routed already: one route per pair. */
  const done = new Set<string>();
  const placed: Placed[] = [];
  for (const edge of edges) {
    const key = routeKey(edge.source, edge.target);
    if (done.has(key) || edge.source === edge.target) continue;
    const s = rectOf(edge.source);
    const t = rectOf(edge.target);
    if (!s || !t) continue;
    let allowed = 0;
    scene.containers.forEach((c, k) => {
      if (c.members.has(edge.source) || c.members.has(edge.target)) allowed |= 1 << k;
    });
    const forbidden = ~allowed;
    // Per container that holds one end only: the sides (a bit each, by direction of travel out of it: east, south,
    // west, north) that face the other end; crossing its border elsewhere costs OFF_SIDE.
    const facing = scene.containers.map((c) => {
      const hasSource = c.members.has(edge.source);
      if (hasSource === c.members.has(edge.target)) return 0;
      const other = hasSource ? t : s;
      const r = c.rect;
      let m = 0;
      if (other.x >= r.x + r.width) m |= 1 << 0;
      if (other.y >= r.y + r.height) m |= 1 << 1;
      if (other.x + other.width <= r.x) m |= 1 << 2;
      if (other.y + other.height <= r.y) m |= 1 << 3;
      return m;
    });
    /** The cost of a step in direction `nd` that crosses the borders in `crossed`. */
    const offSide = (crossed: number, nd: Dir, leaving: number): number => {
      let cost = 0;
      for (let k = 0; crossed >> k; k++) {
        if (!((crossed >> k) & 1) || !facing[k]) continue;
        // Out of the container its way of travel; into it, the side it comes in by faces the opposite way.
        const side = (leaving >> k) & 1 ? nd : (nd + 2) % 4;
        if (!((facing[k]! >> side) & 1)) cost += OFF_SIDE;
      }
      return cost;
    };
    const starts = ports(s, 'source');
    // A node outside the containers (a band's service) is entered from above when its source is above it, from
    // below when below: the edge comes down to the band instead of running along it to a side.
    // Above or below: the source's outermost container (a node in a subnet is as low as the network's bottom).
    const banded = !scene.containers.some((c) => c.members.has(edge.target));
    const outer = scene.containers.find((c) => c.members.has(edge.source))?.rect ?? s;
    const goals = ports(t, 'target');
    const preferred = !banded ? goals : outer.y + outer.height < t.y ? goals.filter((g) => g.dir === 1) : outer.y > t.y + t.height ? goals.filter((g) => g.dir === 3) : goals;
    const goalAt = new Map<number, Port>();
    for (const list of [preferred, goals]) {
      for (const g of list) {
        const i = xIndex.get(Math.round(g.off.x * 2) / 2);
        const j = yIndex.get(Math.round(g.off.y * 2) / 2);
        if (i === undefined || j === undefined || blockedAt(g.off.x, g.off.y) || (pointMask[j * nx + i]! & forbidden)) continue;
        goalAt.set(j * nx + i, g);
      }
      if (goalAt.size > 0) break;
    }
    if (goalAt.size === 0) continue;
    // Under-estimates the rest of the way: its length, and one crossing per container border between here and the
    // goal (without them A* would look at every point cheaper than one crossing, which is the whole grid).
    const goalList = [...goalAt].map(([point, g]) => ({ x: g.off.x, y: g.off.y, mask: pointMask[point]! & allowed }));
    // And the bends it needs at least: one when the goal is off both axes, one when it is on an axis the edge does
    // not head along (without them, every way one bend cheaper than the best is looked at).
    const h = (i: number, j: number, dir: Dir): number => {
      let best = Infinity;
      const here = pointMask[j * nx + i]! & allowed;
      for (const g of goalList) {
        const dx = g.x - xs[i]!;
        const dy = g.y - ys[j]!;
        const ahead = (dx === 0 || Math.sign(dx) === DX[dir]) && (dy === 0 || Math.sign(dy) === DY[dir]);
        const bends = dx !== 0 && dy !== 0 ? 1 : ahead ? 0 : 1;
        best = Math.min(best, Math.abs(dx) + Math.abs(dy) + bits(here ^ g.mask) * CROSS + bends * BEND);
      }
      return best;
    };
    run++;
    const heap = new Heap();
    const startPort = new Map<number, Port>();
    for (const p of starts) {
      const i = xIndex.get(Math.round(p.off.x * 2) / 2);
      const j = yIndex.get(Math.round(p.off.y * 2) / 2);
      if (i === undefined || j === undefined || blockedAt(p.off.x, p.off.y) || (pointMask[j * nx + i]! & forbidden)) continue;
      const state = (j * nx + i) * 4 + p.dir;
      stamp[state] = run;
      dist[state] = STUB;
      prev[state] = -1;
      startPort.set(state, p);
      heap.push(state, STUB + h(i, j, p.dir));
    }
    let found = -1;
    let foundCost = Infinity;
    while (heap.size > 0) {
      const state = heap.pop();
      if (closed[state] === run) continue;
      closed[state] = run;
      const d = dist[state]!;
      const point = state >> 2;
      const dir = (state & 3) as Dir;
      const i = point % nx;
      const j = (point - i) / nx;
      if (d + h(i, j, dir) >= foundCost) break;
      const goal = goalAt.get(point);
      if (goal) {
        const total = d + STUB + (goal.dir === dir ? 0 : (goal.dir + 2) % 4 === dir ? 2 * BEND : BEND);
        if (total < foundCost) {
          foundCost = total;
          found = state;
        }
      }
      for (let nd = 0 as Dir; nd < 4; nd = (nd + 1) as Dir) {
        if (nd === (dir + 2) % 4) continue;
        const ni = i + DX[nd];
        const nj = j + DY[nd];
        if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue;
        const np = nj * nx + ni;
        // The step's own cell: east/south steps are stored at their start point, west/north ones at their end.
        const cell = nd === 0 || nd === 1 ? point : np;
        const horizontal = nd === 0 || nd === 2;
        if ((horizontal ? hBlocked[cell] : vBlocked[cell]) || ((horizontal ? hMask[cell]! : vMask[cell]!) & forbidden)) continue;
        const length = horizontal ? Math.abs(xs[ni]! - xs[i]!) : Math.abs(ys[nj]! - ys[j]!);
        const crossed = (pointMask[point]! ^ pointMask[np]!) & allowed;
        const crossings = bits(crossed);
        const cost =
          d + length * (used[cell * 2 + (horizontal ? 0 : 1)] ? 1 + SHARED : 1) + (nd === dir ? 0 : BEND) + crossings * CROSS + (crossed ? offSide(crossed, nd, pointMask[point]!) : 0);
        const ns = np * 4 + nd;
        if (stamp[ns] === run && dist[ns]! <= cost) continue;
        stamp[ns] = run;
        dist[ns] = cost;
        prev[ns] = state;
        // Among equal estimates the one further along first: a grid has many equally short ways, and A* would
        // otherwise look at all of them.
        heap.push(ns, cost + h(ni, nj, nd) - cost * 1e-9);
      }
    }
    if (found < 0) continue;
    const grid: Position[] = [];
    let first = found;
    for (let st = found; st >= 0; st = prev[st]!) {
      const p = st >> 2;
      grid.push({ x: xs[p % nx]!, y: ys[Math.floor(p / nx)]! });
      first = st;
      if (prev[st]! >= 0) {
        const q = prev[st]! >> 2;
        const horizontal = Math.floor(p / nx) === Math.floor(q / nx);
        used[Math.min(p, q) * 2 + (horizontal ? 0 : 1)] = 1;
      }
    }
    grid.reverse();
    const start = startPort.get(first)!;
    const goal = goalAt.get(found >> 2)!;
    const points = centred(simplify([start.at, ...grid, goal.at]), (x, y0, y1) => {
      // The new upright piece must run over no node and stay in the containers it was in.
      const mask = maskAt(x, y0);
      for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y += 2) if (blockedAt(x, y) || maskAt(x, y) !== mask || mask & forbidden) return false;
      return true;
    });
    done.add(key);
    const anchors = { source: { x: s.x + s.width, y: s.y + s.height / 2 }, target: { x: t.x, y: t.y + t.height / 2 } };
    placed.push({ key, source: edge.source, target: edge.target, points, forbidden, anchors });
  }

  // Pieces of different edges on one line nudged apart; a move is kept only if the route still runs over no node
  // and through the same containers (masks) in the same order.
  // Only the pieces a move changes (the moved one and its two neighbours) are looked at.
  const masksAlong = (points: readonly Position[], from: number, to: number): number[] => {
    const out: number[] = [];
    for (let i = from + 1; i <= to; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const len = Math.abs(b.x - a.x) + Math.abs(b.y - a.y);
      for (let at = 0; at <= len; at += 2) {
        const m = maskAt(a.x + ((b.x - a.x) * at) / len, a.y + ((b.y - a.y) * at) / len);
        if (out[out.length - 1] !== m) out.push(m);
      }
    }
    return out;
  };
  const near = [...scene.nodes].map(([id, n]) => ({ id, r: grow(n, 2) }));
  /** Whether the straight piece a-b runs through the inside of r. */
  const through = (a: Position, b: Position, r: Rect): boolean =>
    Math.max(a.x, b.x) > r.x && Math.min(a.x, b.x) < r.x + r.width && Math.max(a.y, b.y) > r.y && Math.min(a.y, b.y) < r.y + r.height;
  const clean = (r: Placed, points: readonly Position[], index: number): boolean => {
    const own = [rectOf(r.source)!, rectOf(r.target)!];
    const from = Math.max(0, index - 1);
    const to = Math.min(points.length - 1, index + 2);
    for (let i = from + 1; i <= to; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      for (const n of near) if (n.id !== r.source && n.id !== r.target && through(a, b, n.r)) return false;
      if (own.some((n) => through(a, b, n))) return false;
    }
    const before = masksAlong(r.points, from, to);
    const after = masksAlong(points, from, to);
    return before.length === after.length && before.every((m, i) => m === after[i]) && !after.some((m) => m & r.forbidden);
  };
  nudge(placed, rectOf, (r, points, index) => !runsAlongOthers(placed, r, points, index) && clean(r, points, index));
  for (const r of placed) {
    const points = r.points;
    out.set(r.key, { points, label: zShaped(points) ? { x: points[1]!.x, y: (points[1]!.y + points[2]!.y) / 2 } : labelPlace(points), anchors: r.anchors });
  }
  return out;
}

/** A route that goes right, up or down, and right again (two neighbours on a row whose middles differ). */
function zShaped(points: readonly Position[]): boolean {
  if (points.length !== 4) return false;
  const [a, b, c, d] = points as [Position, Position, Position, Position];
  return a.y === b.y && b.x === c.x && c.y === d.y && a.x < b.x && b.x < d.x;
}

/**
 * A Z-shaped route with its upright piece in the middle between its ends (where a step path has it, and where its
 * label fits between the two nodes), when `clear(x, y0, y1)` says it may go there.
 */
function centred(points: Position[], clear: (x: number, y0: number, y1: number) => boolean): Position[] {
  if (!zShaped(points)) return points;
  const [a, b, c, d] = points as [Position, Position, Position, Position];
  const x = Math.round((a.x + d.x) / 2);
  if (x === b.x || !clear(x, b.y, c.y)) return points;
  return [a, { x, y: b.y }, { x, y: c.y }, d];
}

function bits(m: number): number {
  let n = 0;
  for (let v = m; v !== 0; v &= v - 1) n++;
  return n;
}

/** Drops the points in the middle of a straight run. */
function simplify(points: readonly Position[]): Position[] {
  const out: Position[] = [];
  for (const p of points) {
    if (out.length && out[out.length - 1]!.x === p.x && out[out.length - 1]!.y === p.y) continue;
    if (out.length >= 2) {
      const a = out[out.length - 2]!;
      const b = out[out.length - 1]!;
      if ((a.x === b.x && b.x === p.x) || (a.y === b.y && b.y === p.y)) out.pop();
    }
    out.push(p);
  }
  return out;
}
