/** The SVG and PNG exports give the canvas's picture, readable at A4 landscape: containers drawn, the PNG page-sized. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSvg } from '../../src/webview/export.js';
import { A4_LANDSCAPE_300_DPI, pngScale } from '../../src/webview/rasterize.js';
import { parseXml, type XmlNode } from '../helpers/xml.js';
import { REF } from './canvas.fixtures.js';

const all = (node: XmlNode): XmlNode[] => [node, ...node.children.flatMap(all)];

test('the PNG of any diagram covers A4 landscape at 300 dpi (3508 x 2480) and is never below 2x', () => {
  for (const [w, h] of [[800, 500], [1600, 400], [400, 1600], [1200, 848], [200, 100], [5000, 3500]] as const) {
    const s = pngScale(w, h, A4_LANDSCAPE_300_DPI);
    const [pw, ph] = [w * s, h * s];
    assert.ok(s >= 2 || Math.max(pw, ph) >= 15_999, `at least 2x for ${w}x${h}`);
    assert.ok(Math.max(pw, ph) >= 3508 - 0.5 && Math.min(pw, ph) >= 2480 - 0.5, `${w}x${h} -> ${Math.round(pw)}x${Math.round(ph)} covers the page`);
    assert.ok(pw <= 16_000.5 && ph <= 16_000.5 && pw * ph <= 100_000_001, `${w}x${h} within the browser's canvas limits`);
  }
  // The browser's limits win over the page for a very long diagram: as large as a canvas may be.
  const s = pngScale(3000, 400, A4_LANDSCAPE_300_DPI);
  assert.ok(Math.abs(3000 * s - 16_000) < 0.5, `3000x400 -> ${3000 * s} wide`);
});

test('the SVG draws the containers the canvas draws, with their labels, and its viewBox holds them', () => {
  const positions = new Map(REF.nodes.map((n) => [n.id, REF.layout![n.id]!]));
  const container = { id: 'hub', label: 'Hub <network> & "spoke"', x: -600, y: -400, w: 500, h: 300 };
  const svg = buildSvg({ design: REF, positions, findings: [], icons: {}, containers: [container] });
  const root = parseXml(svg);
  const groups = all(root).filter((n) => n.name === 'g' && n.attributes.class === 'container');
  assert.equal(groups.length, 1);
  const rect = groups[0]!.children.find((c) => c.name === 'rect')!;
  const text = groups[0]!.children.find((c) => c.name === 'text')!;
  assert.equal(text.text, container.label);
  // The container lies inside the picture: its top left, shifted by the content's translation, is on the page.
  const [, , vw, vh] = root.attributes.viewBox!.split(' ').map(Number);
  const shift = all(root).find((n) => n.name === 'g' && n.attributes.transform?.startsWith('translate('))!.attributes.transform!;
  const [dx, dy] = shift.slice('translate('.length, -1).split(' ').map(Number);
  const x = Number(rect.attributes.x) + dx!;
  const y = Number(rect.attributes.y) + dy!;
  assert.ok(x >= 0 && y >= 0 && x + container.w <= vw! && y + container.h <= vh!, `container at ${x},${y} inside ${vw}x${vh}`);
  // Without containers nothing of the kind is drawn.
  assert.equal(all(parseXml(buildSvg({ design: REF, positions, findings: [], icons: {} }))).filter((n) => n.attributes.class === 'container').length, 0);
});
