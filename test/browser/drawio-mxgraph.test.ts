/**
 * The draw.io export opened by mxGraph, the library draw.io is built on (the `mxgraph` package, 4.2.2, loaded into
 * chromium; https://jgraph.github.io/mxgraph/docs/js-api/files/index-txt.html): the file the designer exports for the
 * reference design is decoded by mxGraph's own codec into a graph model and laid out by mxGraph's own view, and what
 * mxGraph would draw is compared with what the canvas draws: every node and container at the place and size React Flow
 * draws it (within 1 px), nested in the container the canvas draws it in, every edge between the same two nodes along
 * the same path (mxGraph's orthogonal edge style through the exported waypoints, from the exported exit to the entry
 * point), with the canvas's texts as labels. The structural checks of the same file are in test/browser/export.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { WebviewMessage } from '../../src/schemas/messages.js';
import { chromiumMissing, launchChromium, poll, settle } from '../helpers/chromium.js';
import { polylineOf } from '../helpers/edge-rules.js';
import { REFERENCE } from '../helpers/reference.js';
import { openDesignerPage, posted, sendToWebview, showDesign, webviewBundleMissing } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();
type ExportResult = Extract<WebviewMessage, { type: 'exportResult' }>;
type Point = { x: number; y: number };
type Box = { x: number; y: number; width: number; height: number };

const MXCLIENT = readFileSync(createRequire(import.meta.url).resolve('mxgraph/javascript/mxClient.min.js'), 'utf8');

/** A polyline without repeated points and without the points in the middle of a straight run. */
function corners(points: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) <= 1 && Math.abs(last.y - p.y) <= 1) continue;
    const before = out[out.length - 2];
    if (before && last && ((Math.abs(before.x - last.x) <= 1 && Math.abs(last.x - p.x) <= 1) || (Math.abs(before.y - last.y) <= 1 && Math.abs(last.y - p.y) <= 1))) out.pop();
    out.push(p);
  }
  return out;
}

const near = (a: Point, b: Point) => Math.abs(a.x - b.x) <= 1 && Math.abs(a.y - b.y) <= 1;
const sameBox = (a: Box, b: Box) => near(a, b) && Math.abs(a.width - b.width) <= 1 && Math.abs(a.height - b.height) <= 1;

describe('the draw.io export, opened by mxGraph', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** What the canvas draws, in flow coordinates: each node's box by id (parent ids too), each edge's path. */
  async function canvasDrawing(page: Page) {
    return page.evaluate(() => {
      const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
      const m = new DOMMatrixReadOnly(getComputedStyle(viewport).transform);
      const origin = viewport.getBoundingClientRect();
      const nodes = Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node'), (el) => {
        const r = el.getBoundingClientRect();
        return { id: el.getAttribute('data-id')!, x: (r.left - origin.left) / m.a, y: (r.top - origin.top) / m.a, width: r.width / m.a, height: r.height / m.a };
      });
      const edges = Array.from(document.querySelectorAll('.react-flow__edge'), (g) => ({
        id: g.getAttribute('data-id')!,
        d: g.querySelector('path.react-flow__edge-path')!.getAttribute('d')!,
      }));
      return { nodes, edges };
    });
  }

  /** The file as mxGraph reads and lays it out: each vertex's absolute box, parent and label; each edge's ends and points. */
  async function mxGraphDrawing(xml: string) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await page.setContent('<!doctype html><body><div id="graph" style="position:relative;width:1600px;height:1000px;overflow:hidden"></div></body>');
      // No resource bundles or stylesheets fetched (there is no server behind this page).
      await page.addScriptTag({ content: `window.mxLoadResources = false; window.mxLoadStylesheets = false; window.mxBasePath = '.';\n${MXCLIENT}` });
      return await page.evaluate((xml) => {
        const mx = window as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        const doc = mx.mxUtils.parseXml(xml) as Document;
        const modelNode = doc.getElementsByTagName('mxGraphModel')[0];
        if (!modelNode) throw new Error('no mxGraphModel in the file');
        const graph = new mx.mxGraph(document.getElementById('graph'));
        const model = graph.getModel();
        new mx.mxCodec(doc).decode(modelNode, model);
        graph.view.setTranslate(0, 0);
        graph.view.setScale(1);
        graph.refresh();
        const vertices: { id: string; parent: string; label: string; x: number; y: number; width: number; height: number }[] = [];
        const edges: { id: string; source: string; target: string; points: { x: number; y: number }[] }[] = [];
        for (const cell of Object.values(model.cells as Record<string, any>)) { // eslint-disable-line @typescript-eslint/no-explicit-any
          const state = graph.view.getState(cell);
          if (cell.vertex) {
            if (!state) throw new Error(`mxGraph does not draw ${cell.id}`);
            vertices.push({ id: cell.id, parent: cell.parent?.id ?? '', label: String(cell.value ?? ''), x: state.x, y: state.y, width: state.width, height: state.height });
          } else if (cell.edge) {
            if (!state) throw new Error(`mxGraph does not draw ${cell.id}`);
            edges.push({ id: cell.id, source: cell.source?.id ?? '', target: cell.target?.id ?? '', points: (state.absolutePoints ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) });
          }
        }
        return { vertices, edges };
      }, xml);
    } finally {
      await page.close();
    }
  }

  test('the reference design: every node, container and edge where the canvas draws it', async () => {
    const designer = await openDesignerPage(browser);
    const { page } = designer;
    try {
      const { design } = await showDesign(page, REFERENCE);
      await settle(page);
      // The export and the canvas it is compared with are taken together; if a route arrived between them, again.
      let canvas = await canvasDrawing(page);
      let xml = '';
      for (let attempt = 1; attempt <= 3; attempt++) {
        await sendToWebview(page, { type: 'exportRequest', requestId: `m${attempt}`, format: 'drawio' });
        const result = await poll(async () => (await posted(page)).find((m): m is ExportResult => m.type === 'exportResult' && m.requestId === `m${attempt}`), {
          timeout: 30_000,
          message: 'the draw.io export',
        });
        xml = result.data;
        const now = await canvasDrawing(page);
        if (JSON.stringify(now) === JSON.stringify(canvas)) break;
        canvas = now;
        await settle(page);
      }
      const drawn = await mxGraphDrawing(xml);

      // Nodes and containers: the same boxes, nested as the canvas nests them.
      const vertices = new Map(drawn.vertices.map((v) => [v.id.replace(/^node:/, ''), v]));
      for (const n of canvas.nodes) {
        const v = vertices.get(n.id);
        assert.ok(v, `mxGraph draws ${n.id}`);
        assert.ok(sameBox(v, n), `${n.id}: mxGraph at ${JSON.stringify([v.x, v.y, v.width, v.height])}, the canvas at ${JSON.stringify([n.x, n.y, n.width, n.height])}`);
      }
      for (const id of design.nodes.map((n) => n.id)) assert.ok(vertices.has(id), `design node ${id} in the file`);
      const parentOf = (id: string) => vertices.get(id)?.parent.replace(/^node:/, '');
      assert.equal(parentOf('apim'), 'subnet:apim', 'API Management in its subnet');
      assert.equal(parentOf('aks'), 'subnet:aks', 'AKS in its subnet');
      const network = design.nodes.find((n) => n.type === 'virtualNetwork')!.id;
      assert.equal(parentOf('subnet:apim'), network, 'the subnet in the network');
      // Every vertex inside the container mxGraph puts it in.
      for (const v of drawn.vertices) {
        const parent = drawn.vertices.find((p) => p.id === v.parent);
        if (!parent) continue;
        assert.ok(v.x >= parent.x - 0.5 && v.y >= parent.y - 0.5 && v.x + v.width <= parent.x + parent.width + 0.5 && v.y + v.height <= parent.y + parent.height + 0.5, `${v.id} inside ${parent.id}`);
      }
      // Labels: a subnet's name and address range, as the canvas writes them.
      const apimSubnet = vertices.get('subnet:apim')!;
      assert.match(apimSubnet.label, /\d+\.\d+\.\d+\.\d+\/\d+/, `the subnet's label carries its address range: ${apimSubnet.label}`);
      assert.match(vertices.get('apim')!.label, /API Management/, 'API Management labelled with its title');

      // Edges: between the same nodes, along the canvas's path.
      const edges = new Map(drawn.edges.map((e) => [e.id.replace(/^edge:/, ''), e]));
      assert.equal(drawn.edges.length, canvas.edges.length, 'one edge in mxGraph per edge drawn');
      for (const e of canvas.edges) {
        const mx = edges.get(e.id);
        assert.ok(mx, `mxGraph draws edge ${e.id}`);
        const route = corners(mx.points);
        const expected = corners(polylineOf(e.d));
        const same = route.length === expected.length && route.every((p, i) => near(p, expected[i]!));
        assert.ok(same, `${e.id}: mxGraph routes it ${JSON.stringify(route)}, the canvas ${JSON.stringify(expected)}`);
      }
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
