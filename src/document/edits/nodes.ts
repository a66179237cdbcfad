/**
 * Node operations: add, delete (with its edges and layout entry), rename (with every reference).
 */
import { isMap } from 'yaml';
import { NODE_ID_PATTERN } from '../../schemas/design.js';
import { pairIndex, scalarString, type Ctx } from './locate.js';
import {
  appendToSection,
  entryAt,
  findEntry,
  mostlyFlow,
  renameRef,
  replaceScalar,
  requireEntry,
  sectionHolder,
  sectionSeq,
} from './entries.js';
import { setPositions } from './layout.js';
import { toData, type Data } from './render.js';
import { EditError } from './text.js';
import { removeItems } from './tree.js';

export function checkNodeId(id: unknown): string {
  if (typeof id !== 'string' || !NODE_ID_PATTERN.test(id)) {
    throw new EditError(
      `${JSON.stringify(id)} is not a valid node id: it must start with a lower-case letter and hold only lower-case letters, digits and hyphens (at most 40 characters)`,
    );
  }
  return id;
}

/** Appends a node to `nodes` (block style unless the list is mostly flow), and its position to `layout`. */
export function addNode(ctx: Ctx, node: Record<string, unknown>, position?: { x: number; y: number }): void {
  const data = toData(node, 'node') as { [key: string]: Data };
  const id = checkNodeId(data.id);
  if (findEntry(ctx, 'nodes', id) >= 0) throw new EditError(`a node with id "${id}" already exists`);
  appendToSection(ctx, 'nodes', [data], mostlyFlow(sectionSeq(ctx, 'nodes'), false));
  if (position) setPositions(ctx, [[id, position]], false);
}

/**
 * Removes a node, every edge from or to it and its layout entry. Other references (a certificate's
 * keyVault, a privateLink identity) stay: the validator reports them.
 */
export function deleteNode(ctx: Ctx, id: string): void {
  const index = requireEntry(ctx, 'nodes', id);
  removeItems(ctx, sectionSeq(ctx, 'nodes')!, sectionHolder(ctx, 'nodes'), [index]);

  const edges = sectionSeq(ctx, 'edges');
  if (edges) {
    const touching: number[] = [];
    edges.items.forEach((item, i) => {
      if (isMap(item) && (scalarString(item.get('from', true)) === id || scalarString(item.get('to', true)) === id)) touching.push(i);
    });
    removeItems(ctx, edges, sectionHolder(ctx, 'edges'), touching);
  }

  const layout = ctx.root.get('layout', true);
  if (isMap(layout)) {
    const i = pairIndex(layout, id);
    if (i >= 0) removeItems(ctx, layout, sectionHolder(ctx, 'layout'), [i]);
  }
}

/**
 * Renames a node and every reference to it: edges' `from` / `to`, privateLink `identity`, certificates'
 * `keyVault`, its `layout` key (a stale layout entry already named `newId` is dropped).
 */
export function renameNode(ctx: Ctx, id: string, newId: string): void {
  checkNodeId(newId);
  const index = requireEntry(ctx, 'nodes', id);
  if (newId === id) return;
  if (findEntry(ctx, 'nodes', newId) >= 0) throw new EditError(`cannot rename "${id}" to "${newId}": a node with id "${newId}" already exists`);

  const node = entryAt(ctx, 'nodes', index)!;
  replaceScalar(ctx, node.get('id', true), newId, Boolean(node.flow));

  for (const edge of sectionSeq(ctx, 'edges')?.items ?? []) {
    if (!isMap(edge)) continue;
    renameRef(ctx, edge, 'from', id, newId);
    renameRef(ctx, edge, 'to', id, newId);
    renameRef(ctx, edge.get('properties', true), 'identity', id, newId);
  }
  for (const cert of sectionSeq(ctx, 'certificates')?.items ?? []) renameRef(ctx, cert, 'keyVault', id, newId);

  const layout = ctx.root.get('layout', true);
  if (isMap(layout)) {
    const own = pairIndex(layout, id);
    if (own >= 0) {
      const stale = pairIndex(layout, newId);
      if (stale >= 0) removeItems(ctx, layout, sectionHolder(ctx, 'layout'), [stale]);
      replaceScalar(ctx, layout.items[own]!.key, newId, Boolean(layout.flow), true);
    }
  }
}
