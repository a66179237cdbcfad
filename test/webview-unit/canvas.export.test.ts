import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { SaxesParser } from 'saxes';
import { buildSvg, trustZones, wrapText, zoneRectangles } from '../../src/webview/export.js';
import { parseIcon } from '../../src/webview/icon-shape.js';
import { NODE_TYPES } from '../../src/schemas/design.js';
import { BROKEN_MTLS, designOf, REF, stateOf } from './canvas.fixtures.js';

const ICON_DIR = new URL('../../media/icons/', import.meta.url);
const icons = Object.fromEntries(
  readdirSync(ICON_DIR)
    .filter((f) => f.endsWith('.svg'))
    .map((f) => [f.replace(/\.svg$/, ''), parseIcon(readFileSync(new URL(f, ICON_DIR), 'utf8'))]),
);

function wellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
}

test('every node type has its own icon, drawn with currentColor', () => {
  for (const type of [...NODE_TYPES, 'lock']) {
    const icon = icons[type];
    assert.ok(icon, `media/icons/${type}.svg`);
    assert.equal(icon.viewBox, '0 0 32 32');
    assert.match(icon.attributes, /stroke="currentColor"/);
    assert.doesNotMatch(icon.body, /#[0-9a-f]{3,6}|href|<image|<script/i, `${type}: no fixed color, link or script`);
    wellFormed(`<svg xmlns="http://www.w3.org/2000/svg">${icon.body}</svg>`);
  }
});

test('the exported SVG is self-contained: well-formed, no external reference, no CSS variable', () => {
  const svg = buildSvg({ design: REF, positions: new Map(Object.entries(REF.layout ?? {})), findings: [], icons });
  wellFormed(svg);
  assert.doesNotMatch(svg, /var\(--/);
  assert.doesNotMatch(svg, /<script|<image|<foreignObject|@import|url\((?!#)/i);
  const links = [...svg.matchAll(/https?:\/\/[^"'\s<]+/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(links)], ['http://www.w3.org/2000/svg']);
  assert.match(svg, /<title id="gw-title">Gatewright design payments \(westeurope\)<\/title>/);
});

test('the export shows the trust boundaries and the mTLS edge labelled as on the canvas, its certificate and CA in its title', () => {
  const svg = buildSvg({ design: REF, positions: new Map(Object.entries(REF.layout ?? {})), findings: [], icons });
  assert.match(svg, />Internet \(untrusted\)</);
  assert.match(svg, />Virtual network 10\.0\.0\.0\/16 \(private\)</);
  assert.match(svg, />Private Link services</);
  // The canvas draws the protocol only; the certificate, the CA and the DNS zone are in the edge's tooltip.
  assert.match(svg, /<g class="edge-label" data-id="apim-aks">.*>mTLS<\/text><\/g>/);
  assert.match(svg, /data-id="apim-aks"[^>]*><title>mTLS apim-aks: apim → aks\ncert apim-client\nCA internal-ca<\/title>/);
  assert.match(svg, /<title>Private Link aks-sql: aks → sql\n[^<]*\nprivatelink\.database\.windows\.net<\/title>/);
  assert.doesNotMatch(svg, />cert apim-client<\/text>/, 'no detail line drawn on the edge');
  assert.equal((svg.match(/class="node"/g) ?? []).length, 16);
});

test('the zones of the reference design', () => {
  const z = trustZones(REF);
  assert.deepEqual(z.internet.map((n) => n.id), ['internet']);
  assert.deepEqual(z.vnet.map((n) => n.id).sort(), ['aks', 'apim', 'appgw', 'bastion', 'vnet']);
  assert.deepEqual(z.privateLink.map((n) => n.id).sort(), ['acr', 'cosmos', 'kv', 'sql']);
});

test('a zone rectangle never contains a node outside the zone', () => {
  const box = (x: number, y: number) => ({ x, y, w: 100, h: 50 });
  // Members on a row with a stranger below the middle one: one rectangle for the row.
  const row = zoneRectangles([box(0, 0), box(200, 0), box(400, 0)], [box(200, 200)], [], 10);
  assert.equal(row.length, 1);
  // A stranger between two members: they stay apart.
  const split = zoneRectangles([box(0, 0), box(400, 0)], [box(200, 0)], [], 10);
  assert.equal(split.length, 2);
});

test('edges and nodes with findings are drawn in the severity color', () => {
  const broken = designOf(BROKEN_MTLS);
  const svg = buildSvg({ design: broken, positions: new Map(Object.entries(broken.layout ?? {})), findings: stateOf(BROKEN_MTLS, 1).findings, icons });
  assert.match(svg, /stroke="#d13438" stroke-width="2.75" stroke-linejoin="round"><title>mTLS apim-aks/);
});

test('node titles wrap onto lines instead of being cut; only a title longer than three lines ends with an ellipsis', () => {
  assert.deepEqual(wrapText('Workload identity of the orders service', 20, 3), ['Workload identity of', 'the orders service']);
  assert.deepEqual(wrapText('Application Gateway (WAF)', 16, 3), ['Application', 'Gateway (WAF)']);
  assert.deepEqual(wrapText('one two three four five six', 7, 3), ['one two', 'three', 'four f…']);
  const svg = buildSvg({ design: REF, positions: new Map(Object.entries(REF.layout ?? {})), findings: [], icons });
  const titles = [...svg.matchAll(/<text [^>]*font-size="12.5" font-weight="600"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
  assert.ok(titles.includes('Microsoft Entra ID') || titles.includes('Microsoft Entra'), titles.join(' | '));
  assert.deepEqual(titles.filter((t) => t.endsWith('…')), [], 'no title cut');
});
