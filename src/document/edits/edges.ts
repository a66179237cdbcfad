/**
 * Edge operations. An edge's id is its own `id`, or "<from>-<to>" when it has none (edgeId in the design
 * schema); when several edges share an id, the first in the file is the one edited.
 */
import { type Ctx } from './locate.js';
import { appendToSection, entryIds, mostlyFlow, requireEntry, sectionHolder, sectionSeq } from './entries.js';
import { toData, type Data } from './render.js';
import { EditError } from './text.js';
import { removeItems } from './tree.js';

/**
 * Appends an edge: flow style (`- { from: a, to: b, type: https }`) when most existing edges are written
 * so, or when there is none yet; block style otherwise. Both ends must be nodes, and the new edge's id
 * (explicit or derived) must not be taken: give it an explicit `id` to add a second edge between the same
 * two nodes.
 */
export function connect(ctx: Ctx, edge: Record<string, unknown>): void {
  const data = toData(edge, 'edge') as { [key: string]: Data };
  const { from, to } = data;
  if (typeof from !== 'string' || typeof to !== 'string') throw new EditError('an edge needs "from" and "to" node ids');
  if (data.id !== undefined && (typeof data.id !== 'string' || data.id === '')) throw new EditError('an edge "id" must be a non-empty string');
  const nodes = entryIds(ctx, 'nodes');
  for (const end of [from, to]) if (!nodes.has(end)) throw new EditError(`cannot connect: node "${end}" does not exist`);
  const id = typeof data.id === 'string' ? data.id : `${from}-${to}`;
  if (entryIds(ctx, 'edges').has(id)) {
    throw new EditError(
      typeof data.id === 'string'
        ? `an edge with id "${id}" already exists`
        : `an edge with id "${id}" already exists; give the new ${String(data.type)} edge an explicit "id"`,
    );
  }
  appendToSection(ctx, 'edges', [data], mostlyFlow(sectionSeq(ctx, 'edges'), true));
}

/** Removes the edge with that id (explicit, or derived "<from>-<to>"). */
export function disconnect(ctx: Ctx, id: string): void {
  const index = requireEntry(ctx, 'edges', id);
  removeItems(ctx, sectionSeq(ctx, 'edges')!, sectionHolder(ctx, 'edges'), [index]);
}
