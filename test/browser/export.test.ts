/**
 * The export the host asks for, in headless chromium with the fake host (test/helpers/webview-page.ts): the real
 * webview answers `exportRequest` with a draw.io file of what it draws, an SVG and a PNG that covers A4 landscape
 * at 300 dpi, and the host's own check (decodeExport, what Export Diagram runs before writing) accepts each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeExport } from '../../src/extension/designer/export-data.js';
import type { WebviewMessage } from '../../src/schemas/messages.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { REFERENCE } from '../helpers/reference.js';
import { designNodesDrawn, FakeHost, openDesignerPage, posted, sendToWebview, webviewBundleMissing } from '../helpers/webview-page.js';
import { parseXml, type XmlNode } from '../helpers/xml.js';

const skip = chromiumMissing() ?? webviewBundleMissing();
type ExportResult = Extract<WebviewMessage, { type: 'exportResult' }>;

describe('exporting the diagram from the designer', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function exportAs(page: Page, format: 'svg' | 'png' | 'drawio', requestId: string): Promise<ExportResult> {
    await sendToWebview(page, { type: 'exportRequest', requestId, format });
    return poll(async () => (await posted(page)).find((m): m is ExportResult => m.type === 'exportResult' && m.requestId === requestId), {
      timeout: 30_000,
      message: `the ${format} export`,
    });
  }

  test('draw.io, SVG and PNG of the reference design, each accepted by the host', async () => {
    const designer = await openDesignerPage(browser);
    const { page } = designer;
    try {
      const host = new FakeHost(page, REFERENCE);
      const design = (await host.send()).design!;
      await poll(async () => (await designNodesDrawn(page)) === design.nodes.length, { message: 'the design drawn' });
      await page.locator('.react-flow__node').first().waitFor({ state: 'visible' });

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

      const svg = await exportAs(page, 'svg', 's1');
      assert.ok(decodeExport('svg', svg.data).ok);
      assert.match(parseXml(svg.data).attributes.viewBox ?? '', /^0 0 \d/);

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
});
