/**
 * The rules a drawn edge keeps (issue #14), measured on a picture of the diagram: every edge path sampled along its
 * length (getPointAtLength, in page pixels through the path's screen matrix) and every node and container box. Used
 * on React Flow's own DOM (test/browser/edge-routes.test.ts) and on the exported SVG (test/browser/export.test.ts).
 *
 * - no edge runs over a node (resource or private endpoint) other than its two ends;
 * - no edge runs over a subnet that holds neither of its ends;
 * - an edge between a node inside the virtual network and one outside crosses the network's border exactly once,
 *   and one between two nodes outside (or two inside) never crosses it.
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
  /** Every edge drawn: its React Flow id and its path sampled every 2 px, in page pixels. */
  readonly edges: { id: string; points: { x: number; y: number }[] }[];
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
      const points: { x: number; y: number }[] = [];
      for (let at = 0; at <= length; at += 2) {
        const p = path.getPointAtLength(at).matrixTransform(m);
        points.push({ x: p.x, y: p.y });
      }
      return { id: path.closest('[data-id]')!.getAttribute('data-id')!, points };
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

/** Every way an edge breaks the rules in the file's header, as "<edge>: <what>". */
export function violations(d: Drawn, design: Design): string[] {
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
      for (let i = 1; i < e.points.length; i++) if (within(vnet.box, e.points[i - 1]!, 0) !== within(vnet.box, e.points[i]!, 0)) crossings++;
      const expected = inNetwork(a) !== inNetwork(b) ? 1 : 0;
      if (crossings !== expected) out.push(`${e.id}: crosses the network's border ${crossings} times, ${expected === 1 ? 'once' : 'never'} expected`);
    }
  }
  return out;
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
