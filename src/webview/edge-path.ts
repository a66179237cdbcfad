/**
 * The one choice of the path an edge is drawn along, shared by the canvas (edges.tsx) and the exports (export.ts,
 * export-drawio.ts), so that an exported picture is the diagram the canvas draws: ELK's route while it still fits the
 * edge's ends, else the route around what is drawn now (layout/route.ts) when one was made for these ends, else a
 * step path. Every path is an orthogonal polyline; it is drawn with rounded corners and an arrowhead at its end
 * pointing the way the edge arrives. Pure: no React, no DOM.
 */
import type { Position } from '../schemas/design.js';
import { routeKey, type Route } from './layout/architecture.js';
import type { PlacedRoute } from './layout/route.js';

/** Where React Flow draws an edge from and to: its end nodes and their handles (the source's right, the target's left). */
export interface EdgeEnds {
  readonly source: string;
  readonly target: string;
  readonly sourceX: number;
  readonly sourceY: number;
  readonly targetX: number;
  readonly targetY: number;
}

export type Heading = 'east' | 'south' | 'west' | 'north';

export interface EdgeGeometry {
  /** Start (the source handle), bend points, end (the target handle), in flow coordinates. */
  readonly points: readonly Position[];
  /** Centre of the edge's label. */
  readonly label: Position;
  /** Which way the last segment runs (where the arrowhead points). */
  readonly heading: Heading;
  /** Corner radius the path is drawn with. */
  readonly radius: number;
  /** Where the path came from. */
  readonly via: 'elk' | 'scene' | 'step';
}

/** How far (px) an end may be from the route's end for the route to still be used (handles sit on the border). */
const ROUTE_TOLERANCE = 8;
/** Corner radius of a route's bends, and of a step path's (React Flow's smooth step, as the canvas drew it). */
const ROUTE_RADIUS = 8;
const STEP_RADIUS = 10;
/** Length of a step path's straight piece out of a handle (React Flow's smooth step offset). */
const STEP_OFFSET = 20;

function near(a: Position, x: number, y: number): boolean {
  return Math.abs(a.x - x) <= ROUTE_TOLERANCE && Math.abs(a.y - y) <= ROUTE_TOLERANCE;
}

/**
 * The points of a route drawn from the edge's handles: an end that leaves or enters a side horizontally is moved
 * onto its handle (with the bend next to it), one that leaves by the top or bottom is kept.
 */
function onHandles(route: Route, ends: EdgeEnds): Position[] {
  const points = route.points.map((p) => ({ ...p }));
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (points.length === 2 && first.y !== last.y && first.x !== last.x) {
    points.splice(1, 0, { x: (first.x + last.x) / 2, y: first.y }, { x: (first.x + last.x) / 2, y: last.y });
  }
  const m = points.length;
  if (points[1]!.y === points[0]!.y) {
    if (m > 2) points[1]!.y = ends.sourceY;
    points[0] = { x: ends.sourceX, y: ends.sourceY };
  }
  if (points[m - 2]!.y === points[m - 1]!.y) {
    if (m > 2) points[m - 2]!.y = ends.targetY;
    points[m - 1] = { x: ends.targetX, y: ends.targetY };
  }
  return points;
}

/** The direction of the last segment of a polyline. */
export function heading(points: readonly Position[]): Heading {
  const a = points[points.length - 2]!;
  const b = points[points.length - 1]!;
  if (a.y === b.y) return b.x >= a.x ? 'east' : 'west';
  return b.y >= a.y ? 'south' : 'north';
}

/** Whether `b` lies on the straight segment from `a` to `c` (b equal to c included). */
function between(a: Position, b: Position, c: Position): boolean {
  return (a.x === b.x && b.x === c.x && (b.y - a.y) * (c.y - b.y) >= 0) || (a.y === b.y && b.y === c.y && (b.x - a.x) * (c.x - b.x) >= 0);
}

/**
 * The step path from a right-side handle to a left-side one, with its label's centre: the points React Flow's
 * smooth step path runs through (https://reactflow.dev/api-reference/utils/get-smooth-step-path), out of the
 * source by STEP_OFFSET, across in the middle, into the target.
 */
export function stepPath(ends: EdgeEnds): { points: Position[]; label: Position } {
  const source = { x: ends.sourceX, y: ends.sourceY };
  const target = { x: ends.targetX, y: ends.targetY };
  const out = { x: source.x + STEP_OFFSET, y: source.y };
  const into = { x: target.x - STEP_OFFSET, y: target.y };
  const centre = { x: out.x + (into.x - out.x) / 2, y: (out.y + into.y) / 2 };
  // Forward (the target right of the source): down the middle; backward: across the middle.
  const middle = out.x < into.x ? [{ x: centre.x, y: out.y }, { x: centre.x, y: into.y }] : [{ x: out.x, y: centre.y }, { x: into.x, y: centre.y }];
  const points: Position[] = [];
  for (const p of [source, out, ...middle, into, target]) {
    const [a, b] = points.slice(-2);
    if (a && b && between(a, b, p)) points.pop();
    points.push(p);
  }
  return { points, label: centre };
}

/**
 * The path an edge is drawn along: ELK's route (`routes`, the last automatic layout) when both its ends are still
 * where the layout put them, else the route around what is drawn now (`scene`) when it was made for these ends,
 * else a step path. The label sits where the route placed it, else halfway between the ends.
 */
export function edgeGeometry(ends: EdgeEnds, routes?: ReadonlyMap<string, Route>, scene?: ReadonlyMap<string, PlacedRoute>): EdgeGeometry {
  const key = routeKey(ends.source, ends.target);
  const middle = { x: (ends.sourceX + ends.targetX) / 2, y: (ends.sourceY + ends.targetY) / 2 };
  const route = routes?.get(key);
  if (route && route.points.length >= 2 && near(route.points[0]!, ends.sourceX, ends.sourceY) && near(route.points[route.points.length - 1]!, ends.targetX, ends.targetY)) {
    const points = onHandles(route, ends);
    return { points, label: route.label ?? middle, heading: heading(points), radius: ROUTE_RADIUS, via: 'elk' };
  }
  const placed = scene?.get(key);
  if (placed && placed.points.length >= 2 && near(placed.anchors.source, ends.sourceX, ends.sourceY) && near(placed.anchors.target, ends.targetX, ends.targetY)) {
    const points = onHandles(placed, ends);
    return { points, label: placed.label ?? middle, heading: heading(points), radius: ROUTE_RADIUS, via: 'scene' };
  }
  const step = stepPath(ends);
  return { points: step.points, label: step.label, heading: 'east', radius: STEP_RADIUS, via: 'step' };
}

/** An orthogonal polyline through `points` with rounded corners. */
export function polylinePath(points: readonly Position[], radius = ROUTE_RADIUS): string {
  let d = `M${points[0]!.x},${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i - 1]!;
    const c = points[i]!;
    const n = points[i + 1]!;
    const r = Math.min(radius, Math.hypot(c.x - p.x, c.y - p.y) / 2, Math.hypot(n.x - c.x, n.y - c.y) / 2);
    const a = { x: c.x - (Math.sign(c.x - p.x) * r), y: c.y - (Math.sign(c.y - p.y) * r) };
    const b = { x: c.x + (Math.sign(n.x - c.x) * r), y: c.y + (Math.sign(n.y - c.y) * r) };
    d += ` L${a.x},${a.y} Q${c.x},${c.y} ${b.x},${b.y}`;
  }
  const last = points[points.length - 1]!;
  return `${d} L${last.x},${last.y}`;
}

/**
 * The arrowhead as a piece of the edge's own path: an open chevron at (x, y) pointing the way the edge arrives
 * (right into a left side, down onto a top). SVG markers would be painted and composited one by one, thousands of
 * them in a large diagram.
 */
export function arrowPath(x: number, y: number, to: Heading): string {
  switch (to) {
    case 'south':
      return `M${x - 4.5},${y - 7} L${x},${y - 1} L${x + 4.5},${y - 7}`;
    case 'north':
      return `M${x - 4.5},${y + 7} L${x},${y + 1} L${x + 4.5},${y + 7}`;
    case 'west':
      return `M${x + 7},${y - 4.5} L${x + 1},${y} L${x + 7},${y + 4.5}`;
    default:
      return `M${x - 7},${y - 4.5} L${x - 1},${y} L${x - 7},${y + 4.5}`;
  }
}

/** The SVG path data of an edge: its polyline with rounded corners, then its arrowhead. */
export function edgePathData(g: EdgeGeometry): string {
  const end = g.points[g.points.length - 1]!;
  return `${polylinePath(g.points, g.radius)} ${arrowPath(end.x, end.y, g.heading)}`;
}

/**
 * Whether the canvas draws a label on an edge of this kind (edges.tsx): TLS edges, and Private Link edges that do not
 * end at their private endpoint (the endpoint says what it is).
 */
export function labelDrawn(family: string, target: string): boolean {
  return family === 'tls' || (family === 'privateLink' && !target.startsWith('pe:'));
}
