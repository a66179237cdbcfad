/**
 * The further boxes of containers whose members sit apart (src/webview/containers/network.ts partBoxes) are drawn
 * in one layer inside React Flow's viewport (containers/PartsLayer.tsx), not as React Flow nodes (issue #14 item 6:
 * React Flow's per-node work on every drag frame grows with the nodes it holds). Measured in headless chromium on
 * the benchmark's generated design of 200 nodes on a grid, whose spread-out Application Gateways split snet-agw and
 * the virtual network into parts:
 * - no React Flow node is a part; every part is drawn, titled and styled like its container's main box (dashed
 *   subnet border, name and address range, tooltip);
 * - the layer lies under the edges and nodes: with the parts made to take the pointer, the element at a member's
 *   centre is the member and the element on an edge's path is the edge (the layer comes after the nodes in the DOM);
 * - the title band takes the pointer (its tooltip shows) while the rest of a part lets it through;
 * - a drag changes nothing in the layer until the drop; the minimap draws the nodes and main boxes, not the parts;
 * - the SVG and draw.io exports draw every part where the canvas does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { benchInputs } from '../../bench/canvas/run.js';
import type { WebviewMessage } from '../../src/schemas/messages.js';
import { networkModel } from '../../src/webview/containers/network.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { settle } from '../helpers/edge-rules.js';
import { openDesignerPage, posted, sendToWebview, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';
import { parseXml, type XmlNode } from '../helpers/xml.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

type ExportResult = Extract<WebviewMessage, { type: 'exportResult' }>;

interface Part {
  readonly id: string;
  /** The container's main box's React Flow id. */
  readonly container: string;
  /** In flow coordinates (its translate and size). */
  readonly flow: { x: number; y: number; width: number; height: number };
}

/** Every part drawn, with the container it belongs to. */
async function partsDrawn(page: Page): Promise<Part[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.gwc-part'), (el) => {
      const id = el.dataset.id!;
      const base = id.slice(0, id.lastIndexOf('#'));
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(el.style.transform)!;
      return {
        id,
        container: base.startsWith('subnet:') ? base : base.slice('vnet:'.length),
        flow: { x: Number(m[1]), y: Number(m[2]), width: parseFloat(el.style.width), height: parseFloat(el.style.height) },
      };
    }),
  );
}

async function exportAs(page: Page, format: 'svg' | 'drawio', requestId: string): Promise<ExportResult> {
  await sendToWebview(page, { type: 'exportRequest', requestId, format });
  return poll(async () => (await posted(page)).find((m): m is ExportResult => m.type === 'exportResult' && m.requestId === requestId), {
    timeout: 30_000,
    message: `the ${format} export`,
  });
}

const all = (n: XmlNode): XmlNode[] => [n, ...n.children.flatMap(all)];

describe('containers drawn in parts: one layer under the edges and nodes, not React Flow nodes', { skip }, () => {
  let browser: Browser;
  let designer: DesignerPage;
  const { state, design } = benchInputs(200);
  const model = networkModel(design)!;

  before(async () => {
    browser = await launchChromium();
    designer = await openDesignerPage(browser, { viewport: { width: 1600, height: 1000 } });
    await sendToWebview(designer.page, state);
    await poll(async () => (await designer.page.locator('.react-flow__node-arch').count()) === design.nodes.length - (model.nodeId ? 1 : 0), {
      message: 'every design node drawn',
      timeout: 60_000,
    });
    await settle(designer.page);
  });
  after(async () => {
    await designer?.close();
    await browser?.close();
  });

  test('every part drawn once, outside React Flow, looking like its container', async () => {
    const { page } = designer;
    const parts = await partsDrawn(page);
    assert.ok(parts.length > 0, 'the grid splits containers into parts');
    assert.equal(new Set(parts.map((p) => p.id)).size, parts.length, 'each part once');
    assert.equal(await page.locator('.react-flow__node[data-id*="#"]').count(), 0, 'no React Flow node is a part');
    const looks = await page.evaluate((ids) => {
      const style = (el: Element) => {
        const s = getComputedStyle(el);
        return [s.borderTopStyle, s.borderTopWidth, s.borderTopColor, s.backgroundColor, s.borderTopLeftRadius].join(' ');
      };
      return ids.map(({ id, container }) => {
        const part = document.querySelector(`.gwc-part[data-id="${CSS.escape(id)}"]`)!;
        const main = document.querySelector(`.react-flow__node[data-id="${CSS.escape(container)}"]`);
        const title = part.querySelector('.gwc-container__title');
        const mainTitle = main?.querySelector('.gwc-container__title');
        return {
          id,
          main: !!main,
          style: style(part),
          mainStyle: main ? style(main) : '',
          name: title?.querySelector('.gwc-container__name')?.textContent,
          mainName: mainTitle?.querySelector('.gwc-container__name')?.textContent,
          detail: title?.querySelector('.gwc-container__detail')?.textContent,
          mainDetail: mainTitle?.querySelector('.gwc-container__detail')?.textContent,
          titleFont: title ? `${getComputedStyle(title).fontSize} ${getComputedStyle(title.querySelector('.gwc-container__name')!).fontWeight}` : '',
          mainTitleFont: mainTitle ? `${getComputedStyle(mainTitle).fontSize} ${getComputedStyle(mainTitle.querySelector('.gwc-container__name')!).fontWeight}` : '',
          tooltip: title?.getAttribute('title') ?? '',
          testId: title?.getAttribute('data-testid'),
        };
      });
    }, parts);
    for (const l of looks) {
      assert.ok(l.main, `${l.id}: its container's main box is drawn`);
      // The network's main box is the design's virtualNetwork node when there is one; its border follows findings.
      assert.equal(l.style, l.mainStyle, `${l.id}: border and fill as its container's main box`);
      assert.equal(l.name, l.mainName, `${l.id}: its container's name`);
      assert.equal(l.detail, l.mainDetail, `${l.id}: its container's address range`);
      assert.equal(l.titleFont, l.mainTitleFont, `${l.id}: the title band's font`);
      assert.match(l.tooltip, /drawn in \d+ parts/, `${l.id}: the tooltip says why`);
      assert.equal(l.testId, `container-${l.id}`);
    }
    assert.ok(looks.some((l) => l.style.startsWith('dashed')), 'subnet parts have the dashed border');
  });

  test('the layer lies under the edges and the nodes; its title bands take the pointer', async () => {
    const { page } = designer;
    const result = await page.evaluate(() => {
      const rectOf = (el: Element) => el.getBoundingClientRect();
      const inRect = (r: DOMRect, x: number, y: number, inset = 2) => x > r.left + inset && x < r.right - inset && y > r.top + inset && y < r.bottom - inset;
      const pane = rectOf(document.querySelector('.react-flow__pane')!);
      const parts = Array.from(document.querySelectorAll<HTMLElement>('.gwc-part'));
      const titles = parts.map((p) => p.querySelector('.gwc-container__title')!);
      // Title bands take the pointer without help: the one at each title band's centre, when nothing else is drawn there.
      let titlesHit = 0;
      for (const t of titles) {
        const r = rectOf(t);
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (hit && t.contains(hit)) titlesHit++;
      }
      // The rest of a part lets the pointer through: a point inside a part, off its title, is the pane or what is over it.
      let bodyTaken = 0;
      for (const p of parts) {
        const r = rectOf(p);
        const t = rectOf(p.querySelector('.gwc-container__title')!);
        const x = r.left + r.width / 2;
        const y = Math.max(t.bottom + 4, r.top + r.height / 2);
        if (!inRect(r, x, y) || !inRect(pane, x, y)) continue;
        const hit = document.elementFromPoint(x, y);
        if (hit && p.contains(hit)) bodyTaken++;
      }
      // Made to take the pointer (and the edges that do not, such as the lines from private endpoints), the parts
      // still lie under every node and edge.
      const force = document.createElement('style');
      force.textContent = '.gwc-canvas .gwc-part.gwc-container { pointer-events: auto !important; } .react-flow__edge { pointer-events: visibleStroke !important; }';
      document.head.append(force);
      const nodes = Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node-arch'));
      let nodesChecked = 0;
      const nodesUnder: string[] = [];
      for (const n of nodes) {
        const r = rectOf(n);
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        if (!inRect(pane, x, y) || !parts.some((p) => inRect(rectOf(p), x, y))) continue;
        nodesChecked++;
        const hit = document.elementFromPoint(x, y);
        if (!hit || !n.contains(hit)) nodesUnder.push(`${n.dataset.id} under ${hit?.closest('[data-id]')?.getAttribute('data-id') ?? hit?.className}`);
      }
      const partRects = parts.map((p) => ({ p, r: rectOf(p) }));
      const blockers = [...nodes, ...titles, ...Array.from(document.querySelectorAll('.react-flow__edgelabel-renderer > *'))].map(rectOf);
      let edgePoints = 0;
      const edgesUnder: string[] = [];
      for (const path of Array.from(document.querySelectorAll<SVGPathElement>('.react-flow__edge path.react-flow__edge-path'))) {
        const m = path.getScreenCTM()!;
        const length = path.getTotalLength();
        for (let at = 0; at <= length; at += 10) {
          const q = path.getPointAtLength(at).matrixTransform(m);
          if (!inRect(pane, q.x, q.y, 10)) continue;
          const part = partRects.find(({ r }) => inRect(r, q.x, q.y, 6))?.p;
          if (!part) continue;
          // Off every node, label and title band: only the edge and the part are drawn there.
          if (blockers.some((r) => inRect(r, q.x, q.y, -6))) continue;
          edgePoints++;
          const hit = document.elementFromPoint(q.x, q.y);
          if (!hit?.closest('.react-flow__edge')) edgesUnder.push(`${path.closest('[data-id]')?.getAttribute('data-id')} under ${part.dataset.id} (${hit?.className})`);
        }
      }
      force.remove();
      return { titles: titles.length, titlesHit, bodyTaken, nodesChecked, nodesUnder, edgePoints, edgesUnder: edgesUnder.slice(0, 5) };
    });
    assert.ok(result.titlesHit > 0, `title bands take the pointer (${result.titlesHit} of ${result.titles} at their centre)`);
    assert.equal(result.bodyTaken, 0, 'a part lets the pointer through off its title band');
    assert.ok(result.nodesChecked > 0, 'members drawn inside parts');
    assert.deepEqual(result.nodesUnder, [], 'every node is drawn over the parts');
    assert.ok(result.edgePoints > 0, 'edges run across parts');
    assert.deepEqual(result.edgesUnder, [], 'every edge is drawn over the parts');
  });

  test('the minimap draws the nodes and the main boxes, not the parts', async () => {
    const { page } = designer;
    const counts = await page.evaluate(() => ({
      mini: document.querySelectorAll('.react-flow__minimap-node').length,
      flow: document.querySelectorAll('.react-flow__node').length,
      parts: document.querySelectorAll('.gwc-part').length,
    }));
    assert.ok(counts.parts > 0);
    assert.equal(counts.mini, counts.flow, `one minimap rectangle per React Flow node (${counts.flow}), none for the ${counts.parts} parts`);
  });

  test('a drag changes nothing in the layer until the drop', async () => {
    const { page } = designer;
    await page.evaluate(() => {
      const w = window as unknown as { partMutations: number; partObserver: MutationObserver };
      w.partMutations = 0;
      w.partObserver = new MutationObserver((records) => (w.partMutations += records.length));
      w.partObserver.observe(document.querySelector('.gwc-parts')!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    // A member of a split container near the pane's centre, with room to move.
    const start = await page.evaluate(() => {
      const pane = document.querySelector('.react-flow__pane')!.getBoundingClientRect();
      const cx = pane.left + pane.width / 2;
      const cy = pane.top + pane.height / 2;
      const nodes = Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node-arch'))
        .map((n) => ({ n, r: n.getBoundingClientRect() }))
        .filter(({ n, r }) => r.left > pane.left + 80 && r.right < pane.right - 200 && r.top > pane.top + 80 && r.bottom < pane.bottom - 200 && n.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)))
        .sort((a, b) => Math.hypot(a.r.left - cx, a.r.top - cy) - Math.hypot(b.r.left - cx, b.r.top - cy));
      const { n, r } = nodes[0]!;
      return { id: n.dataset.id!, transform: n.style.transform, x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(start.x + 6 * i, start.y + 4 * i);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    }
    const during = await page.evaluate(
      (id) => ({
        mutations: (window as unknown as { partMutations: number }).partMutations,
        transform: document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)!.style.transform,
      }),
      start.id,
    );
    await page.mouse.up();
    await page.evaluate(() => (window as unknown as { partObserver: MutationObserver }).partObserver.disconnect());
    assert.notEqual(during.transform, start.transform, `${start.id} moved with the pointer`);
    assert.equal(during.mutations, 0, 'no change in the parts layer while dragging');
    // The fake host does not apply the move: the canvas puts the node back where the design has it.
    await settle(page);
  });

  test('the SVG and draw.io exports draw every part where the canvas does', async () => {
    const { page } = designer;
    const parts = await partsDrawn(page);
    const flowOf = await page.evaluate((id) => {
      const el = document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)!;
      const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec(el.style.transform)!;
      return { x: Number(m[1]), y: Number(m[2]) };
    }, model.id);

    const svg = parseXml((await exportAs(page, 'svg', 'parts-svg')).data);
    const containers = new Map(all(svg).filter((n) => n.attributes.class === 'container').map((n) => [n.attributes['data-id']!, n]));
    const rectOf = (g: XmlNode) => {
      const r = g.children.find((c) => c.name === 'rect')!.attributes;
      return { x: Number(r.x), y: Number(r.y), width: Number(r.width), height: Number(r.height) };
    };
    const vnet = containers.get(model.id);
    assert.ok(vnet, 'the network in the SVG');
    // The SVG is the canvas moved by one offset: the network's main box gives it.
    const dx = rectOf(vnet).x - flowOf.x;
    const dy = rectOf(vnet).y - flowOf.y;
    for (const p of parts) {
      const g = containers.get(p.id);
      assert.ok(g, `${p.id} in the SVG`);
      const r = rectOf(g);
      for (const [k, v] of Object.entries({ x: p.flow.x + dx, y: p.flow.y + dy, width: p.flow.width, height: p.flow.height })) {
        assert.ok(Math.abs(r[k as keyof typeof r] - v) < 0.6, `${p.id} in the SVG: ${k} ${r[k as keyof typeof r]}, the canvas's ${v}`);
      }
    }

    const drawio = parseXml((await exportAs(page, 'drawio', 'parts-drawio')).data);
    const cells = new Map(all(drawio).filter((n) => n.name === 'mxCell' && n.attributes.vertex === '1').map((n) => [n.attributes.id!, n]));
    const geometryOf = (c: XmlNode) => {
      const g = c.children.find((x) => x.name === 'mxGeometry')!.attributes;
      return { x: Number(g.x), y: Number(g.y), width: Number(g.width), height: Number(g.height) };
    };
    const vnetCell = cells.get(`node:${model.id}`);
    assert.ok(vnetCell, 'the network in the draw.io file');
    const ex = geometryOf(vnetCell).x - flowOf.x;
    const ey = geometryOf(vnetCell).y - flowOf.y;
    for (const p of parts) {
      const c = cells.get(`node:${p.id}`);
      assert.ok(c, `${p.id} in the draw.io file`);
      assert.match(c.attributes.style ?? '', /swimlane/, `${p.id} drawn as a container`);
      const g = geometryOf(c);
      assert.ok(Math.abs(g.x - (p.flow.x + ex)) < 0.6 && Math.abs(g.y - (p.flow.y + ey)) < 0.6, `${p.id} in the draw.io file where the canvas draws it`);
      assert.ok(Math.abs(g.width - p.flow.width) < 0.6 && Math.abs(g.height - p.flow.height) < 0.6, `${p.id}'s size in the draw.io file`);
    }
    assert.deepEqual(designer.errors, [], 'no error in the page');
  });
});
