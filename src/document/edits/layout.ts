/**
 * Canvas positions: `layout.<id>: { x, y }`, rounded to integers. An existing position keeps its style
 * and only its changed numbers are rewritten; a new one follows the style of the other entries (flow
 * `{ x: 0, y: 0 }` by default); a missing `layout` is added at the end of the document.
 */
import { isMap, isScalar, type YAMLMap } from 'yaml';
import { contentEnd, pairIndex, startOf, type Ctx, type Holder } from './locate.js';
import { entryIds } from './entries.js';
import { renderScalar, type Data } from './render.js';
import { EditError } from './text.js';
import { insertPairs, replaceValue } from './tree.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

function rounded(id: string, p: Point): { x: number; y: number } {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new EditError(`position of "${id}" must be finite numbers, got ${p.x}, ${p.y}`);
  // `+ 0` turns -0 into 0.
  return { x: Math.round(p.x) + 0, y: Math.round(p.y) + 0 };
}

/** True when layout entries are written flow (the last one decides; flow when there is none). */
function flowEntries(layout: YAMLMap): boolean {
  const last = layout.items[layout.items.length - 1];
  return !last || !isMap(last.value) || Boolean(last.value.flow);
}

/** Sets positions; with `checkNodes`, every id must be a node. */
export function setPositions(ctx: Ctx, positions: readonly (readonly [string, Point])[], checkNodes: boolean): void {
  if (positions.length === 0) return;
  if (checkNodes) {
    const ids = entryIds(ctx, 'nodes');
    const unknown = positions.filter(([id]) => !ids.has(id)).map(([id]) => `"${id}"`);
    if (unknown.length > 0) throw new EditError(`cannot place ${unknown.join(', ')}: no such node`);
  }
  const points = positions.map(([id, p]) => [id, rounded(id, p)] as const);

  const index = pairIndex(ctx.root, 'layout');
  if (index < 0) {
    const all = Object.fromEntries(points);
    insertPairs(ctx, ctx.root, { kind: 'root' }, [], [['layout', all]], { flowAt: 1 });
    return;
  }
  const holder: Holder = { kind: 'pair', map: ctx.root, index };
  const layout = ctx.root.items[index]!.value;
  if (layout === null || (isScalar(layout) && layout.value === null)) {
    replaceValue(ctx, holder, Object.fromEntries(points), ['layout'], { flowAt: 1 });
    return;
  }
  if (!isMap(layout)) throw new EditError('"layout" is not a map; fix it in the text first');

  const byKey = new Map<string, number>();
  layout.items.forEach((p, i) => {
    if (isScalar(p.key)) byKey.set(String(p.key.value), i);
  });
  const flow = flowEntries(layout);
  const missing: [string, Data][] = [];
  for (const [id, point] of points) {
    const i = byKey.get(id);
    if (i === undefined) {
      missing.push([id, point]);
      continue;
    }
    const value = layout.items[i]!.value;
    const x = isMap(value) ? value.get('x', true) : undefined;
    const y = isMap(value) ? value.get('y', true) : undefined;
    if (isMap(value) && value.items.length === 2 && isScalar(x) && isScalar(y)) {
      // Rewrite only the numbers that changed, keeping the entry as it is written.
      for (const [node, n] of [[x, point.x], [y, point.y]] as const) {
        if (node.value !== n) ctx.edits.replace(startOf(node), contentEnd(ctx.text, node), renderScalar(n, Boolean(value.flow)));
      }
      continue;
    }
    replaceValue(ctx, { kind: 'pair', map: layout, index: i }, point, ['layout', id], { flowAt: flow ? 0 : Infinity });
  }
  insertPairs(ctx, layout, holder, ['layout'], missing, { flowAt: flow ? 0 : Infinity });
}
