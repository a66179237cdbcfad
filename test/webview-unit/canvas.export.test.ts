import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { SaxesParser } from 'saxes';
import { buildSvg, trustZones, zoneRectangles, type TextMeasure } from '../../src/webview/export.js';
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

test('texts wrap onto lines instead of being cut: no ellipsis anywhere, every line within its box, a long text set smaller', () => {
  // A monospaced measure: 0.6 em a character.
  const measure: TextMeasure = (text, font) => text.length * 0.6 * Number(/([\d.]+)px/.exec(font)![1]);
  const long = 'A title far too long to fit on three lines of a node of the canvas, which the export never cuts off';
  const design = { ...REF, nodes: REF.nodes.map((n) => (n.id === 'entra' ? { ...n, label: long } : n)) };
  const positions = new Map(Object.entries(REF.layout ?? {}));
  const sizes = new Map(REF.nodes.map((n) => [n.id, { width: 180, height: 72 }] as const));
  const containers = [
    { id: 'subnet:apim', label: 'snet-apim  10.0.18.64/27', x: 0, y: -300, w: 120, h: 100 },
    { id: 'pe:sql', label: 'pe-payments-cosmos-<suffix>', x: 200, y: -300, w: 150, h: 44 },
  ];
  const svg = buildSvg({ design, positions, sizes, containers, findings: [], icons, measureText: measure });
  wellFormed(svg);
  assert.doesNotMatch(svg, /…/, 'no ellipsis in the export');
  const texts = [...svg.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)" font-size="([\d.]+)"(?: font-weight="(\d+)")? fill="[^"]*">([^<]*)<\/text>/g)].map((m) => ({
    x: Number(m[1]),
    size: Number(m[3]),
    text: m[5]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  }));
  // The node's title: every word there, in order, each line no wider than the 118 px the canvas has for it.
  const entra = svg.slice(svg.indexOf('data-id="entra"'), svg.indexOf('</g>', svg.indexOf('data-id="entra"')));
  const lines = [...entra.matchAll(/font-size="([\d.]+)" font-weight="600"[^>]*>([^<]*)</g)].map((m) => ({ size: Number(m[1]), text: m[2]! }));
  assert.equal(lines.map((l) => l.text).join(' '), long);
  assert.ok(lines.length > 3, `the long title on ${lines.length} lines`);
  for (const l of lines) assert.ok(measure(l.text, `600 ${l.size}px x`) <= 118 + 1e-6, `"${l.text}" fits 118 px`);
  assert.ok(lines[0]!.size < 13.5, 'set smaller than 13.5px to fit the node\'s 72 px');
  // The endpoint's name wraps onto two lines within the endpoint's 132 px; the subnet's title is whole.
  const endpoint = texts.filter((t) => t.x === 209);
  assert.deepEqual(endpoint.map((t) => t.text), ['Private endpoint', 'pe-payments-cosmos-', '<suffix>']);
  for (const t of endpoint) assert.ok(measure(t.text, `${t.size}px x`) <= 132);
  assert.ok(texts.some((t) => t.text === 'snet-apim') && texts.some((t) => t.text === '10.0.18.64/27'), 'the subnet title whole');
});
