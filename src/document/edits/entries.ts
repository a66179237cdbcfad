/**
 * The design's entries in the YAML tree: nodes, edges and certificates by id, the top-level sections,
 * and the scalar replacements that renames make. Lookups are linear scans: one per operation.
 */
import { isCollection, isMap, isScalar, isSeq, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { EditTarget } from '../../schemas/operations.js';
import { contentEnd, pairIndex, scalarString, startOf, type Ctx, type Holder } from './locate.js';
import { renderKey, renderScalar, type Data, type ScalarStyle } from './render.js';
import { appendItems, insertPairs, replaceValue, type DocPath } from './tree.js';
import { EditError } from './text.js';

export type Section = 'certificates' | 'nodes' | 'edges';

/** A top-level list, when it is one. */
export function sectionSeq(ctx: Ctx, key: Section): YAMLSeq | undefined {
  const value = ctx.root.get(key, true);
  return isSeq(value) ? value : undefined;
}

export function sectionHolder(ctx: Ctx, key: string): Holder {
  return { kind: 'pair', map: ctx.root, index: pairIndex(ctx.root, key) };
}

function entryMap(seq: YAMLSeq | undefined, i: number): YAMLMap | undefined {
  const item = seq?.items[i];
  return isMap(item) ? item : undefined;
}

/** The explicit id of an edge, or "<from>-<to>" (see edgeId in the design schema). */
export function edgeIdOfMap(map: YAMLMap): string | undefined {
  const explicit = scalarString(map.get('id', true));
  if (explicit !== undefined) return explicit;
  const from = scalarString(map.get('from', true));
  const to = scalarString(map.get('to', true));
  return from !== undefined && to !== undefined ? `${from}-${to}` : undefined;
}

/** Index of the first entry of a section whose id is `id`, or -1. */
export function findEntry(ctx: Ctx, key: Section, id: string): number {
  const seq = sectionSeq(ctx, key);
  if (!seq) return -1;
  return seq.items.findIndex((item) => isMap(item) && (key === 'edges' ? edgeIdOfMap(item) : scalarString(item.get('id', true))) === id);
}

export function entryAt(ctx: Ctx, key: Section, index: number): YAMLMap | undefined {
  return entryMap(sectionSeq(ctx, key), index);
}

const KIND_NAME: Record<Section, string> = { nodes: 'node', edges: 'edge', certificates: 'certificate' };

/** The entry's index, or an EditError naming what is missing. */
export function requireEntry(ctx: Ctx, key: Section, id: string): number {
  const i = findEntry(ctx, key, id);
  if (i < 0) throw new EditError(`${KIND_NAME[key]} "${id}" does not exist`);
  return i;
}

/** The ids in a section (edges: their effective ids). */
export function entryIds(ctx: Ctx, key: Section): Set<string> {
  const ids = new Set<string>();
  for (const item of sectionSeq(ctx, key)?.items ?? []) {
    if (!isMap(item)) continue;
    const id = key === 'edges' ? edgeIdOfMap(item) : scalarString(item.get('id', true));
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

/** The document path of what a property edit is about. */
export function targetPath(ctx: Ctx, target: EditTarget): DocPath {
  switch (target.kind) {
    case 'document':
      return [];
    case 'metadata':
      return ['metadata'];
    case 'node':
      return ['nodes', requireEntry(ctx, 'nodes', target.id)];
    case 'edge':
      return ['edges', requireEntry(ctx, 'edges', target.id)];
    case 'certificate':
      return ['certificates', requireEntry(ctx, 'certificates', target.id)];
  }
}

/** True when most items of a block list are flow collections (`- { from: a, to: b }`); `empty` otherwise. */
export function mostlyFlow(seq: YAMLSeq | undefined, empty: boolean): boolean {
  if (!seq || seq.items.length === 0) return empty;
  let flow = 0;
  for (const item of seq.items) if (isCollection(item) && item.flow) flow++;
  return flow * 2 > seq.items.length;
}

/** Appends entries to a top-level list, creating it (or filling `[]`) when needed. */
export function appendToSection(ctx: Ctx, key: Section, values: Data[], flowItems: boolean): void {
  const flowAt = flowItems ? 0 : Infinity;
  const index = pairIndex(ctx.root, key);
  if (index < 0) {
    insertPairs(ctx, ctx.root, { kind: 'root' }, [], [[key, values]], { flowAt: flowAt + 1 });
    return;
  }
  const value = ctx.root.items[index]!.value;
  const holder: Holder = { kind: 'pair', map: ctx.root, index };
  if (value === null || (isScalar(value) && value.value === null)) {
    replaceValue(ctx, holder, values, [key], { flowAt: flowAt + 1 });
    return;
  }
  if (!isSeq(value)) throw new EditError(`"${key}" is not a list; fix it in the text first`);
  appendItems(ctx, value, holder, [key], values, { flowAt });
}

/** Replaces a scalar's text by another string, in the same quoting style where that is possible. */
export function replaceScalar(ctx: Ctx, node: unknown, value: string, inFlow: boolean, isKey = false): void {
  if (!isScalar(node)) return;
  const style = (node as Scalar).type as ScalarStyle;
  const text = isKey ? renderKey(value, inFlow, style) : renderScalar(value, inFlow, style);
  ctx.edits.replace(startOf(node), contentEnd(ctx.text, node), text);
}

/** Replaces the value at `key` of a map when it is the string `from`. */
export function renameRef(ctx: Ctx, map: unknown, key: string, from: string, to: string): void {
  if (!isMap(map)) return;
  const node = map.get(key, true);
  if (scalarString(node) === from) replaceScalar(ctx, node, to, Boolean(map.flow));
}
