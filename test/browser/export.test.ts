/**
 * The export the host asks for, in headless chromium with the fake host (test/helpers/webview-page.ts): the real
 * webview answers `exportRequest` with a draw.io file of what it draws, an SVG and a PNG that covers A4 landscape
 * at 300 dpi, and the host's own check (decodeExport, what Export Diagram runs before writing) accepts each. The
 * exports are the diagram the canvas draws: every edge runs along the path React Flow draws it on (its `d`), within
 * 1 px, in the SVG and in the draw.io waypoints, with its label where the canvas puts it; and the exported picture
 * keeps the canvas's edge rules (test/helpers/edge-rules.ts: no edge over a node other than its ends).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeExport } from '../../src/extension/designer/export-data.js';
import type { WebviewMessage } from '../../src/schemas/messages.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { networkModel } from '../../src/webview/containers/network.js';
import { pointAlong } from '../../src/webview/export-drawio.js';
import type { Design } from '../../src/schemas/design.js';
import { endsOf, polylineOf, sample, settle, violations, type Drawn } from '../helpers/edge-rules.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { FakeHost, openDesignerPage, posted, sendToWebview, showDesign, webviewBundleMissing } from '../helpers/webview-page.js';
import { parseXml, type XmlNode } from '../helpers/xml.js';

const skip = chromiumMissing() ?? webviewBundleMissing();
type ExportResult = Extract<WebviewMessage, { type: 'exportResult' }>;
type Point = { x: number; y: number };

/**
 * The texts of each box of an exported SVG (node, endpoint, container), its lines joined as the canvas flows them: with
 * a space, or without after a line that ends with a hyphen (a break inside a word).
 */
function parseSvgTexts(svg: string): string[] {
  const all = (n: XmlNode): XmlNode[] => [n, ...n.children.flatMap(all)];
  return all(parseXml(svg))
    .filter((n) => n.name === 'g' && /\b(node|container)\b/.test(n.attributes.class ?? ''))
    .map((g) => g.children.filter((c) => c.name === 'text').map((t) => t.text).reduce((a, b) => (a === '' ? b : a.endsWith('-') ? a + b : `${a} ${b}`), ''));
}

function assertSamePoints(actual: readonly Point[], expected: readonly Point[], what: string): void {
  const far = actual.length !== expected.length || actual.some((p, i) => Math.abs(p.x - expected[i]!.x) > 1 || Math.abs(p.y - expected[i]!.y) > 1);
  assert.ok(!far, `${what}: ${JSON.stringify(actual)} is not the canvas's ${JSON.stringify(expected)}`);
}

/** The exported SVG shown in a page, measured as edge-rules.ts measures the canvas. */
async function drawnSvg(page: Page, svg: string, design: Design): Promise<Drawn> {
  await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
  const model = networkModel(design);
  const d = await sample(page, { edges: 'path.edge', nodes: 'g.node, g.container', box: 'rect' });
  const subnets = new Set(model?.subnets.map((s) => s.id));
  return {
    edges: d.edges,
    nodes: d.nodes
      .map((n) => ({ id: n.id, box: n.box, kind: n.id === model?.id ? 'vnet' : subnets.has(n.id) ? 'subnet' : n.id.startsWith('pe:') ? 'endpoint' : 'node' })),
  };
}

describe('exporting the diagram from the designer', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function exportAs(page: Page, format: 'svg' | 'png' | 'drawio', requestId: string): Promise<ExportResult> {
    // The export is compared with the canvas as drawn when it was made: if the canvas changed meanwhile (a route
    // found a frame or more after a change, later on a busy machine), it settles and the export is made again.
    for (let attempt = 1; ; attempt++) {
      const id = attempt === 1 ? requestId : `${requestId}-${attempt}`;
      const before = await drawnPaths(page);
      await sendToWebview(page, { type: 'exportRequest', requestId: id, format });
      const result = await poll(async () => (await posted(page)).find((m): m is ExportResult => m.type === 'exportResult' && m.requestId === id), {
        timeout: 30_000,
        message: `the ${format} export`,
      });
      if ((await drawnPaths(page)) === before || attempt === 3) return result;
      await settle(page);
    }
  }

  /** Every edge path the canvas draws now. */
  function drawnPaths(page: Page): Promise<string> {
    return page.evaluate(() => Array.from(document.querySelectorAll('.react-flow__edge-path'), (el) => el.getAttribute('d') ?? '').join('|'));
  }

  /**
   * The draw.io file (`drawioXml`) and an SVG exported now run every edge along the path the canvas draws it on, with
   * its label where the canvas puts it, and the exported picture keeps the canvas's edge rules.
   */
  async function assertExportsFollowCanvas(page: Page, design: Design, drawioXml: string, svgId: string, rules: { overlaps?: boolean } = {}): Promise<void> {
    const cells = (function collect(n: XmlNode): XmlNode[] {
      return [n, ...n.children.flatMap(collect)];
    })(parseXml(drawioXml)).filter((n) => n.name === 'mxCell');
    const byId = new Map(cells.filter((c) => c.attributes.vertex === '1').map((v) => [v.attributes.id!, v]));
    const geometryOf = (v: XmlNode) => v.children.find((c) => c.name === 'mxGeometry')!.attributes;
    // The canvas's edges: each path's polyline (flow coordinates, as the exports) and its label's centre.
    const canvas = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.react-flow__edge')).map((g) => {
        const label = g.querySelector('.gwc-edge-label')?.getAttribute('transform') ?? '';
        const m = /translate\(([-\d.e]+)[ ,]+([-\d.e]+)\)/.exec(label);
        return { id: g.getAttribute('data-id')!, d: g.querySelector('path.react-flow__edge-path')!.getAttribute('d')!, label: m ? { x: Number(m[1]), y: Number(m[2]) } : undefined };
      }),
    );
    assert.equal(canvas.length, endsOf(design).size, 'every edge drawn on the canvas');
    assert.ok(canvas.some((e) => polylineOf(e.d).length > 2), 'some edges bend on the canvas');

    // draw.io's model as mxGraph reads it (https://jgraph.github.io/mxgraph/docs/js-api/files/model/mxGeometry-js.html):
    // every cell's parent is a cell defined before it; a vertex in a container has geometry relative to the container
    // and lies inside it; an edge's source and target are vertices; every edge is on the layer (parent 1), so its
    // waypoints are absolute, as the comparison with the canvas below reads them.
    const seen = new Set<string>();
    for (const c of cells) {
      const { id, parent } = c.attributes;
      if (id !== '0') assert.ok(parent !== undefined && seen.has(parent), `the parent ${parent} of ${id} defined before it`);
      seen.add(id!);
    }
    for (const v of byId.values()) {
      const parent = byId.get(v.attributes.parent!);
      if (!parent) continue;
      assert.match(parent.attributes.style!, /^swimlane;.*container=1/, `${v.attributes.id}'s parent is a swimlane container`);
      const g = geometryOf(v);
      const p = geometryOf(parent);
      const [x, y, w, h] = [Number(g.x), Number(g.y), Number(g.width), Number(g.height)];
      assert.ok(x >= 0 && y >= 0 && x + w <= Number(p.width) + 0.1 && y + h <= Number(p.height) + 0.1, `${v.attributes.id} (${x},${y} ${w}x${h}) inside ${parent.attributes.id} (${p.width}x${p.height})`);
    }
    for (const e of cells.filter((c) => c.attributes.edge === '1')) {
      assert.equal(e.attributes.parent, '1', `${e.attributes.id} on the layer`);
      assert.ok(byId.has(e.attributes.source!) && byId.has(e.attributes.target!), `${e.attributes.id}'s ends are vertices`);
    }
    // Containers and endpoints labelled as the canvas writes them: "snet-apim  10.0.18.64/27", "Private endpoint" over
    // the endpoint's name.
    const titles = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.react-flow__node-container, .react-flow__node-endpoint'), (el) => ({
        id: el.getAttribute('data-id')!,
        texts: Array.from(el.querySelectorAll('.gwc-container__name, .gwc-container__detail, .gwc-endpoint__title, .gwc-endpoint__name'), (t) => t.textContent ?? ''),
      })),
    );
    assert.ok(titles.length >= 6, 'containers and endpoints drawn');
    for (const t of titles) {
      const endpoint = t.id.startsWith('pe:');
      assert.equal(byId.get(`node:${t.id}`)?.attributes.value, t.texts.join(endpoint ? '\n' : '  '), `draw.io label of ${t.id}`);
    }

    // draw.io: every edge leaves its source and enters its target where the canvas's does and bends where it bends.
    const absolute = (v: XmlNode): Point => {
      let p = { x: 0, y: 0 };
      for (let c: XmlNode | undefined = v; c; c = byId.get(c.attributes.parent ?? '')) p = { x: p.x + Number(geometryOf(c).x), y: p.y + Number(geometryOf(c).y) };
      return p;
    };
    const edgeCells = new Map(cells.filter((c) => c.attributes.edge === '1').map((c) => [c.attributes.id!, c]));
    for (const e of canvas) {
      const cell = edgeCells.get(`edge:${e.id}`);
      assert.ok(cell, `draw.io edge of ${e.id}`);
      const style = Object.fromEntries(cell.attributes.style!.split(';').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
      assert.equal(style.edgeStyle, 'orthogonalEdgeStyle');
      const source = byId.get(cell.attributes.source!)!;
      const target = byId.get(cell.attributes.target!)!;
      const [s0, t0] = [absolute(source), absolute(target)];
      const geometry = cell.children.find((c) => c.name === 'mxGeometry')!;
      const waypoints = (geometry.children.find((c) => c.name === 'Array' && c.attributes.as === 'points')?.children ?? []).map((p) => ({ x: Number(p.attributes.x), y: Number(p.attributes.y) }));
      const path = [
        { x: s0.x + Number(style.exitX) * Number(geometryOf(source).width), y: s0.y + Number(style.exitY) * Number(geometryOf(source).height) },
        ...waypoints,
        { x: t0.x + Number(style.entryX) * Number(geometryOf(target).width), y: t0.y + Number(style.entryY) * Number(geometryOf(target).height) },
      ];
      const expected = polylineOf(e.d);
      assertSamePoints(path, expected, `draw.io ${e.id}`);
      if (e.label && cell.attributes.value) {
        // Its label where the canvas's is: at the relative place along the edge, plus the offset.
        const along = pointAlong(path, (Number(geometry.attributes.x) + 1) / 2);
        const offset = geometry.children.find((c) => c.name === 'mxPoint' && c.attributes.as === 'offset')!.attributes;
        assertSamePoints([{ x: along.x + Number(offset.x), y: along.y + Number(offset.y) }], [e.label], `draw.io label of ${e.id}`);
      }
    }

    // SVG: every edge's path runs through the canvas's points, its label where the canvas's is.
    const svg = await exportAs(page, 'svg', svgId);
    assert.ok(decodeExport('svg', svg.data).ok);
    const svgRoot = parseXml(svg.data);
    assert.match(svgRoot.attributes.viewBox ?? '', /^0 0 \d/);
    const all = (n: XmlNode): XmlNode[] => [n, ...n.children.flatMap(all)];
    const svgEdges = new Map(all(svgRoot).filter((n) => n.name === 'path' && (n.attributes.class ?? '').split(' ').includes('edge')).map((n) => [n.attributes['data-id']!, n]));
    const svgLabels = new Map(all(svgRoot).filter((n) => n.attributes.class === 'edge-label').map((n) => [n.attributes['data-id']!, n]));
    assert.equal(svgEdges.size, canvas.length, 'one path per edge drawn');
    for (const e of canvas) {
      const path = svgEdges.get(e.id);
      assert.ok(path, `SVG path of ${e.id}`);
      assertSamePoints(polylineOf(path.attributes.d!), polylineOf(e.d), `SVG ${e.id}`);
      const label = svgLabels.get(e.id);
      assert.equal(!!label, !!e.label, `${e.id} labelled in the SVG as on the canvas`);
      if (label && e.label) {
        const text = label.children.find((c) => c.name === 'text')!.attributes;
        assertSamePoints([{ x: Number(text.x), y: Number(text.y) - 4 }], [e.label], `SVG label of ${e.id}`);
      }
    }
    // Every design node drawn once: the network as its container, the rest as nodes.
    const svgNodes = all(svgRoot).filter((n) => n.attributes.class === 'node').map((n) => n.attributes['data-id']);
    const network = design.nodes.find((n) => n.type === 'virtualNetwork')!.id;
    assert.deepEqual(svgNodes.sort(), design.nodes.map((n) => n.id).filter((id) => id !== network).sort());
    assert.ok(all(svgRoot).some((n) => n.attributes.class === 'container' && n.attributes['data-id'] === network), 'the network drawn as its container');
    // The exported picture keeps the canvas's edge rules.
    const picture = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      assert.deepEqual(violations(await drawnSvg(picture, svg.data, design), design, rules), []);
    } finally {
      await picture.close();
    }

  }

  test('draw.io, SVG and PNG of the reference design, each accepted by the host', async () => {
    const designer = await openDesignerPage(browser);
    const { page } = designer;
    try {
      const { design } = await showDesign(page, REFERENCE);
      await page.locator('.react-flow__node').first().waitFor({ state: 'visible' });
      // The exports are compared with what the canvas draws once nothing moves any more (routes made, view fitted).
      await settle(page);

      // draw.io: one vertex per drawn node at its drawn place, one edge per edge.
      const drawio = await exportAs(page, 'drawio', 'd1');
      assert.equal(drawio.format, 'drawio');
      const decoded = decodeExport('drawio', drawio.data);
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error);
      const cells = (function collect(n: XmlNode): XmlNode[] {
        return [n, ...n.children.flatMap(collect)];
      })(parseXml(drawio.data)).filter((n) => n.name === 'mxCell');
      const vertices = cells.filter((c) => c.attributes.vertex === '1');
      const ids = vertices.map((v) => v.attributes.id!.replace(/^node:/, ''));
      // Every design node, and the containers the canvas draws: subnets and private endpoints (the network is the
      // design's vnet node drawn as a container).
      const drawnExtras = ids.filter((id) => /^(subnet|pe):/.test(id));
      assert.deepEqual(ids.filter((id) => !drawnExtras.includes(id)).sort(), design.nodes.map((n) => n.id).sort());
      assert.ok(drawnExtras.includes('subnet:apim') && drawnExtras.includes('subnet:aks'), `the subnets: ${drawnExtras.join(', ')}`);
      assert.ok(cells.filter((c) => c.attributes.edge === '1').length >= design.edges.length, 'every design edge (and the lines from private endpoints)');
      const byId = new Map(vertices.map((v) => [v.attributes.id!, v]));
      const geometryOf = (v: XmlNode) => v.children.find((c) => c.name === 'mxGeometry')!.attributes;
      const apim = byId.get('node:apim')!;
      assert.equal(apim.attributes.parent, 'node:subnet:apim', 'API Management inside its subnet');
      // Its place on the page: its geometry is relative to its container, as draw.io nests them.
      let at = { x: 0, y: 0 };
      for (let v: XmlNode | undefined = apim; v; v = byId.get(v.attributes.parent ?? '')) at = { x: at.x + Number(geometryOf(v).x), y: at.y + Number(geometryOf(v).y) };
      assert.deepEqual(at, design.layout!.apim, 'API Management where the canvas draws it');
      assert.ok(Number(geometryOf(apim).width) > 100 && Number(geometryOf(apim).height) > 40, 'its drawn size');

      await assertExportsFollowCanvas(page, design, drawio.data, 's1');

      const png = await exportAs(page, 'png', 'p1');
      const bytes = decodeExport('png', png.data);
      assert.ok(bytes.ok, bytes.ok ? '' : bytes.error);
      const ihdr = Buffer.from(bytes.bytes).subarray(16, 24);
      const [width, height] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
      assert.ok(Math.max(width, height) >= 3508 && Math.min(width, height) >= 2480, `PNG ${width}x${height} covers A4 landscape at 300 dpi`);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  /**
   * Every text of the exported SVG shown in chromium against the box it is written in (getBBox of each <text> in the
   * rect of its node, endpoint or container): "<box>: <text> sticks out" for each one that does not fit.
   */
  async function textsOutsideTheirBoxes(svg: string): Promise<string[]> {
    const picture = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await picture.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
      return await picture.evaluate(() =>
        Array.from(document.querySelectorAll('g.node, g.container, g.zone')).flatMap((g) => {
          const rect = (g.querySelector(':scope > rect') as SVGRectElement).getBBox();
          return Array.from(g.querySelectorAll(':scope > text'), (t) => {
            const b = (t as SVGTextElement).getBBox();
            const inside = b.x >= rect.x - 0.5 && b.y >= rect.y - 0.5 && b.x + b.width <= rect.x + rect.width + 0.5 && b.y + b.height <= rect.y + rect.height + 0.5;
            return inside && b.width > 0 ? [] : [`${g.getAttribute('data-id') ?? g.getAttribute('class')}: "${t.textContent}" sticks out of its box`];
          }).flat();
        }),
      );
    } finally {
      await picture.close();
    }
  }

  for (const controller of [undefined, 'appRouting', 'ingressNginx', 'gatewayApi'] as const) {
    test(`SVG of the reference design${controller ? ` with ingress controller ${controller}` : ''}: no text cut off, every text inside its box`, async () => {
      const designer = await openDesignerPage(browser);
      const { page } = designer;
      try {
        const text = controller ? mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'controller'], controller)) : REFERENCE;
        const { design } = await showDesign(page, text);
        await settle(page);
        const svg = (await exportAs(page, 'svg', `t-${controller ?? 'ref'}`)).data;
        assert.doesNotMatch(svg, /…|\.\.\./, 'no text shortened with an ellipsis');
        // Every private endpoint's name and every subnet's address range is there in full.
        const model = networkModel(design)!;
        for (const s of model.subnets) assert.ok(svg.includes(`>${s.prefix}<`), `${s.name}'s range ${s.prefix} written`);
        const names = await page.evaluate(() => Array.from(document.querySelectorAll('.gwc-endpoint__name'), (e) => e.textContent ?? ''));
        assert.ok(names.length >= 4, 'the endpoints drawn on the canvas');
        const svgTexts = parseSvgTexts(svg);
        for (const name of names) assert.ok(svgTexts.some((t) => t.includes(name)), `the endpoint name ${name} whole in the SVG`);
        assert.deepEqual(await textsOutsideTheirBoxes(svg), []);
        assert.deepEqual(designer.errors, [], 'no error in the page');
      } finally {
        await designer.close();
      }
    });
  }

  test('the reference design laid out automatically: the exports follow the ELK routes as the canvas does', async () => {
    const designer = await openDesignerPage(browser);
    const { page } = designer;
    try {
      const host = new FakeHost(page, mutateReference((doc) => doc.delete('layout')));
      await host.send();
      const edit = await host.nextEdit({ message: 'the automatic layout saved' });
      await host.apply(edit.operations);
      await settle(page);
      const design = host.state().design!;
      const drawio = await exportAs(page, 'drawio', 'd2');
      await assertExportsFollowCanvas(page, design, drawio.data, 's2', { overlaps: false });
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
