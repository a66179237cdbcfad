/**
 * Routes around what is drawn (src/webview/layout/route.ts), on small scenes built like the canvas's: nodes, subnets
 * around their members, the network around its subnets, and services in a band under it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Position } from '../../src/schemas/design.js';
import type { Rect } from '../../src/webview/containers/network.js';
import { layoutArchitecture, routeKey } from '../../src/webview/layout/architecture.js';
import { routeEdges, ROUTE_NODE_LIMIT, SEPARATION, type RouteContainer, type RouteScene } from '../../src/webview/layout/route.js';
import { REF } from './canvas.fixtures.js';

const box = (x: number, y: number, width = 160, height = 72): Rect => ({ x, y, width, height });

/** Whether the polyline runs through the inside of `r` (touching its border is not). */
function crosses(points: readonly Position[], r: Rect): boolean {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const x0 = Math.min(a.x, b.x);
    const x1 = Math.max(a.x, b.x);
    const y0 = Math.min(a.y, b.y);
    const y1 = Math.max(a.y, b.y);
    if (x1 > r.x && x0 < r.x + r.width && y1 > r.y && y0 < r.y + r.height) return true;
  }
  return false;
}

/** How many times the polyline goes from inside `r` to outside or back. */
function borderCrossings(points: readonly Position[], r: Rect): number {
  const inside = (p: Position) => p.x > r.x && p.x < r.x + r.width && p.y > r.y && p.y < r.y + r.height;
  let n = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y)));
    let last = inside(a);
    for (let k = 1; k <= steps; k++) {
      const p = { x: a.x + ((b.x - a.x) * k) / steps, y: a.y + ((b.y - a.y) * k) / steps };
      if (inside(p) !== last) n++;
      last = inside(p);
    }
  }
  return n;
}

function orthogonal(points: readonly Position[]): boolean {
  return points.every((p, i) => i === 0 || p.x === points[i - 1]!.x || p.y === points[i - 1]!.y);
}

/**
 * Three subnets in a row in a network (gw, apim, aks, each with one node), a service (kv) in a band under the network
 * under aks, and one (logs) under gw.
 */
function scene(): RouteScene {
  const nodes = new Map<string, Rect>([
    ['gw', box(40, 60)],
    ['apim', box(280, 60)],
    ['aks', box(520, 60)],
    ['kv', box(520, 300)],
    ['logs', box(40, 300)],
    ['internet', box(-260, 60)],
    ['sql', box(800, 60)],
  ]);
  const subnet = (id: string, member: string): RouteContainer => {
    const r = nodes.get(member)!;
    return { id, rect: { x: r.x - 14, y: r.y - 38, width: r.width + 28, height: r.height + 52 }, members: new Set([member]) };
  };
  const network: RouteContainer = { id: 'vnet', rect: { x: 12, y: 0, width: 696, height: 160 }, members: new Set(['gw', 'apim', 'aks']) };
  return { nodes, containers: [network, subnet('subnet:gw', 'gw'), subnet('subnet:apim', 'apim'), subnet('subnet:aks', 'aks')] };
}

test('an edge from a subnet to a service in the band under the network goes down, over no other subnet, and crosses the network once', () => {
  const s = scene();
  const routes = routeEdges(s, [
    { source: 'gw', target: 'kv' },
    { source: 'aks', target: 'logs' },
  ]);
  for (const [source, target] of [['gw', 'kv'], ['aks', 'logs']] as const) {
    const r = routes.get(routeKey(source, target));
    assert.ok(r, `${source} -> ${target} routed`);
    assert.ok(orthogonal(r.points), 'only horizontal and vertical segments');
    for (const [id, rect] of s.nodes) if (id !== source && id !== target) assert.ok(!crosses(r.points, rect), `${source} -> ${target} runs over ${id}`);
    for (const c of s.containers.slice(1)) if (!c.members.has(source)) assert.ok(!crosses(r.points, c.rect), `${source} -> ${target} runs over ${c.id}`);
    assert.equal(borderCrossings(r.points, s.containers[0]!.rect), 1, `${source} -> ${target} leaves the network once`);
    const [a, b] = r.points.slice(-2) as [Position, Position];
    assert.ok(a.x === b.x && b.y > a.y, `${source} -> ${target} arrives from above`);
    assert.equal(b.y, s.nodes.get(target)!.y, 'on the top side of its target');
  }
  const straight = routes.get(routeKey('aks', 'logs'))!;
  assert.ok(
    straight.anchors.source.x === 680 && straight.anchors.source.y === 96 && straight.anchors.target.x === 40 && straight.anchors.target.y === 336,
    'anchors: the right middle of the source and the left middle of the target (the handles)',
  );
});

test('an edge between two nodes on one row goes around a node between them, and one outside the network stays outside', () => {
  const s = scene();
  const routes = routeEdges(s, [
    { source: 'internet', target: 'sql' },
    { source: 'gw', target: 'apim' },
  ]);
  const around = routes.get(routeKey('internet', 'sql'));
  assert.ok(around);
  assert.equal(borderCrossings(around.points, s.containers[0]!.rect), 0, 'never enters the network');
  for (const [id, rect] of s.nodes) if (id !== 'internet' && id !== 'sql') assert.ok(!crosses(around.points, rect), `runs over ${id}`);
  const next = routes.get(routeKey('gw', 'apim'));
  assert.ok(next);
  assert.deepEqual(next.points, [{ x: 200, y: 96 }, { x: 280, y: 96 }], 'neighbours on one row: a straight line between the handles');
});

test('a Private Link endpoint beside a service in a band reaches it from above or from the side, never through the network', () => {
  const nodes = new Map<string, Rect>([
    ['aks', box(40, 60)],
    ['pe:kv', box(300, 40, 150, 44)],
    ['pe:acr', box(300, 96, 150, 44)],
    ['kv', box(300, 300)],
    ['acr', box(40, 300)],
  ]);
  const network: RouteContainer = { id: 'vnet', rect: { x: 12, y: 0, width: 466, height: 180 }, members: new Set(['aks', 'pe:kv', 'pe:acr']) };
  const pep: RouteContainer = { id: 'subnet:pep', rect: { x: 286, y: 14, width: 178, height: 140 }, members: new Set(['pe:kv', 'pe:acr']) };
  const aksNet: RouteContainer = { id: 'subnet:aks', rect: { x: 26, y: 22, width: 188, height: 124 }, members: new Set(['aks']) };
  const s: RouteScene = { nodes, containers: [network, aksNet, pep] };
  const routes = routeEdges(s, [
    { source: 'pe:kv', target: 'kv' },
    { source: 'pe:acr', target: 'acr' },
  ]);
  for (const [source, target] of [['pe:kv', 'kv'], ['pe:acr', 'acr']] as const) {
    const r = routes.get(routeKey(source, target));
    assert.ok(r, `${source} routed`);
    assert.equal(borderCrossings(r.points, network.rect), 1, `${source} -> ${target} crosses the network's border once`);
    assert.ok(!crosses(r.points, aksNet.rect), `${source} -> ${target} runs over snet-aks`);
    for (const [id, rect] of nodes) if (id !== source && id !== target) assert.ok(!crosses(r.points, rect), `${source} -> ${target} runs over ${id}`);
  }
});

test('no route for an edge whose end is not drawn, nor above the node limit (the canvas draws step paths then)', () => {
  const s = scene();
  assert.equal(routeEdges(s, [{ source: 'gw', target: 'missing' }]).size, 0);
  const many = new Map<string, Rect>();
  for (let i = 0; i <= ROUTE_NODE_LIMIT; i++) many.set(`n${i}`, box((i % 20) * 200, Math.floor(i / 20) * 120));
  assert.equal(routeEdges({ nodes: many, containers: [] }, [{ source: 'n0', target: 'n1' }]).size, 0);
  assert.equal(routeEdges({ nodes: new Map([...many].slice(0, 2)), containers: [] }, [{ source: 'n0', target: 'n1' }]).size, 1);
});

test('the automatic layout puts a band service under what it is joined to: Entra ID under API Management, Key Vault and Container Registry between AKS and their private endpoints', async () => {
  const laid = await layoutArchitecture({ ...REF, layout: {} });
  const p = laid.positions;
  const overlapsX = (a: number, b: number, width = 160) => a < b + width && b < a + width;
  assert.ok(overlapsX(p.entra!.x, p.apim!.x), `entra (x ${p.entra!.x}) under apim (x ${p.apim!.x})`);
  const endpoints = [...laid.endpoints.values()];
  const right = Math.max(...endpoints.map((e) => e.x + 150));
  for (const id of ['kv', 'acr']) {
    assert.ok(p[id]!.x >= p.aks!.x - 20 && p[id]!.x + 160 <= right + 20, `${id} (x ${p[id]!.x}) between aks (x ${p.aks!.x}) and the endpoints' right side (${right})`);
    assert.ok(p[id]!.y > Math.max(...endpoints.map((e) => e.y)), `${id} in a band under the network`);
  }
  assert.ok(p.logs!.y > p.kv!.y, 'monitoring under identity and secrets');
});

/**
 * Pieces of two routes along one line (closer than half SEPARATION, overlapping by more than 2 px), but for their
 * first and last pieces (at their ends' ports).
 */
function sharedStretches(a: readonly Position[], b: readonly Position[]): string[] {
  const out: string[] = [];
  const near = SEPARATION / 2;
  for (let i = 2; i < a.length - 1; i++) {
    for (let j = 2; j < b.length - 1; j++) {
      const [p, q, r, s] = [a[i - 1]!, a[i]!, b[j - 1]!, b[j]!];
      const horizontal = p.y === q.y && r.y === s.y && Math.abs(p.y - r.y) < near;
      const upright = p.x === q.x && r.x === s.x && Math.abs(p.x - r.x) < near;
      const overlap = horizontal
        ? Math.min(Math.max(p.x, q.x), Math.max(r.x, s.x)) - Math.max(Math.min(p.x, q.x), Math.min(r.x, s.x))
        : upright
          ? Math.min(Math.max(p.y, q.y), Math.max(r.y, s.y)) - Math.max(Math.min(p.y, q.y), Math.min(r.y, s.y))
          : 0;
      if (overlap > 2) out.push(`${JSON.stringify([p, q])} along ${JSON.stringify([r, s])}`);
    }
  }
  return out;
}

test('edges through one narrow gap are drawn apart in it, SEPARATION px where there is room, over no node', () => {
  // A wall of two wide nodes with a 20 px gap, three sources above it and two targets below: every route takes the
  // gap, whose channel has grid lines 2 px apart.
  const nodes = new Map<string, Rect>([
    ['a1', box(-200, 0)],
    ['a2', box(30, 0)],
    ['a3', box(260, 0)],
    ['left', box(-400, 200, 500)],
    ['right', box(120, 200, 500)],
    ['t1', box(-300, 420)],
    ['t2', box(400, 420)],
  ]);
  const edges = [
    { source: 'a1', target: 't2' },
    { source: 'a2', target: 't1' },
    { source: 'a3', target: 't1' },
  ];
  const routes = routeEdges({ nodes, containers: [] }, edges);
  const all = edges.map((e) => routes.get(routeKey(e.source, e.target))!.points);
  const inGap = all.map((points) => points.slice(1).find((p, i) => p.x === points[i]!.x && p.x > 100 && p.x < 120 && Math.max(p.y, points[i]!.y) > 200)?.x);
  assert.ok(inGap.every((x) => x !== undefined), `every route through the gap: ${JSON.stringify(all)}`);
  const xs = (inGap as number[]).sort((a, b) => a - b);
  for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! - xs[i - 1]! >= SEPARATION / 2, `apart in the gap: ${xs.join(', ')}`);
  for (let i = 0; i < all.length; i++) {
    assert.ok(orthogonal(all[i]!));
    for (let j = i + 1; j < all.length; j++) assert.deepEqual(sharedStretches(all[i]!, all[j]!), [], `${edges[i]!.source}->${edges[i]!.target} and ${edges[j]!.source}->${edges[j]!.target}`);
    for (const [id, r] of nodes) if (id !== edges[i]!.source && id !== edges[i]!.target) assert.ok(!crosses(all[i]!, r), `${edges[i]!.source}->${edges[i]!.target} over ${id}`);
  }
});

test('an edge leaves the network by the side facing its target, past a wide subnet in its way', () => {
  // A node at the top of the network, a wide subnet under it with a narrow way past it on each side, and the
  // target under the network: the route goes down a side channel and out of the bottom.
  const nodes = new Map<string, Rect>([
    ['top', box(300, 50)],
    ['mid', box(60, 230, 560)],
    ['logs', box(300, 460)],
  ]);
  const network: RouteContainer = { id: 'vnet', rect: { x: 0, y: 0, width: 700, height: 360 }, members: new Set(['top', 'mid']) };
  const sub = (id: string, member: string, pad: number): RouteContainer => {
    const r = nodes.get(member)!;
    return { id, rect: { x: r.x - pad, y: r.y - 30, width: r.width + 2 * pad, height: r.height + 44 }, members: new Set([member]) };
  };
  const s: RouteScene = { nodes, containers: [network, sub('subnet:top', 'top', 14), sub('subnet:mid', 'mid', 34)] };
  const points = routeEdges(s, [{ source: 'top', target: 'logs' }]).get(routeKey('top', 'logs'))!.points;
  const r = network.rect;
  const inside = (p: Position) => p.x > r.x && p.x < r.x + r.width && p.y > r.y && p.y < r.y + r.height;
  const exit = points.findIndex((p, i) => i > 0 && inside(points[i - 1]!) && !inside(p));
  assert.ok(exit > 0, JSON.stringify(points));
  const [a, b] = [points[exit - 1]!, points[exit]!];
  assert.ok(a.x === b.x && b.y >= r.y + r.height, `leaves by the bottom: ${JSON.stringify(points)}`);
});
