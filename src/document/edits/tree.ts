/**
 * Generic minimal edits of the YAML tree: set a value at a path (creating what is missing), remove map
 * keys or list items, append list items, insert map keys. Every function records text edits on the
 * context; none re-renders more than the value it is about.
 *
 * Rules that make the result predictable:
 * - a new key goes after the last existing key that comes before it in the format's order (the end of
 *   the map when the order does not know it); a new list item goes at the end of the list;
 * - an empty flow collection (`{}`, `[]`) in a block context becomes a block collection when it receives
 *   maps or lists; lists of scalars stay flow (`[a, b]`); in a flow context everything stays flow;
 * - removing the last key or item of a collection leaves an empty flow collection (`key: {}`), never a
 *   null, so the parent key and the file's shape stay valid;
 * - a removed block entry takes its own whole lines: the lines it spans, the comment lines inside it and
 *   just below it indented deeper, and its leading comment lines - except when the entry right after it
 *   has no comment of its own and follows with no blank line: then the comment heads a group and stays;
 *   a blank line left doubled by the removal is collapsed.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Path } from '../../schemas/operations.js';
import {
  colonEnd,
  contentEnd,
  extentNext,
  heldValue,
  isNullNode,
  itemStart,
  jsOf,
  leadStart,
  lineContentEnd,
  pairIndex,
  scalarString,
  sharesLine,
  startOf,
  type Collection,
  type Ctx,
  type Holder,
} from './locate.js';
import { arrange, keyOrder } from './order.js';
import {
  afterKey,
  isEmptyCollection,
  isScalarData,
  itemBody,
  itemLines,
  pairLines,
  preferFlow,
  renderFlow,
  renderKey,
  renderScalar,
  type Data,
  type FlowAt,
  type ScalarStyle,
} from './render.js';
import { column, EditError, isBlankLine, lineStart, nextLineStart, previousLineStart } from './text.js';

export type DocPath = (string | number)[];

/** How new collections are written, for the value itself (0 = flow) or its items (1). */
export interface WriteOptions {
  readonly flowAt?: FlowAt;
  /** Pairs of the map that the same operation removes: new keys are not anchored after them. */
  readonly skip?: ReadonlySet<number>;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(top level)';
}

const ENTRY_KIND: Record<string, string> = { nodes: 'node', edges: 'edge', certificates: 'certificate' };

/** A document path in words: `properties.sku of node "apim"`, `metadata.tags`. */
export function describePath(ctx: Ctx, path: DocPath): string {
  const [section, index, ...rest] = path;
  if (typeof section === 'string' && typeof index === 'number' && ENTRY_KIND[section]) {
    const entry = (ctx.root.get(section, true) as YAMLSeq | undefined)?.items?.[index];
    let id: string | undefined;
    if (isMap(entry)) {
      id = scalarString(entry.get('id', true));
      if (id === undefined && section === 'edges') {
        const from = scalarString(entry.get('from', true));
        const to = scalarString(entry.get('to', true));
        if (from !== undefined && to !== undefined) id = `${from}-${to}`;
      }
    }
    const owner = `${ENTRY_KIND[section]} ${id === undefined ? `#${index + 1}` : `"${id}"`}`;
    return rest.length === 0 ? owner : `${formatPath(rest)} of ${owner}`;
  }
  return formatPath(path);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The `type` of nodes[i] / edges[i] as the document has it. */
export function typeLookup(ctx: Ctx): (section: 'nodes' | 'edges', index: number) => string | undefined {
  return (section, index) => {
    const seq = ctx.root.get(section, true);
    if (!isSeq(seq)) return undefined;
    const entry = seq.items[index];
    return isMap(entry) ? scalarString(entry.get('type', true)) : undefined;
  };
}

function arranged(ctx: Ctx, value: Data, path: DocPath): Data {
  return arrange(value, path, typeLookup(ctx));
}

function inFlow(holder: Holder): boolean {
  if (holder.kind === 'root') return false;
  return holder.kind === 'pair' ? Boolean(holder.map.flow) : Boolean(holder.seq.flow);
}

function scalarStyle(node: unknown): ScalarStyle {
  return isScalar(node) ? (node.type as ScalarStyle) : undefined;
}

// ---------------------------------------------------------------- walking

interface Found {
  /** The collection holding the last segment, and where it sits. */
  readonly coll: Collection;
  readonly holder: Holder;
  /** Document path of `coll`. */
  readonly collPath: DocPath;
  /** Index of the last segment in `coll` (pair index or item index), or -1 when absent. */
  readonly index: number;
  /** Path segments below `coll` that do not exist yet (the first of them is the missing key or index). */
  readonly missing: DocPath;
  /** The deepest existing value is null: `missing` is to be built in its place (holder of that value). */
  readonly nullAt?: Holder;
}

function describe(node: unknown): string {
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) return typeof node.value === 'string' ? `the string ${JSON.stringify(node.value)}` : `the value ${String(node.value)}`;
  return 'not a map or a list';
}

/** Walks a document path as far as it exists. Throws EditError where it goes through a scalar. */
function walk(ctx: Ctx, path: DocPath): Found {
  let coll: Collection = ctx.root;
  let holder: Holder = { kind: 'root' };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = path.slice(0, i);
    let index: number;
    let slot: Holder;
    if (isMap(coll)) {
      if (typeof seg !== 'string') throw new EditError(`${describePath(ctx, here)} is a map: [${seg}] is not a key`);
      index = pairIndex(coll, seg);
      if (index < 0) return { coll, holder, collPath: here, index: -1, missing: path.slice(i) };
      slot = { kind: 'pair', map: coll, index };
    } else {
      if (typeof seg !== 'number') throw new EditError(`${describePath(ctx, here)} is a list: "${seg}" is not an index`);
      if (seg > coll.items.length) {
        throw new EditError(`index ${seg} is past the end of ${describePath(ctx, here)} (${coll.items.length} ${coll.items.length === 1 ? 'item' : 'items'})`);
      }
      if (seg === coll.items.length) return { coll, holder, collPath: here, index: -1, missing: path.slice(i) };
      index = seg;
      slot = { kind: 'item', seq: coll, index };
    }
    if (i === path.length - 1) return { coll, holder, collPath: here, index, missing: [] };
    const child = heldValue(ctx, slot);
    if (isNullNode(child)) return { coll, holder, collPath: here, index, missing: path.slice(i + 1), nullAt: slot };
    if (!isCollection(child)) throw new EditError(`${describePath(ctx, path.slice(0, i + 1))} is ${describe(child)}, not a map or a list`);
    coll = child;
    holder = slot;
  }
  return { coll, holder, collPath: [], index: -1, missing: [] };
}

/** The value a missing path builds around `value`: {a: {b: value}}, or [value] for index 0. */
function build(ctx: Ctx, path: DocPath, rest: DocPath, value: Data): Data {
  if (rest.length === 0) return value;
  const [seg, ...more] = rest;
  if (typeof seg === 'number') {
    if (seg !== 0) throw new EditError(`${describePath(ctx, path)}: cannot create a list at index ${seg}; a new list starts at index 0`);
    return [build(ctx, path, more, value)];
  }
  return { [seg!]: build(ctx, path, more, value) };
}

// ---------------------------------------------------------------- set / delete

/** Sets the value at a document path, creating the maps and lists on the way. */
export function setIn(ctx: Ctx, path: DocPath, value: Data, options: WriteOptions = {}): void {
  const found = walk(ctx, path);
  if (found.nullAt) {
    const at = path.slice(0, path.length - found.missing.length);
    replaceValue(ctx, found.nullAt, build(ctx, path, found.missing, value), at, options);
    return;
  }
  if (found.missing.length > 0) {
    const [seg, ...rest] = found.missing;
    const built = build(ctx, path, rest, value);
    if (isMap(found.coll)) insertPairs(ctx, found.coll, found.holder, found.collPath, [[seg as string, built]], options);
    else appendItems(ctx, found.coll, found.holder, found.collPath, [built], options);
    return;
  }
  const slot: Holder = isMap(found.coll)
    ? { kind: 'pair', map: found.coll, index: found.index }
    : { kind: 'item', seq: found.coll as YAMLSeq, index: found.index };
  replaceValue(ctx, slot, value, path, options);
}

/** Removes the key or item at a document path; nothing when it does not exist. */
export function deleteIn(ctx: Ctx, path: DocPath): void {
  const found = walk(ctx, path);
  if (found.missing.length > 0 || found.nullAt) return;
  removeItems(ctx, found.coll, found.holder, [found.index]);
}

/** The JS value at a document path, or undefined. */
export function getIn(ctx: Ctx, path: DocPath): unknown {
  const found = walk(ctx, path);
  if (found.missing.length > 0 || found.nullAt) return undefined;
  const slot: Holder = isMap(found.coll)
    ? { kind: 'pair', map: found.coll, index: found.index }
    : { kind: 'item', seq: found.coll as YAMLSeq, index: found.index };
  return jsOf(ctx, heldValue(ctx, slot));
}

// ---------------------------------------------------------------- replace

/** Text that follows the value on its line: a comment, kept when a scalar becomes a block. */
function trailingComment(ctx: Ctx, end: number): string {
  const rest = ctx.text.slice(end, lineContentEnd(ctx.text, end)).trim();
  return rest.startsWith('#') ? ` ${rest}` : '';
}

/** Where a value goes on the key's own line: after anchors or tags, before a comment. */
function keyLineInsertion(ctx: Ctx, pair: Pair): number {
  const ce = colonEnd(ctx.text, pair);
  const rest = ctx.text.slice(ce, lineContentEnd(ctx.text, ce));
  const hash = rest.search(/(^|\s)#/);
  return ce + (hash >= 0 ? hash : rest.trimEnd().length);
}

/** Replaces the value held by a pair or an item. */
export function replaceValue(ctx: Ctx, slot: Holder, value: Data, path: DocPath, options: WriteOptions = {}): void {
  if (slot.kind === 'root') throw new EditError('cannot replace the whole design');
  const old = heldValue(ctx, slot);
  if (!isNullNode(old) && deepEqual(jsOf(ctx, old), value)) return;
  const v = arranged(ctx, value, path);
  const { text, style, edits } = ctx;
  const flowAt = options.flowAt ?? Infinity;
  if (mergeInto(ctx, old, slot, v, path, flowAt)) return;
  const hasRange = old !== null && typeof old === 'object' && 'range' in old && Boolean((old as { range?: unknown }).range);

  if (inFlow(slot)) {
    const rendered = isScalarData(v) ? renderScalar(v, true, scalarStyle(old)) : renderFlow(v, style);
    if (hasRange) edits.replace(startOf(old), contentEnd(text, old), rendered);
    else if (slot.kind === 'pair') edits.insert(contentEnd(text, slot.map.items[slot.index]!.key), `: ${rendered}`);
    else throw new EditError(`${describePath(ctx, path)}: cannot edit this flow entry`);
    return;
  }

  const oldFlow = isCollection(old) && Boolean(old.flow);
  const oldBlock = isCollection(old) && !old.flow;
  // A flow collection keeps its style, unless it was empty and the new value wants block lines.
  const keepFlow = oldFlow && !isEmptyCollection(jsOf(ctx, old) as Data) ? 0 : flowAt;
  const wantsBlock = !isScalarData(v) && !isEmptyCollection(v) && keepFlow > 0 && !preferFlow(v);

  if (slot.kind === 'pair') {
    const pair = slot.map.items[slot.index]!;
    const keyCol = column(text, startOf(pair.key));
    if (isNullNode(old)) {
      if (wantsBlock) edits.insert(lineContentEnd(text, colonEnd(text, pair)), afterKey(v, keyCol, style, keepFlow));
      else edits.insert(colonEnd(text, pair), afterKey(v, keyCol, style, keepFlow));
      return;
    }
    if (!wantsBlock) {
      const rendered = isScalarData(v) ? renderScalar(v, false, scalarStyle(old)) : renderFlow(v, style);
      if (oldBlock) edits.replace(colonEnd(text, pair), contentEnd(text, old), ` ${rendered}`);
      else edits.replace(startOf(old), contentEnd(text, old), rendered);
      return;
    }
    if (oldBlock) {
      // Block to block: keep the key line (and its comment) and the children's column when the kind stays.
      const coll = old as Collection;
      const sameKind = Array.isArray(v) === isSeq(coll);
      const childCol = sameKind && coll.items.length > 0 ? column(text, itemStart(coll, 0)) : undefined;
      edits.replace(lineContentEnd(text, colonEnd(text, pair)), contentEnd(text, old), afterKey(v, keyCol, style, keepFlow, childCol));
      return;
    }
    // A scalar or an empty flow collection becomes block lines; a comment after it stays on the key line.
    const end = contentEnd(text, old);
    const comment = trailingComment(ctx, end);
    const stop = comment ? lineContentEnd(text, end) : end;
    edits.replace(colonEnd(text, pair), stop, `${comment}${afterKey(v, keyCol, style, keepFlow)}`);
    return;
  }

  // A sequence item.
  const dash = itemStart(slot.seq, slot.index);
  const dashCol = column(text, dash);
  if (!hasRange) throw new EditError(`${describePath(ctx, path)}: cannot edit this list item`);
  const start = startOf(old);
  // A new body goes where the old one started (`- id: a`, `-   id: a`, or on the next line).
  const bodyCol = isNullNode(old) ? dashCol + 2 : column(text, start);
  const body = itemBody(v, bodyCol, style, wantsBlock ? keepFlow : 0).join('\n');
  if (isNullNode(old)) {
    const pos = dash + 1;
    edits.insert(pos, ` ${body}`);
    return;
  }
  edits.replace(start, contentEnd(text, old), body);
}

/**
 * A map replaced by a map that shares keys with it, or a list by a non-empty list, is edited in place:
 * changed keys and items are replaced (recursively), missing ones added, extra ones removed. The keys,
 * items and comments that do not change stay as they are.
 */
function mergeInto(ctx: Ctx, old: unknown, slot: Holder, v: Data, path: DocPath, flowAt: FlowAt): boolean {
  if (isMap(old) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = old.items.map((p) => (isScalar(p.key) && typeof p.key.value === 'string' ? p.key.value : undefined));
    if (keys.some((k) => k === undefined) || !keys.some((k) => Object.hasOwn(v, k!))) return false;
    const remove: number[] = [];
    keys.forEach((k, i) => {
      if (!Object.hasOwn(v, k!)) remove.push(i);
      else replaceValue(ctx, { kind: 'pair', map: old, index: i }, v[k!]!, [...path, k!], { flowAt: flowAt - 1 });
    });
    const present = new Set(keys);
    const add = Object.entries(v).filter(([k]) => !present.has(k));
    removeItems(ctx, old, slot, remove);
    insertPairs(ctx, old, slot, path, add, { flowAt: flowAt - 1, skip: new Set(remove) });
    return true;
  }
  if (isSeq(old) && old.items.length > 0 && Array.isArray(v) && v.length > 0) {
    const common = Math.min(old.items.length, v.length);
    for (let i = 0; i < common; i++) replaceValue(ctx, { kind: 'item', seq: old, index: i }, v[i]!, [...path, i], { flowAt: flowAt - 1 });
    if (v.length > old.items.length) appendItems(ctx, old, slot, path, v.slice(common), { flowAt: flowAt - 1 });
    else removeItems(ctx, old, slot, Array.from({ length: old.items.length - common }, (_, k) => common + k));
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- insert

/**
 * Where a new key goes: after this existing pair (its index), by the format's order, else at the end.
 * Pairs in `skip` (being removed by the same operation) are never the anchor.
 */
function insertAfter(map: YAMLMap, key: string, order: readonly string[] | undefined, skip: ReadonlySet<number>): number {
  let last = -1;
  for (let i = map.items.length - 1; i >= 0 && last < 0; i--) if (!skip.has(i)) last = i;
  if (last < 0) last = map.items.length - 1;
  const rank = order ? order.indexOf(key) : -1;
  if (!order || rank < 0) return last;
  let after = -1;
  map.items.forEach((p, i) => {
    const k = scalarString(p.key);
    const r = k === undefined ? -1 : order.indexOf(k);
    if (r >= 0 && r < rank && !skip.has(i)) after = i;
  });
  return after < 0 ? last : after;
}

/** Adds keys to a map (none of them present). */
export function insertPairs(ctx: Ctx, map: YAMLMap, holder: Holder, mapPath: DocPath, entries: [string, Data][], options: WriteOptions = {}): void {
  if (entries.length === 0) return;
  const { text, style, edits } = ctx;
  const flowAt = options.flowAt ?? Infinity;
  const values = entries.map(([k, v]) => [k, arranged(ctx, v, [...mapPath, k])] as [string, Data]);

  if (map.items.length === 0) {
    // Only a flow map can be empty: `{}`.
    const obj = Object.fromEntries(values);
    if (holder.kind === 'root') edits.replace(startOf(map), contentEnd(text, map), renderFlow(obj, style));
    else replaceValue(ctx, holder, obj, mapPath, { flowAt: flowAt + 1 });
    return;
  }

  const order = keyOrder(mapPath, typeLookup(ctx));
  const rank = (key: string) => {
    const r = order ? order.indexOf(key) : -1;
    return r < 0 ? Infinity : r;
  };
  // Keys that land at the same place go in the format's order (unknown ones last, as given).
  values.sort((a, b) => (rank(a[0]) === rank(b[0]) ? 0 : rank(a[0]) < rank(b[0]) ? -1 : 1));
  const groups = new Map<number, [string, Data][]>();
  for (const entry of values) {
    const after = insertAfter(map, entry[0], order, options.skip ?? new Set());
    groups.set(after, [...(groups.get(after) ?? []), entry]);
  }

  if (map.flow) {
    for (const [after, group] of groups) {
      const fragment = group.map(([k, v]) => `, ${renderKey(k, true)}: ${renderFlow(v, style)}`).join('');
      edits.insert(contentEnd(text, map.items[after]), fragment);
    }
    return;
  }

  const keyCol = column(text, itemStart(map, 0));
  for (const [after, group] of groups) {
    const offset = extentNext(text, map, after);
    const lines = group.flatMap(([k, v]) => {
      const block = pairLines(k, v, keyCol, style, flowAt);
      // Top-level sections are separated by a blank line when the file does so.
      return holder.kind === 'root' && style.separated ? ['', ...block] : block;
    });
    if (offset >= text.length) edits.needFinalNewline();
    edits.insert(offset, `${lines.join('\n')}\n`);
  }
}

/** Appends items to a list. */
export function appendItems(ctx: Ctx, seq: YAMLSeq, holder: Holder, seqPath: DocPath, values: Data[], options: WriteOptions = {}): void {
  if (values.length === 0) return;
  const { text, style, edits } = ctx;
  const n = seq.items.length;
  const items = values.map((v, i) => arranged(ctx, v, [...seqPath, n + i]));

  if (n === 0) {
    // Only a flow list can be empty: `[]`.
    if (holder.kind === 'root') edits.replace(startOf(seq), contentEnd(text, seq), renderFlow(items, style));
    else replaceValue(ctx, holder, items, seqPath, { flowAt: (options.flowAt ?? Infinity) + 1 });
    return;
  }
  if (seq.flow) {
    const fragment = items.map((v) => `, ${renderFlow(v, style)}`).join('');
    edits.insert(contentEnd(text, seq.items[n - 1]), fragment);
    return;
  }
  const last = seq.items[n - 1];
  const lastFlow = isCollection(last) && Boolean(last.flow);
  const dashCol = column(text, itemStart(seq, 0));
  const offset = extentNext(text, seq, n - 1);
  const lines = items.flatMap((v) => itemLines(v, dashCol, style, options.flowAt ?? (lastFlow ? 0 : Infinity)));
  if (offset >= text.length) edits.needFinalNewline();
  edits.insert(offset, `${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------- remove

/** Removes keys (by pair index) or items (by index) from a collection. */
export function removeItems(ctx: Ctx, coll: Collection, holder: Holder, indices: readonly number[]): void {
  const n = coll.items.length;
  const set = new Set(indices.filter((i) => i >= 0 && i < n));
  if (set.size === 0) return;
  if (set.size === n) {
    emptyCollection(ctx, coll, holder);
    return;
  }
  const { text, edits } = ctx;
  const sorted = [...set].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const i of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[1] === i - 1) run[1] = i;
    else runs.push([i, i]);
  }
  for (const [i, j] of runs) {
    if (coll.flow) {
      if (j + 1 < n) edits.delete(itemStart(coll, i), itemStart(coll, j + 1));
      else edits.delete(contentEnd(text, coll.items[i - 1]), contentEnd(text, coll.items[j]));
      continue;
    }
    if (i === 0 && sharesLine(text, coll, 0)) {
      // `- id: a` losing its first key: the next key moves up onto the dash line.
      edits.delete(itemStart(coll, 0), itemStart(coll, j + 1));
      continue;
    }
    const end = extentNext(text, coll, j);
    let keepLead = false;
    if (j + 1 < n) {
      const nextLine = lineStart(text, itemStart(coll, j + 1));
      keepLead = end === nextLine && leadStart(text, coll, j + 1) === nextLine;
    }
    const start = keepLead ? lineStart(text, itemStart(coll, i)) : leadStart(text, coll, i);
    let stop = end;
    const above = previousLineStart(text, start);
    if (above >= 0 && isBlankLine(text, above) && stop < text.length && isBlankLine(text, stop)) stop = nextLineStart(text, stop);
    edits.delete(start, stop);
  }
}

/** Removes every entry of a collection, leaving `{}` or `[]`. */
function emptyCollection(ctx: Ctx, coll: Collection, holder: Holder): void {
  const { text, edits } = ctx;
  const empty = isMap(coll) ? '{}' : '[]';
  if (coll.flow || holder.kind === 'item') {
    edits.replace(startOf(coll), contentEnd(text, coll), empty);
    return;
  }
  if (holder.kind === 'root') throw new EditError('cannot remove every key of the design');
  const pair = holder.map.items[holder.index]!;
  const keyLine = lineStart(text, colonEnd(text, pair));
  if (lineStart(text, itemStart(coll, 0)) === keyLine) {
    edits.replace(itemStart(coll, 0), contentEnd(text, coll), empty);
    return;
  }
  const last = coll.items.length - 1;
  edits.insert(keyLineInsertion(ctx, pair), ` ${empty}`);
  edits.delete(nextLineStart(text, keyLine), extentNext(text, coll, last));
}
