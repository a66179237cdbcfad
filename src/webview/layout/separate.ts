/**
 * Orthogonal edge separation for the routes of layout/route.ts: where pieces of different edges run along the same
 * line, each is moved SEPARATION px off the others, in an order that adds no crossing (as ELK and yFiles separate
 * orthogonal edges, and libavoid "nudges" them: https://doi.org/10.1007/978-3-642-11805-0_22), so that a user can
 * follow each edge. Edges that share an end share the straight piece into (or out of) it. Pure: no React, no DOM.
 */
import type { Position } from '../../schemas/design.js';
import type { Rect } from '../containers/network.js';

/** Length of the straight piece out of a node's side before the first bend (a moved piece keeps most of it). */
export const STUB = 12;
/** Distance between pieces of different edges nudged apart off one line. */
export const SEPARATION = 6;
/** Places tried for a piece, off the one its order gives it (px), nearest first. */
const NEAR = Array.from({ length: 17 }, (_, i) => (i % 2 ? 1 : -1) * Math.ceil(i / 2) * (SEPARATION / 2));
/** How close to a corner of its node a top or bottom end may be moved. */
const END_INSET = 14;


/** A route made, while its pieces are nudged apart. */
export interface Placed {
  readonly key: string;
  readonly source: string;
  readonly target: string;
  points: Position[];
  /** The containers it may not enter (as a mask). */
  readonly forbidden: number;
  /** Where the source's and target's handles were when the route was made (route.ts PlacedRoute). */
  readonly anchors: { readonly source: Position; readonly target: Position };
}

/** A piece of a route along one line. */
interface Piece {
  readonly route: Placed;
  /** Index of its first point in the route. */
  readonly index: number;
  /** The line's coordinate (y of a horizontal piece, x of an upright one) and the piece's extent along it. */
  readonly at: number;
  readonly from: number;
  readonly to: number;
  /** Which way the route turns at the piece's low and high ends (-1 towards lower coordinates, 1 higher, 0 an end). */
  readonly turnLow: number;
  readonly turnHigh: number;
  /** Pieces of one bundle move together: a route's own piece, or the piece out of (into) a node several edges share. */
  readonly keys: string[];
  readonly movable: boolean;
}

/**
 * Moves pieces of different routes that run along the same line apart, SEPARATION px each, horizontal pieces first,
 * then upright ones. On each line, pieces whose extents overlap form a group; the bundles in a group are ordered so
 * that a bundle that turns off towards lower coordinates at an end where the others go on lies on that side (which
 * adds no crossing), then spread around the group's line, or around the bundle that cannot move (a piece out of a
 * left or right handle). A move is kept when `clean` accepts the route it makes.
 */
export function nudge(routes: Placed[], rectOf: (id: string) => Rect | undefined, clean: (r: Placed, points: readonly Position[], index: number) => boolean): void {
  for (const horizontal of [true, false]) {
    const pieces: Piece[] = [];
    for (const route of routes) {
      const p = route.points;
      const last = p.length - 2;
      for (let i = 0; i <= last; i++) {
        const a = p[i]!;
        const b = p[i + 1]!;
        if (horizontal ? a.y !== b.y || a.x === b.x : a.x !== b.x || a.y === b.y) continue;
        const along = (q: Position) => (horizontal ? q.x : q.y);
        const across = (q: Position) => (horizontal ? q.y : q.x);
        const turn = (end: number, next: number): number => (next < 0 || next >= p.length ? 0 : Math.sign(across(p[next]!) - across(p[end]!)));
        // The turn at each end: from a's side to the point before a, from b's side to the point after b.
        const turnA = turn(i, i - 1);
        const turnB = turn(i + 1, i + 2);
        const forward = along(b) > along(a);
        const keys = [...(i === 0 ? [`out:${route.source}`] : []), ...(i === last ? [`in:${route.target}`] : []), ...(i > 0 && i < last ? [`route:${route.key}`] : [])];
        // An end piece moves only when it is upright (it leaves or enters by the top or bottom, and its end slides
        // along that side); a horizontal one is on a handle.
        const movable = i > 0 && i < last ? true : !horizontal;
        pieces.push({
          route,
          index: i,
          at: across(a),
          from: Math.min(along(a), along(b)),
          to: Math.max(along(a), along(b)),
          turnLow: forward ? turnA : turnB,
          turnHigh: forward ? turnB : turnA,
          keys,
          movable,
        });
      }
    }
    // Channels (lines closer than SEPARATION to the next, so that a piece moved off one is not moved onto another),
    // then groups of overlapping pieces in each.
    pieces.sort((a, b) => a.at - b.at);
    const lines: Piece[][] = [];
    for (const piece of pieces) {
      const line = lines[lines.length - 1];
      if (line && piece.at - line[line.length - 1]!.at < SEPARATION) line.push(piece);
      else lines.push([piece]);
    }
    for (const line of lines) {
      line.sort((a, b) => a.from - b.from);
      let group: Piece[] = [];
      let reach = -Infinity;
      const flush = () => {
        if (group.length > 1) spread(group, horizontal, rectOf, clean);
        group = [];
      };
      for (const piece of line) {
        if (piece.from >= reach - 1) flush();
        group.push(piece);
        reach = Math.max(reach, piece.to);
      }
      flush();
    }
  }
}

/** Spreads the bundles of one group of overlapping pieces on a line (see nudge). */
function spread(group: readonly Piece[], horizontal: boolean, rectOf: (id: string) => Rect | undefined, clean: (r: Placed, points: readonly Position[], index: number) => boolean): void {
  // Bundles: pieces sharing a key (union-find over the keys).
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  for (const piece of group) {
    for (const k of piece.keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of piece.keys.slice(1)) parent.set(find(k), find(piece.keys[0]!));
  }
  const bundles = new Map<string, Piece[]>();
  for (const piece of group) {
    const root = find(piece.keys[0]!);
    const list = bundles.get(root);
    if (list) list.push(piece);
    else bundles.set(root, [piece]);
  }
  if (bundles.size < 2) return;
  // Each bundle by its longest piece; ordered so that turns off the line add no crossing.
  const members = [...bundles.values()].map((list) => ({ list, main: list.reduce((a, b) => (b.to - b.from > a.to - a.from ? b : a)), fixed: list.some((p) => !p.movable) }));
  const compare = (a: Piece, b: Piece): number => {
    // At the low end: the piece that stops first (the other goes on past it) goes to the side it turns to.
    if (a.from < b.from - 1 && b.turnLow !== 0) return -b.turnLow;
    if (b.from < a.from - 1 && a.turnLow !== 0) return a.turnLow;
    if (a.to > b.to + 1 && b.turnHigh !== 0) return -b.turnHigh;
    if (b.to > a.to + 1 && a.turnHigh !== 0) return a.turnHigh;
    if (a.turnLow !== b.turnLow) return a.turnLow - b.turnLow;
    if (a.turnHigh !== b.turnHigh) return a.turnHigh - b.turnHigh;
    return a.at - b.at;
  };
  // Insertion sort (the order need not be transitive everywhere).
  const ordered: typeof members = [];
  for (const m of members) {
    let i = ordered.length;
    while (i > 0 && compare(ordered[i - 1]!.main, m.main) > 0) i--;
    ordered.splice(i, 0, m);
  }
  // Around the bundle that cannot move, else around the middle of the group's lines.
  const anchor = ordered.findIndex((m) => m.fixed);
  const centreRank = anchor >= 0 ? anchor : (ordered.length - 1) / 2;
  const centre = anchor >= 0 ? ordered[anchor]!.main.at : Math.round((ordered.reduce((sum, m) => sum + m.main.at, 0) / ordered.length) * 2) / 2;
  // A piece that runs along no other route's line any more stays; one that does goes to its place in the order, or
  // the nearest free place to it.
  ordered.forEach((m, rank) => {
    if (m.fixed) return;
    const at = centre + (rank - centreRank) * SEPARATION;
    for (const piece of m.list) {
      if (clean(piece.route, piece.route.points, piece.index)) continue;
      for (const delta of NEAR) if (at + delta !== piece.at && move(piece, at + delta - piece.at, horizontal, rectOf, clean)) break;
    }
  });
}

/** Moves one piece `offset` px across its line when the route stays clean (its ends on their sides, no spike): whether it did. */
function move(piece: Piece, offset: number, horizontal: boolean, rectOf: (id: string) => Rect | undefined, clean: (r: Placed, points: readonly Position[], index: number) => boolean): boolean {
  const { route, index } = piece;
  const points = route.points.map((p) => ({ ...p }));
  for (const k of [index, index + 1]) {
    if (horizontal) points[k]!.y += offset;
    else points[k]!.x += offset;
  }
  // The neighbouring pieces keep their direction and some length.
  for (const [a, b] of [
    [index - 1, index],
    [index + 1, index + 2],
  ] as const) {
    if (a < 0 || b >= points.length) continue;
    const before = horizontal ? route.points[b]!.y - route.points[a]!.y : route.points[b]!.x - route.points[a]!.x;
    const after = horizontal ? points[b]!.y - points[a]!.y : points[b]!.x - points[a]!.x;
    const end = a === 0 || b === points.length - 1;
    if (Math.sign(before) !== Math.sign(after) || Math.abs(after) < (end ? STUB - 4 : 4)) return false;
  }
  // An end moved along its node's top or bottom stays on it, away from the corners.
  const last = points.length - 1;
  for (const [k, id] of [
    [0, route.source],
    [last, route.target],
  ] as const) {
    if (k !== index && k !== index + 1) continue;
    const r = rectOf(id);
    if (!r || points[k]!.x < r.x + END_INSET || points[k]!.x > r.x + r.width - END_INSET) return false;
  }
  if (!clean(route, points, index)) return false;
  route.points = points;
  return true;
}

/**
 * Whether route `r` drawn along `points` would run along another route's line (closer than half SEPARATION, for more
 * than 2 px)
 * in the pieces index-1 .. index+1 (a moved piece and its two neighbours), but for the pieces at a node both end at
 * (its port, which they share).
 */
export function runsAlongOthers(routes: readonly Placed[], r: Placed, points: readonly Position[], index: number): boolean {
  const last = points.length - 2;
  for (let i = Math.max(0, index - 1); i <= Math.min(last, index + 1); i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const horizontal = a.y === b.y;
    const ends = new Set([...(i === 0 ? [r.source] : []), ...(i === last ? [r.target] : [])]);
    for (const o of routes) {
      if (o === r) continue;
      const q = o.points;
      for (let j = 0; j < q.length - 1; j++) {
        const c = q[j]!;
        const d = q[j + 1]!;
        if ((c.y === d.y) !== horizontal || (c.x === d.x && c.y === d.y)) continue;
        if ((j === 0 && ends.has(o.source)) || (j === q.length - 2 && ends.has(o.target))) continue;
        const gap = horizontal ? Math.abs(c.y - a.y) : Math.abs(c.x - a.x);
        if (gap >= SEPARATION / 2) continue;
        const [lo, hi] = horizontal ? [Math.min(a.x, b.x), Math.max(a.x, b.x)] : [Math.min(a.y, b.y), Math.max(a.y, b.y)];
        const [lo2, hi2] = horizontal ? [Math.min(c.x, d.x), Math.max(c.x, d.x)] : [Math.min(c.y, d.y), Math.max(c.y, d.y)];
        if (Math.min(hi, hi2) - Math.max(lo, lo2) > 2) return true;
      }
    }
  }
  return false;
}
