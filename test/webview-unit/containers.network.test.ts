/**
 * Container geometry (src/webview/containers/network.ts): a subnet or network box never covers a design node that
 * is not in it. A generated design placed on a grid (as the latency tests place it) spreads the Application
 * Gateways of snet-agw over the whole drawing with other nodes between them; one box around all of them drew the
 * internet node and hundreds of others inside snet-agw and the virtual network.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDesign } from '../../bench/designs.js';
import type { Design, Position } from '../../src/schemas/design.js';
import { applyOperations } from '../../src/document/edits/index.js';
import { containerFragments, containerRects, intersects, networkGeometry, networkModel, partBoxes, partId, RectIndex, type Rect } from '../../src/webview/containers/network.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/webview/graph.js';
import { designOf, REF } from './canvas.fixtures.js';

const rectOf = (p: Position): Rect => ({ x: p.x, y: p.y, width: NODE_WIDTH, height: NODE_HEIGHT });
const inside = (r: Rect, box: Rect) => r.x >= box.x && r.y >= box.y && r.x + r.width <= box.x + box.width && r.y + r.height <= box.y + box.height;

function gridDesign(n: number): Design {
  const text = generateDesign(n).text;
  const design = designOf(text);
  const cols = Math.ceil(Math.sqrt(design.nodes.length));
  const positions = Object.fromEntries(design.nodes.map((x, i) => [x.id, { x: (i % cols) * 220, y: Math.floor(i / cols) * 140 }]));
  const result = applyOperations(text, [{ op: 'setLayout', positions }]);
  assert.ok(result.ok);
  return designOf(result.text);
}

/** Checks every container of `design` drawn at its layout: members inside one of their boxes, no other node under any. */
function checkContainers(design: Design): { parts: number } {
  const model = networkModel(design)!;
  const positions = new Map(Object.entries(design.layout ?? {}));
  const g = networkGeometry(model, positions, new Map());
  let parts = 0;
  for (const s of model.subnets) {
    if (s.id === model.endpointSubnet) continue;
    const boxes = containerRects(g, s.id);
    parts += boxes.length - 1;
    const members = new Set(s.members);
    for (const m of s.members) {
      const p = positions.get(m);
      if (p) assert.ok(boxes.some((b) => inside(rectOf(p), b)), `${m} inside a box of ${s.id}`);
    }
    for (const [id, p] of positions) {
      if (members.has(id) || id === model.nodeId) continue;
      assert.ok(!boxes.some((b) => intersects(b, rectOf(p))), `${id} (not in ${s.id}) under none of its boxes`);
    }
  }
  const vnet = containerRects(g, model.id);
  parts += vnet.length - 1;
  for (const [id, p] of positions) {
    if (model.home.has(id) || id === model.nodeId) continue;
    assert.ok(!vnet.some((b) => intersects(b, rectOf(p))), `${id} (outside every subnet) under no box of the network`);
  }
  for (const s of model.subnets) for (const b of containerRects(g, s.id)) assert.ok(vnet.some((v) => inside(b, v)), `a box of ${s.id} inside the network`);
  return { parts };
}

test('the reference design: one box per container, as before', () => {
  assert.equal(checkContainers(REF).parts, 0);
});

test('a generated design of 100 nodes on a grid: no container box covers a node that is not in it', () => {
  const { parts } = checkContainers(gridDesign(100));
  assert.ok(parts > 0, 'the spread-out Application Gateways are drawn in several boxes');
});

test('a generated design of 1,000 nodes on a grid: the same, and the internet node is outside the network', () => {
  const design = gridDesign(1000);
  checkContainers(design);
  const model = networkModel(design)!;
  const g = networkGeometry(model, new Map(Object.entries(design.layout ?? {})), new Map());
  const internet = rectOf(design.layout!['internet']!);
  assert.ok(!containerRects(g, model.id).some((b) => intersects(b, internet)));
});

test('members together give one box; a node between them splits it in two, one around each side', () => {
  const frame = (r: Rect): Rect => ({ x: r.x - 10, y: r.y - 10, width: r.width + 20, height: r.height + 20 });
  const a = { x: 0, y: 0, width: 100, height: 50 };
  const b = { x: 300, y: 0, width: 100, height: 50 };
  assert.deepEqual(containerFragments([a, b], new RectIndex([]), frame), [{ x: -10, y: -10, width: 420, height: 70 }]);
  const between = { x: 150, y: 0, width: 100, height: 50 };
  const split = containerFragments([a, b], new RectIndex([between]), frame);
  assert.deepEqual(split, [frame(a), frame(b)]);
  assert.ok(split.every((box) => !intersects(box, between)));
});

test('further boxes are named like their container (subnet:..., vnet:...), never like a design node', () => {
  assert.equal(partId('subnet:appgw', 2), 'subnet:appgw#2');
  assert.equal(partId('vnet', 3), 'vnet:vnet#3');
  assert.equal(partId('vnet:default', 2), 'vnet:vnet:default#2');
});

test('the further boxes drawn beside React Flow (partBoxes): every part of the geometry, titled as its container, the network\'s first', () => {
  const design = gridDesign(100);
  const model = networkModel(design)!;
  const g = networkGeometry(model, new Map(Object.entries(design.layout ?? {})), new Map());
  const parts = partBoxes(model, g);
  const expected = [...g.parts.values()].reduce((n, rs) => n + rs.length, 0);
  assert.ok(expected > 0, 'the grid splits some container');
  assert.equal(parts.length, expected, 'one box per further box of the geometry');
  assert.equal(new Set(parts.map((p) => p.id)).size, parts.length, 'ids are unique');
  for (const p of parts) {
    const rects = containerRects(g, p.container);
    const n = Number(p.id.slice(p.id.lastIndexOf('#') + 1));
    assert.equal(p.id, partId(p.container, n));
    assert.deepEqual(p.rect, rects[n - 1], `${p.id} drawn where the geometry has it`);
    const subnet = model.subnets.find((s) => s.id === p.container);
    if (subnet) {
      assert.equal(p.kind, 'subnet');
      assert.equal(p.title, subnet.name);
      assert.equal(p.detail, subnet.prefix ?? '');
    } else {
      assert.equal(p.container, model.id);
      assert.equal(p.kind, 'vnet');
      assert.equal(p.detail, model.addressSpace);
    }
    assert.match(p.tooltip, new RegExp(`drawn in ${rects.length} parts`));
    assert.match(p.ariaLabel, new RegExp(`part ${n} of ${rects.length}$`));
  }
  const firstSubnet = parts.findIndex((p) => p.kind === 'subnet');
  const lastVnet = parts.map((p) => p.kind).lastIndexOf('vnet');
  assert.ok(firstSubnet === -1 || lastVnet < firstSubnet, 'the network\'s parts come first, so that a subnet\'s part is drawn over the network\'s');
});
