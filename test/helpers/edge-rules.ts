/**
 * The rules a drawn edge keeps (issue #14), measured on a picture of the diagram: every edge path sampled along its
 * length (getPointAtLength, in page pixels through the path's screen matrix) and every node and container box. Used
 * on React Flow's own DOM (test/browser/edge-routes.test.ts) and on the exported SVG (test/browser/export.test.ts).
 *
 * - no edge runs over a node (resource or private endpoint) other than its two ends;
 * - no edge runs over a subnet that holds neither of its ends;
 * - an edge between a node inside the virtual network and one outside crosses the network's border exactly once,
 *   and one between two nodes outside (or two inside) never crosses it;
 * - it leaves (or enters) the network by the side that faces its other end: a node below the network is reached
 *   through the network's bottom, one on its right through its right side (both sides count for a node off a corner).
 *   Checked for the network, where the reference layouts always leave that side a channel out (between subnets and
 *   around them); a subnet's facing side may be shut by a neighbour;
 * - no two edges run along the same line for more than OVERLAP px, so that a user can follow each one: parallel
 *   stretches are drawn apart. Except where they come together at a node they both end at: the straight piece into
 *   (or out of) that node is where the node's one handle or side port is, and several edges may share it (edges
 *   sharing a target share their final approach, as ELK and yFiles bundle them).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { poll } from './chromium.js';
import { edgeId, type Design } from '../../src/schemas/design.js';
import { ENDPOINT_LINK_PREFIX, ENDPOINT_PREFIX, networkModel } from '../../src/webview/containers/network.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Drawn {
  /**
   * Every edge drawn: its React Flow id and its path sampled every 2 px, in page pixels; the first `line` points are
   * its line, the rest its arrowhead.
   */
  readonly edges: { id: string; points: { x: number; y: number }[]; line: number }[];
  /** Every node drawn (resources, endpoints, containers) by React Flow id, with its kind. */
  readonly nodes: { id: string; kind: 'node' | 'endpoint' | 'subnet' | 'vnet'; box: Box }[];
}

/** Where a picture's edges and boxes are: React Flow's DOM, or the exported SVG shown in a page. */
export interface Picture {
  /** The path elements of the edges; an edge's id is the nearest data-id at or above its path. */
  readonly edges: string;
  /** The elements of the nodes and containers, each with a data-id. */
  readonly nodes: string;
  /** Inside each of those, the element whose box is the node's (none: the element itself). */
  readonly box?: string;
}

const CANVAS: Picture = { edges: '.react-flow__edge path.react-flow__edge-path', nodes: '.react-flow__node' };

/**
 * Every edge of a picture with its path sampled every 2 px, and every node's box, in page pixels, with the classes
 * of its element.
 */
export function sample(page: Page, picture: Picture): Promise<{ edges: Drawn['edges']; nodes: { id: string; classes: string[]; box: Box }[] }> {
  return page.evaluate((q) => {
    const edges = Array.from(document.querySelectorAll<SVGPathElement>(q.edges)).map((path) => {
      const m = path.getScreenCTM()!;
      const length = path.getTotalLength();
      // The line is the path's first subpath; the arrowhead is drawn as a second one (edge-path.ts arrowPath).
      const d = path.getAttribute('d') ?? '';
      const cut = d.indexOf('M', 1);
      let lineLength = length;
      if (cut > 0) {
        const line = path.cloneNode() as SVGPathElement;
        line.setAttribute('d', d.slice(0, cut));
        path.parentNode!.appendChild(line);
        lineLength = line.getTotalLength();
        line.remove();
      }
      const points: { x: number; y: number }[] = [];
      let inLine = 0;
      for (let at = 0; at <= length; at += 2) {
        const p = path.getPointAtLength(at).matrixTransform(m);
        points.push({ x: p.x, y: p.y });
        if (at <= lineLength) inLine++;
      }
      return { id: path.closest('[data-id]')!.getAttribute('data-id')!, points, line: inLine };
    });
    const nodes = Array.from(document.querySelectorAll(q.nodes)).map((el) => {
      const r = ((q.box ? el.querySelector(q.box) : null) ?? el).getBoundingClientRect();
      return { id: el.getAttribute('data-id')!, classes: Array.from(el.classList), box: { x: r.x, y: r.y, width: r.width, height: r.height } };
    });
    return { edges, nodes };
  }, picture);
}

/** The edges and boxes React Flow draws now. */
export async function drawn(page: Page): Promise<Drawn> {
  const { edges, nodes } = await sample(page, CANVAS);
  const kindOf = (classes: readonly string[]): Drawn['nodes'][number]['kind'] =>
    classes.includes('gwc-container--vnet') ? 'vnet' : classes.includes('gwc-container--subnet') ? 'subnet' : classes.includes('gwc-endpoint') ? 'endpoint' : 'node';
  return { edges, nodes: nodes.map((n) => ({ id: n.id, kind: kindOf(n.classes), box: n.box })) };
}

/** Strictly inside, by more than `inset` px (a route running along a border at a margin is not inside). */
export function within(b: Box, p: { x: number; y: number }, inset = 1): boolean {
  return p.x > b.x + inset && p.x < b.x + b.width - inset && p.y > b.y + inset && p.y < b.y + b.height - inset;
}

/** The two ends of every edge as drawn: React Flow id -> [source, target] (Private Link edges end at their endpoint). */
export function endsOf(design: Design): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  const model = networkModel(design);
  const endpoints = new Set(model?.endpoints.map((e) => e.id));
  const used = new Set<string>();
  for (const e of design.edges) {
    let id = edgeId(e);
    for (let n = 2; used.has(id); n++) id = `${edgeId(e)}~${n}`;
    used.add(id);
    const pe = `${ENDPOINT_PREFIX}${e.to}`;
    out.set(id, [e.from, e.type === 'privateLink' && endpoints.has(pe) ? pe : e.to]);
  }
  for (const ep of model?.endpoints ?? []) out.set(`${ENDPOINT_LINK_PREFIX}${ep.target}`, [ep.id, ep.target]);
  return out;
}

/**
 * Every way an edge breaks the rules in the file's header, as "<edge>: <what>". `overlaps: false` leaves out the rule
 * that edges run apart: for a drawing right after an automatic layout, whose request-path edges follow ELK's routes,
 * and ELK routes the edges out of a node's one port (layout/architecture.ts) as one hyperedge, a shared trunk that
 * layout/route.ts does not draw and so does not separate.
 */
export function violations(d: Drawn, design: Design, options: { overlaps?: boolean } = {}): string[] {
  const model = networkModel(design);
  const ends = endsOf(design);
  const out: string[] = [];
  const leaves = d.nodes.filter((n) => n.kind === 'node' || n.kind === 'endpoint');
  const vnet = d.nodes.find((n) => n.kind === 'vnet');
  const inNetwork = (id: string) => !!model && (model.home.has(id) || id.startsWith(ENDPOINT_PREFIX));
  for (const e of d.edges) {
    const pair = ends.get(e.id);
    assert.ok(pair, `edge ${e.id} drawn for an edge of the design`);
    const [a, b] = pair;
    assert.ok(e.points.length > 2, `${e.id} has a path`);
    for (const n of leaves) {
      if (n.id === a || n.id === b) continue;
      if (e.points.some((p) => within(n.box, p))) out.push(`${e.id}: runs over node ${n.id}`);
    }
    for (const s of model?.subnets ?? []) {
      if (s.members.includes(a) || s.members.includes(b)) continue;
      const box = d.nodes.find((n) => n.id === s.id)?.box;
      if (box && e.points.some((p) => within(box, p))) out.push(`${e.id}: runs over subnet ${s.name}`);
    }
    if (vnet && model && a !== model.nodeId && b !== model.nodeId) {
      let crossings = 0;
      let at: { x: number; y: number } | undefined;
      for (let i = 1; i < e.points.length; i++) {
        if (within(vnet.box, e.points[i - 1]!, 0) === within(vnet.box, e.points[i]!, 0)) continue;
        crossings++;
        at = e.points[i]!;
      }
      const expected = inNetwork(a) !== inNetwork(b) ? 1 : 0;
      if (crossings !== expected) out.push(`${e.id}: crosses the network's border ${crossings} times, ${expected === 1 ? 'once' : 'never'} expected`);
      const outside = d.nodes.find((n) => n.id === (inNetwork(a) ? b : a));
      if (crossings === 1 && at && outside) {
        const facing = facingSides(vnet.box, outside.box);
        const side = nearestSide(vnet.box, at);
        if (facing.length > 0 && !facing.includes(side)) out.push(`${e.id}: crosses the network's ${side} side, ${outside.id} is off its ${facing.join(' and ')}`);
      }
    }
  }
  if (options.overlaps !== false) out.push(...overlaps(d, ends));
  return out;
}

type Side = 'top' | 'right' | 'bottom' | 'left';

/** The sides of `outer` that face `box` (a box off a corner faces two). */
function facingSides(outer: Box, box: Box): Side[] {
  const out: Side[] = [];
  if (box.y + box.height <= outer.y + 1) out.push('top');
  if (box.x >= outer.x + outer.width - 1) out.push('right');
  if (box.y >= outer.y + outer.height - 1) out.push('bottom');
  if (box.x + box.width <= outer.x + 1) out.push('left');
  return out;
}

function nearestSide(b: Box, p: { x: number; y: number }): Side {
  const distances: [Side, number][] = [
    ['top', Math.abs(p.y - b.y)],
    ['right', Math.abs(p.x - b.x - b.width)],
    ['bottom', Math.abs(p.y - b.y - b.height)],
    ['left', Math.abs(p.x - b.x)],
  ];
  return distances.reduce((m, d) => (d[1] < m[1] ? d : m))[0];
}

/** How long (page px) two edges may run along the same line: more than a crossing, less than a shared channel. */
export const OVERLAP = 12;
/** Points of two lines this close (page px) are on the same line (samples are 2 px apart). */
const SAME_LINE = 1.5;

/**
 * "<a> and <b>: run along the same line for N px" for each pair of edges whose lines (arrowheads aside) run together
 * for more than OVERLAP px, the straight piece of each at a node both end at excepted.
 */
function overlaps(d: Drawn, ends: ReadonlyMap<string, [string, string]>): string[] {
  const cell = (x: number, y: number) => `${Math.floor(x / 2)},${Math.floor(y / 2)}`;
  const lines = d.edges.map((e) => {
    const points = e.points.slice(0, e.line);
    const grid = new Map<string, { x: number; y: number }[]>();
    for (const p of points) {
      const k = cell(p.x, p.y);
      const list = grid.get(k);
      if (list) list.push(p);
      else grid.set(k, [p]);
    }
    return { id: e.id, points, grid, first: straightRun(points), last: points.length - straightRun([...points].reverse()) };
  });
  const near = (grid: Map<string, { x: number; y: number }[]>, p: { x: number; y: number }): boolean => {
    const [cx, cy] = [Math.floor(p.x / 2), Math.floor(p.y / 2)];
    for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) for (const q of grid.get(`${cx + i},${cy + j}`) ?? []) if (Math.hypot(p.x - q.x, p.y - q.y) <= SAME_LINE) return true;
    return false;
  };
  /** Length of `a`'s line along `b`'s, but for a's straight pieces at a node both end at. */
  const along = (a: (typeof lines)[number], b: (typeof lines)[number]): number => {
    const [as, at] = ends.get(a.id) ?? ['', ''];
    const shared = new Set(ends.get(b.id) ?? []);
    let n = 0;
    a.points.forEach((p, i) => {
      if ((shared.has(as) && i < a.first) || (shared.has(at) && i >= a.last)) return;
      if (near(b.grid, p)) n++;
    });
    return n * 2;
  };
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const length = Math.max(along(lines[i]!, lines[j]!), along(lines[j]!, lines[i]!));
      if (length > OVERLAP) out.push(`${lines[i]!.id} and ${lines[j]!.id}: run along the same line for ${length} px`);
    }
  }
  return out;
}

/** How many points from the start lie on the line's first straight piece (up to where its first bend starts). */
function straightRun(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return points.length;
  const [a, b] = [points[0]!, points[1]!];
  const vertical = Math.abs(b.x - a.x) < Math.abs(b.y - a.y);
  let n = 1;
  while (n < points.length && (vertical ? Math.abs(points[n]!.x - a.x) : Math.abs(points[n]!.y - a.y)) <= 0.5) n++;
  return n;
}

/** Waits until nothing on the canvas moves any more: nodes, containers, the view and the edges' paths. */
export async function settle(page: Page): Promise<void> {
  let last = '';
  await poll(
    async () => {
      const now = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.react-flow__node, .react-flow__viewport, .react-flow__edge-path'))
          .map((el) => `${el.getAttribute('style')}${el.getAttribute('d') ?? ''}`)
          .join('|'),
      );
      const same = now === last;
      last = now;
      return same;
    },
    { message: 'the canvas to settle', interval: 300, timeout: 30_000 },
  );
}

type Point = { x: number; y: number };

/**
 * The polyline an edge's path data runs through: its start, each corner (the control point of a rounded corner's
 * quadratic curve) and its end (the last point before the arrowhead's own subpath).
 */
export function polylineOf(d: string): Point[] {
  const tokens = d.match(/[MLQ]|-?\d*\.?\d+(?:e-?\d+)?/g) ?? [];
  const points: Point[] = [];
  let last: Point | undefined;
  for (let i = 0; i < tokens.length; ) {
    const cmd = tokens[i++]!;
    const read = (): Point => ({ x: Number(tokens[i++]), y: Number(tokens[i++]) });
    if (cmd === 'M') {
      if (points.length > 0) break; // the arrowhead
      points.push(read());
    } else if (cmd === 'L') last = read();
    else if (cmd === 'Q') {
      points.push(read());
      read();
    } else throw new Error(`unexpected ${cmd} in ${d}`);
  }
  assert.ok(last, `an end in ${d}`);
  return [...points, last];
}
