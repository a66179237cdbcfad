/**
 * The draw.io export (src/webview/export-drawio.ts): parsed back with a strict XML parser, it must hold one vertex per
 * node with its label and geometry, one edge per edge between the right cells, containers as swimlanes with their
 * children parented to them, and hostile labels as text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeId } from '../../src/schemas/design.js';
import { buildDrawio, diagramOf, type DiagramBox, type DrawnNode } from '../../src/webview/export-drawio.js';
import { parseXml, type XmlNode } from '../helpers/xml.js';
import { REF } from './canvas.fixtures.js';

function cells(xml: string): XmlNode[] {
  const file = parseXml(xml);
  assert.equal(file.name, 'mxfile');
  const diagram = file.children.find((c) => c.name === 'diagram');
  assert.ok(diagram, 'mxfile > diagram');
  const model = diagram.children.find((c) => c.name === 'mxGraphModel');
  assert.ok(model, 'diagram > mxGraphModel');
  const root = model.children.find((c) => c.name === 'root');
  assert.ok(root, 'mxGraphModel > root');
  for (const c of root.children) assert.equal(c.name, 'mxCell');
  return root.children;
}

const geometry = (cell: XmlNode) => {
  const g = cell.children.find((c) => c.name === 'mxGeometry');
  assert.ok(g, `mxGeometry of ${cell.attributes.id}`);
  return g.attributes;
};

/** The reference design as the canvas draws it (positions from its layout, the default node size). */
function referenceBoxes(): { boxes: DiagramBox[]; links: { id: string; source: string; target: string; label: string }[] } {
  const boxes = REF.nodes.map((node) => ({ id: node.id, label: node.label ?? node.id, detail: node.type, x: REF.layout?.[node.id]?.x ?? 0, y: REF.layout?.[node.id]?.y ?? 0, width: 220, height: 64, container: false }));
  const links = REF.edges.map((e) => ({ id: edgeId(e), source: e.from, target: e.to, label: e.type }));
  return { boxes, links };
}

test('the reference design: well-formed mxGraph XML, one vertex per node and one edge per edge, labels and geometry kept', () => {
  const { boxes, links } = referenceBoxes();
  const all = cells(buildDrawio({ name: 'payments', boxes, links }));
  assert.deepEqual(all.slice(0, 2).map((c) => c.attributes), [{ id: '0' }, { id: '1', parent: '0' }], 'the root cell and the layer');
  const vertices = all.filter((c) => c.attributes.vertex === '1');
  const edges = all.filter((c) => c.attributes.edge === '1');
  assert.equal(vertices.length, REF.nodes.length);
  assert.equal(edges.length, REF.edges.length);
  assert.equal(new Set(all.map((c) => c.attributes.id)).size, all.length, 'cell ids are unique');
  for (const b of boxes) {
    const v = vertices.find((c) => c.attributes.id === `node:${b.id}`);
    assert.ok(v, `vertex of ${b.id}`);
    assert.equal(v.attributes.value, `${b.label}\n${b.detail}`);
    assert.equal(v.attributes.parent, '1');
    assert.deepEqual(geometry(v), { x: String(b.x), y: String(b.y), width: '220', height: '64', as: 'geometry' });
  }
  for (const l of links) {
    const e = edges.find((c) => c.attributes.id === `edge:${l.id}`);
    assert.ok(e, `edge ${l.id}`);
    assert.equal(e.attributes.source, `node:${l.source}`);
    assert.equal(e.attributes.target, `node:${l.target}`);
    assert.equal(e.attributes.value, l.label);
    assert.equal(geometry(e).relative, '1');
  }
});

test('hostile labels stay text: markup, quotes, ampersands and line breaks survive a round trip', () => {
  const hostile = `<b>&"'</b> ]]> <!-- x --> &amp;`;
  const xml = buildDrawio({
    name: hostile,
    boxes: [
      { id: 'a"<>', label: hostile, detail: 'second\nline', x: 0, y: 0, width: 100, height: 50, container: false },
      { id: 'b', label: 'plain', x: 200, y: 0, width: 100, height: 50, container: false },
    ],
    links: [{ id: `e&'`, source: 'a"<>', target: 'b', label: hostile }],
  });
  assert.doesNotMatch(xml, /<b>/, 'no markup of the label in the file');
  const all = cells(xml);
  assert.equal(parseXml(xml).children[0]!.attributes.name, hostile);
  const v = all.find((c) => c.attributes.id === 'node:a"<>');
  assert.ok(v);
  assert.equal(v.attributes.value, `${hostile}\nsecond\nline`);
  assert.match(v.attributes.style!, /html=0/, 'the label is not read as HTML by draw.io');
  const e = all.find((c) => c.attributes.edge === '1');
  assert.equal(e?.attributes.value, hostile);
  assert.equal(e?.attributes.source, 'node:a"<>');
  assert.equal(e?.attributes.id, `edge:e&'`);
});

test('containers are swimlanes; their children are parented to them with geometry relative to the container', () => {
  const nodes: DrawnNode[] = [
    { id: 'kv', type: 'arch', parentId: 'spoke', x: 140, y: 260, width: 220, height: 64, data: { title: 'Key Vault', typeTitle: 'Key Vault' } },
    { id: 'spoke', type: 'container', parentId: 'hub', x: 100, y: 200, width: 400, height: 200, data: { label: 'Spoke <subnet>' } },
    { id: 'hub', type: 'container', x: 40, y: 120, width: 600, height: 400, data: { label: 'Hub VNet' } },
    { id: 'apim', type: 'arch', x: 800, y: 260, width: 220, height: 64, data: { title: 'APIM', typeTitle: 'API Management' } },
  ];
  const { boxes, links } = diagramOf(nodes, [{ id: 'rf-1', source: 'apim', target: 'kv', data: { edgeId: 'apim-kv', lines: ['Private Link'], dashed: true } }]);
  const all = cells(buildDrawio({ name: 'c', boxes, links }));
  const byId = new Map(all.map((c) => [c.attributes.id, c]));
  const order = all.map((c) => c.attributes.id);
  const hub = byId.get('node:hub')!;
  const spoke = byId.get('node:spoke')!;
  const kv = byId.get('node:kv')!;
  assert.match(hub.attributes.style!, /^swimlane;/);
  assert.match(hub.attributes.style!, /container=1/);
  assert.equal(hub.attributes.parent, '1');
  assert.equal(spoke.attributes.parent, 'node:hub');
  assert.equal(spoke.attributes.value, 'Spoke <subnet>');
  assert.equal(kv.attributes.parent, 'node:spoke');
  assert.doesNotMatch(kv.attributes.style!, /swimlane/);
  assert.ok(order.indexOf('node:hub') < order.indexOf('node:spoke') && order.indexOf('node:spoke') < order.indexOf('node:kv'), 'parents come before their children');
  assert.deepEqual([geometry(spoke).x, geometry(spoke).y], ['60', '80'], 'relative to the hub');
  assert.deepEqual([geometry(kv).x, geometry(kv).y], ['40', '60'], 'relative to the spoke');
  assert.equal(byId.get('node:apim')!.attributes.value, 'APIM\nAPI Management');
  const edge = byId.get('edge:apim-kv')!;
  assert.equal(edge.attributes.source, 'node:apim');
  assert.equal(edge.attributes.target, 'node:kv');
  assert.match(edge.attributes.style!, /dashed=1/);
});

test('a subnet is labelled as the canvas and the SVG label it, with its address range; a private endpoint as the canvas draws it', () => {
  const nodes: DrawnNode[] = [
    { id: 'vnet', type: 'container', x: 0, y: 0, width: 900, height: 500, data: { kind: 'vnet', title: 'vnet', detail: '10.0.0.0/16' } },
    { id: 'subnet:apim', type: 'container', parentId: 'vnet', x: 20, y: 40, width: 300, height: 200, data: { kind: 'subnet', title: 'snet-apim', detail: '10.0.1.0/24' } },
    { id: 'subnet:pep', type: 'container', parentId: 'vnet', x: 400, y: 40, width: 300, height: 200, data: { kind: 'subnet', title: 'snet-pep', detail: '' } },
    { id: 'pe:kv', type: 'endpoint', parentId: 'subnet:pep', x: 420, y: 80, width: 150, height: 44, data: { target: 'kv', name: 'pe-payments-kv-<suffix>', zone: 'privatelink.vaultcore.azure.net' } },
  ];
  const byId = new Map(cells(buildDrawio({ name: 'n', ...diagramOf(nodes, []) })).map((c) => [c.attributes.id, c]));
  assert.equal(byId.get('node:vnet')!.attributes.value, 'vnet  10.0.0.0/16');
  assert.equal(byId.get('node:subnet:apim')!.attributes.value, 'snet-apim  10.0.1.0/24');
  assert.equal(byId.get('node:subnet:pep')!.attributes.value, 'snet-pep', 'no range: the name alone');
  const pe = byId.get('node:pe:kv')!;
  assert.equal(pe.attributes.value, 'Private endpoint\npe-payments-kv-<suffix>');
  assert.equal(pe.attributes.parent, 'node:subnet:pep');
  assert.doesNotMatch(pe.attributes.style!, /swimlane|container=1/, 'an endpoint is a box, not a container');
  assert.match(pe.attributes.style!, /strokeColor=#8661c5/, 'with the Private Link border');
});

test('an edge to a node that is not drawn is left out; a parent that is not a drawn container leaves the node on the layer', () => {
  const xml = buildDrawio({
    name: 'x',
    boxes: [
      { id: 'a', label: 'a', x: 0, y: 0, width: 10, height: 10, container: false, parentId: 'gone' },
      { id: 'b', label: 'b', x: 0, y: 0, width: 10, height: 10, container: false, parentId: 'a' },
    ],
    links: [
      { id: 'ab', source: 'a', target: 'b' },
      { id: 'ax', source: 'a', target: 'hidden' },
    ],
  });
  const all = cells(xml);
  assert.deepEqual(all.filter((c) => c.attributes.vertex === '1').map((c) => c.attributes.parent), ['1', '1']);
  assert.deepEqual(all.filter((c) => c.attributes.edge === '1').map((c) => c.attributes.id), ['edge:ab']);
});

test('an edge drawn along a path leaves and enters where the canvas does, bends where it bends, its label where the canvas puts it', () => {
  const nodes: DrawnNode[] = [
    { id: 'apim', type: 'arch', x: 100, y: 100, width: 200, height: 80, data: { title: 'APIM' } },
    { id: 'entra', type: 'arch', x: 100, y: 400, width: 200, height: 80, data: { title: 'Entra ID' } },
  ];
  const points = [{ x: 300, y: 140 }, { x: 340, y: 140 }, { x: 340, y: 300 }, { x: 60, y: 300 }, { x: 60, y: 440 }, { x: 100, y: 440 }];
  const { boxes, links } = diagramOf(nodes, [
    { id: 'rf-1', type: 'tls', source: 'apim', target: 'entra', data: { edgeId: 'apim-entra', lines: ['HTTPS', 'CA internal-ca'] }, points, labelAt: { x: 200, y: 300 } },
    { id: 'rf-2', type: 'control', source: 'entra', target: 'apim', data: { edgeId: 'back', lines: ['Diagnostics'] }, points: [{ x: 300, y: 440 }, { x: 300, y: 440 }] },
  ]);
  const all = cells(buildDrawio({ name: 'p', boxes, links }));
  const edge = all.find((c) => c.attributes.id === 'edge:apim-entra')!;
  const style = Object.fromEntries(edge.attributes.style!.split(';').filter(Boolean).map((kv) => kv.split('=')));
  assert.equal(style.edgeStyle, 'orthogonalEdgeStyle');
  assert.deepEqual([style.exitX, style.exitY, style.entryX, style.entryY], ['1', '0.5', '0', '0.5'], 'out of the right middle, into the left middle');
  assert.deepEqual([style.exitPerimeter, style.entryPerimeter], ['0', '0']);
  const g = edge.children.find((c) => c.name === 'mxGeometry')!;
  const waypoints = g.children.find((c) => c.name === 'Array')!;
  assert.equal(waypoints.attributes.as, 'points');
  assert.deepEqual(waypoints.children.map((p) => [p.name, Number(p.attributes.x), Number(p.attributes.y)]), points.slice(1, -1).map((p) => ['mxPoint', p.x, p.y]));
  // The canvas draws the protocol only; the label sits halfway along the edge (total 40+160+280+140+40 = 660; the
  // label's point, 200,300, is 40+160+140 = 340 along), with no offset.
  assert.equal(edge.attributes.value, 'HTTPS');
  assert.equal(g.attributes.x, String(Math.round((340 / 660 * 2 - 1) * 10000) / 10000));
  const offset = g.children.find((c) => c.name === 'mxPoint' && c.attributes.as === 'offset')!;
  assert.deepEqual([Number(offset.attributes.x), Number(offset.attributes.y)], [0, 0]);
  // A control-plane edge has no label on the canvas, and none here; a straight path has no waypoint.
  const back = all.find((c) => c.attributes.id === 'edge:back')!;
  assert.equal(back.attributes.value, '');
  assert.equal(back.children.find((c) => c.name === 'mxGeometry')!.children.length, 0);
});
