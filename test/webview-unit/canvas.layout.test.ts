import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODE_HEIGHT, NODE_WIDTH } from '../../src/webview/graph.js';
import { buildLayoutGraph, layoutDesign, originBeside, positionsOf, rowsUnder } from '../../src/webview/layout.js';
import { REF } from './canvas.fixtures.js';

test('the layout graph has every node and the data-plane edges, once per pair', () => {
  const g = buildLayoutGraph(REF);
  assert.equal(g.children?.length, 16);
  assert.ok(g.children?.every((c) => c.width === NODE_WIDTH && c.height === NODE_HEIGHT));
  const pairs = (g.edges ?? []).map((e) => `${e.sources[0]}>${e.targets[0]}`);
  assert.ok(pairs.includes('apim>aks'));
  assert.ok(pairs.includes('aks>kv'));
  assert.ok(!pairs.includes('appgw>logs'), 'diagnostics edges do not shape the layout');
  assert.ok(!pairs.includes('defender>aks'), 'protects edges do not shape the layout');
  assert.equal(pairs.filter((p) => p === 'aks>acr').length, 1, 'parallel edges count once');
  assert.equal(g.layoutOptions?.['elk.algorithm'], 'layered');
  assert.equal(g.layoutOptions?.['elk.direction'], 'RIGHT');
});

test('a subset keeps only its nodes and the edges among them; measured sizes are used', () => {
  const g = buildLayoutGraph(REF, new Set(['apim', 'aks', 'logs']), new Map([['apim', { width: 200, height: 90 }]]));
  assert.deepEqual(g.children?.map((c) => c.id), ['apim', 'aks', 'logs']);
  assert.equal(g.children?.[0]?.width, 200);
  assert.deepEqual((g.edges ?? []).map((e) => `${e.sources[0]}>${e.targets[0]}`), ['apim>aks']);
});

test('ELK lays the request path out from left to right without overlaps', async () => {
  const placed = await layoutDesign(REF);
  assert.equal(Object.keys(placed).length, 16);
  const x = (id: string) => placed[id]!.x;
  assert.ok(x('internet') < x('appgw') && x('appgw') < x('apim') && x('apim') < x('aks') && x('aks') < x('sql'), JSON.stringify(placed));
  const boxes = Object.values(placed);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT;
      assert.ok(apart, `overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
    }
  }
});

test('nodes laid out alone are put beside the nodes already placed', async () => {
  assert.deepEqual(originBeside([]), { x: 0, y: 0 });
  assert.deepEqual(originBeside([{ x: 0, y: 50 }, { x: 100, y: 10 }]), { x: 100 + NODE_WIDTH + 120, y: 10 });
  const placed = await layoutDesign(REF, { only: new Set(['sentinel', 'logs']), placed: [{ x: 0, y: 0 }, { x: 1000, y: 0 }] });
  assert.deepEqual(Object.keys(placed).sort(), ['logs', 'sentinel']);
  assert.ok(Object.values(placed).every((p) => p.x >= 1000 + NODE_WIDTH));
  assert.deepEqual(positionsOf({ id: 'root', children: [{ id: 'a', x: 1.4, y: 2.6 }] }, { x: 10, y: 10 }), { a: { x: 11, y: 13 } });
  assert.deepEqual(await layoutDesign(REF, { only: new Set() }), {});
});

test('a stand-in engine can replace ELK; nodes no layout edge joins go in rows under the laid out block', async () => {
  const placed = await layoutDesign(REF, {
    only: new Set(['apim', 'aks', 'logs', 'defender']),
    engine: { layout: async (g) => ({ ...g, children: g.children?.map((c, i) => ({ ...c, x: i * 300, y: 6 })) }) },
  });
  assert.deepEqual(placed.apim, { x: 0, y: 6 });
  assert.deepEqual(placed.aks, { x: 300, y: 6 });
  const under = 6 + NODE_HEIGHT + 100;
  assert.deepEqual(placed.logs, { x: 0, y: under });
  assert.deepEqual(placed.defender, { x: NODE_WIDTH + 44, y: under });
});

test('rows under wrap at the given width', () => {
  const rows = rowsUnder(['a', 'b', 'c'], new Map(), 10, 2 * NODE_WIDTH + 44);
  assert.deepEqual(rows, { a: { x: 0, y: 10 }, b: { x: NODE_WIDTH + 44, y: 10 }, c: { x: 0, y: 10 + NODE_HEIGHT + 44 } });
});
