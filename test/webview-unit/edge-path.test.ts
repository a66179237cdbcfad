/**
 * The one choice of an edge's path (src/webview/edge-path.ts) that the canvas and the exports share: ELK's route
 * while it fits the ends, else the scene route made for these ends, else React Flow's step path, point for point.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getSmoothStepPath, Position } from '@xyflow/react';
import { edgeGeometry, edgePathData, stepPath, type EdgeEnds } from '../../src/webview/edge-path.js';
import { routeKey } from '../../src/webview/layout/architecture.js';

/** The corners of a smooth step path (its quadratic curves' control points), with its start and end. */
function corners(d: string): { x: number; y: number }[] {
  const nums = (s: string) => s.trim().split(/[\s,]+/).map(Number);
  const start = nums(/^M([^LQ]+)/.exec(d)![1]!);
  const controls = [...d.matchAll(/Q\s*([-\d.]+)[\s,]+([-\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
  const last = [...d.matchAll(/L\s*([-\d.]+)[\s,]+([-\d.]+)/g)].at(-1)!;
  return [{ x: start[0]!, y: start[1]! }, ...controls, { x: Number(last[1]), y: Number(last[2]) }];
}

const ends = (sourceX: number, sourceY: number, targetX: number, targetY: number): EdgeEnds => ({ source: 'a', target: 'b', sourceX, sourceY, targetX, targetY });

test('the step path runs through the corners of React Flow\'s smooth step path, its label at React Flow\'s', () => {
  for (const e of [ends(0, 0, 300, 120), ends(0, 120, 300, 0), ends(300, 0, 0, 160), ends(0, 50, 300, 50), ends(200, 40, 210, 300)]) {
    const [d, labelX, labelY] = getSmoothStepPath({ ...e, sourcePosition: Position.Right, targetPosition: Position.Left, borderRadius: 10 });
    const mine = stepPath(e);
    assert.deepEqual(mine.points, corners(d), `${JSON.stringify(e)}: ${d}`);
    assert.deepEqual(mine.label, { x: labelX, y: labelY });
  }
});

test('ELK\'s route while it fits the ends, else the scene route for these ends, else the step path', () => {
  const e = ends(100, 50, 400, 250);
  const elk = new Map([[routeKey('a', 'b'), { points: [{ x: 100, y: 50 }, { x: 200, y: 50 }, { x: 200, y: 250 }, { x: 400, y: 250 }], label: { x: 300, y: 250 } }]]);
  const scene = new Map([
    [routeKey('a', 'b'), { points: [{ x: 100, y: 50 }, { x: 150, y: 50 }, { x: 150, y: 250 }, { x: 400, y: 250 }], label: undefined, anchors: { source: { x: 100, y: 50 }, target: { x: 400, y: 250 } } }],
  ]);
  const a = edgeGeometry(e, elk, scene);
  assert.equal(a.via, 'elk');
  assert.deepEqual(a.label, { x: 300, y: 250 });
  // The target moved 30 px: ELK's route no longer fits, the scene route made for these ends does.
  const moved = ends(100, 50, 430, 250);
  const sceneMoved = new Map([[routeKey('a', 'b'), { ...scene.get(routeKey('a', 'b'))!, anchors: { source: { x: 100, y: 50 }, target: { x: 430, y: 250 } } }]]);
  const b = edgeGeometry(moved, elk, sceneMoved);
  assert.equal(b.via, 'scene');
  assert.deepEqual(b.points.at(-1), { x: 430, y: 250 }, 'the route ends on the handle');
  assert.deepEqual(b.label, { x: 265, y: 150 }, 'no label place: halfway between the ends');
  const c = edgeGeometry(moved, elk, scene);
  assert.equal(c.via, 'step');
  assert.deepEqual(c.points, stepPath(moved).points);
});

test('the arrowhead points the way the edge arrives', () => {
  const down = edgeGeometry(ends(0, 0, 100, 200), new Map([[routeKey('a', 'b'), { points: [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 200 }], label: undefined }]]));
  assert.equal(down.heading, 'south');
  assert.match(edgePathData(down), / M95\.5,193 L100,199 L104\.5,193$/);
  const left = edgeGeometry(ends(300, 0, 0, 160));
  assert.equal(left.heading, 'east', 'a step path enters the left side going right');
  assert.match(edgePathData(left), / M-7,155\.5 L-1,160 L-7,164\.5$/);
});
