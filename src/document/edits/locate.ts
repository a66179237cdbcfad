/**
 * Finding where to edit: the parsed YAML Document (with its CST tokens) gives every node's source range;
 * these helpers turn ranges into the start, the content end and the whole-line extent of an entry, with
 * the comment lines that belong to it.
 *
 * Comment ownership (what a removed entry takes along):
 * - comment lines inside the entry, and the comment lines right below it that are indented deeper than
 *   the entry (no blank line between), belong to it;
 * - the comment lines right above it (no blank line between, indented at least as far as the entry) are
 *   its leading comments, unless the previous entry claims them as its trailing comments.
 */
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  visit,
  type Document,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { readYaml } from '../read-yaml.js';
import type { CST } from 'yaml';
import { duplicateKey } from '../duplicate-keys.js';
import { DEFAULT_STYLE, type Style } from './render.js';
import { column, EditError, EditSet, isBlankLine, lineEnd, lineKind, lineStart, nextLineStart, previousLineStart } from './text.js';

export type Collection = YAMLMap | YAMLSeq;

/** Where a collection (or a value) sits: the document root, the value of a map pair, or a sequence item. */
export type Holder =
  | { readonly kind: 'root' }
  | { readonly kind: 'pair'; readonly map: YAMLMap; readonly index: number }
  | { readonly kind: 'item'; readonly seq: YAMLSeq; readonly index: number };

/** One operation's view of the text: parsed once, edits collected against it. */
export interface Ctx {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly root: YAMLMap;
  readonly style: Style;
  readonly edits: EditSet;
}

/**
 * Parses the text for editing (or takes the parse of it read lately: read-yaml.ts). Throws EditError when it is not
 * a YAML mapping without errors.
 */
export function openDocument(text: string): Ctx {
  const read = readYaml(text);
  if (read.deep) throw new EditError(`the file is not valid YAML: ${read.deep.message}; fix it in the text first`);
  const doc = read.doc;
  const error = doc.errors[0];
  // uniqueKeys is checked here in linear time: the yaml package's own check is quadratic in a map's size.
  const problem = error ? { offset: error.pos[0], message: error.message.split('\n')[0] ?? error.message } : duplicateKey(doc);
  if (problem) {
    const { line, col } = linePosition(text, problem.offset);
    throw new EditError(`the file is not valid YAML (line ${line}, column ${col}): ${problem.message}; fix it in the text first`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw new EditError('the file does not hold a design: its top level is not a YAML mapping');
  return { text, doc, root, style: styleOf(doc, text, root), edits: new EditSet(text) };
}

/** The 1-based line and column of an offset, as the yaml package's LineCounter counts them. */
function linePosition(text: string, offset: number): { line: number; col: number } {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc.linePos(offset);
}

/** The style of each parsed Document (shared between edits: read-yaml.ts), learned once. */
const styles = new WeakMap<Document, Style>();

function styleOf(doc: Document.Parsed, text: string, root: YAMLMap): Style {
  let style = styles.get(doc);
  if (!style) {
    style = detectStyle(text, root);
    styles.set(doc, style);
  }
  return style;
}

// ---------------------------------------------------------------- ranges

function rangeOf(node: unknown): [number, number, number] | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: [number, number, number] | null }).range;
    return r ?? undefined;
  }
  return undefined;
}

/** The offset where a node starts; throws for nodes without a source range (created, not parsed). */
export function startOf(node: unknown): number {
  const r = rangeOf(node);
  if (!r) throw new Error('node without source range');
  return r[0];
}

/** The offset just after the last character of a value (before trailing spaces, comments and line breaks). */
export function contentEnd(text: string, node: unknown): number {
  if (isPair(node)) {
    if (node.value !== null && node.value !== undefined && rangeOf(node.value)) return contentEnd(text, node.value);
    return keyEnd(node);
  }
  if (isCollection(node)) {
    const r = rangeOf(node)!;
    if (node.flow) return r[1];
    const last = node.items[node.items.length - 1];
    return last === undefined ? r[0] : contentEnd(text, last);
  }
  const r = rangeOf(node);
  if (!r) throw new Error('node without source range');
  let e = r[1];
  while (e > r[0] && /\s/.test(text[e - 1]!)) e--;
  return e;
}

function keyEnd(pair: Pair): number {
  const r = rangeOf(pair.key);
  if (!r) throw new Error('pair without key range');
  return r[1];
}

/** The offset just after the `:` of a pair. */
export function colonEnd(text: string, pair: Pair): number {
  let i = contentEnd(text, pair.key);
  while (i < text.length && text[i] !== ':') i++;
  return Math.min(i + 1, text.length);
}

/** The offset where item `i` of a collection starts: its dash in a block sequence, its key in a map. */
export function itemStart(coll: Collection, i: number): number {
  const item = coll.items[i];
  if (isSeq(coll) && !coll.flow) {
    const token = coll.srcToken as CST.BlockSequence | undefined;
    const ind = token?.items[i]?.start.find((t) => t.type === 'seq-item-ind');
    if (ind) return ind.offset;
  }
  if (isMap(coll) && !coll.flow) {
    const token = coll.srcToken as CST.BlockMap | undefined;
    const ind = token?.items[i]?.start.find((t) => t.type === 'explicit-key-ind');
    if (ind) return ind.offset;
  }
  return isPair(item) ? startOf(item.key) : startOf(item);
}

export function itemContentEnd(text: string, coll: Collection, i: number): number {
  return contentEnd(text, coll.items[i]);
}

/** True when something other than indentation comes before item `i` on its first line (`- id: a`). */
export function sharesLine(text: string, coll: Collection, i: number): boolean {
  const s = itemStart(coll, i);
  const ls = lineStart(text, s);
  return text.slice(ls, s).trim() !== '';
}

/**
 * The start of the line after the whole-line extent of a block item: its last content line, then the
 * comment lines right below indented deeper than the item.
 */
export function extentNext(text: string, coll: Collection, i: number): number {
  const col = column(text, itemStart(coll, i));
  let next = nextLineStart(text, itemContentEnd(text, coll, i));
  while (next < text.length) {
    const k = lineKind(text, next);
    if (k.kind !== 'comment' || k.indent <= col) break;
    next = nextLineStart(text, next);
  }
  return next;
}

/** The start of the first leading comment line of block item `i`, or of its own first line. */
export function leadStart(text: string, coll: Collection, i: number): number {
  const start = itemStart(coll, i);
  const col = column(text, start);
  const own = lineStart(text, start);
  if (sharesLine(text, coll, i)) return start;
  const floor = i > 0 ? extentNext(text, coll, i - 1) : 0;
  let s = own;
  for (;;) {
    const p = previousLineStart(text, s);
    if (p < 0 || p < floor) break;
    const k = lineKind(text, p);
    if (k.kind !== 'comment' || k.indent < col) break;
    s = p;
  }
  return s;
}


// ---------------------------------------------------------------- style

/** How the file is written, so that new fragments look like their neighbours. */
function detectStyle(text: string, root: YAMLMap): Style {
  let indent: number | undefined;
  let seqIndent: number | undefined;
  let indentSeq: boolean | undefined;
  let mapPadding: boolean | undefined;
  let seqPadding: boolean | undefined;

  const learnFrom = (map: YAMLMap) => {
    for (const pair of map.items) {
      const value = pair.value;
      if (!isCollection(value) || value.flow || value.items.length === 0 || !rangeOf(pair.key)) continue;
      const keyCol = column(text, startOf(pair.key));
      const childCol = column(text, itemStart(value, 0));
      if (sharesLineWithKey(pair, value)) continue;
      if (isMap(value) && indent === undefined && childCol > keyCol) indent = childCol - keyCol;
      if (isSeq(value) && indentSeq === undefined) {
        indentSeq = childCol > keyCol;
        if (indentSeq) seqIndent = childCol - keyCol;
      }
    }
  };
  const sharesLineWithKey = (pair: Pair, value: Collection) => lineStart(text, startOf(pair.key)) === lineStart(text, itemStart(value, 0));

  // Only a flow collection on one line tells whether the file pads them.
  const padded = (coll: Collection): boolean | undefined => {
    const start = startOf(coll);
    if (lineStart(text, start) !== lineStart(text, contentEnd(text, coll))) return undefined;
    return text[start + 1] === ' ';
  };

  learnFrom(root);
  let seen = 0;
  visit(root, {
    Map(_, map) {
      if (++seen > 5000) return visit.BREAK;
      if (map.flow && map.items.length > 0 && mapPadding === undefined) mapPadding = padded(map);
      if (!map.flow && indent === undefined) learnFrom(map);
      return done() ? visit.BREAK : undefined;
    },
    Seq(_, seq) {
      if (++seen > 5000) return visit.BREAK;
      if (seq.flow && seq.items.length > 0 && seqPadding === undefined) seqPadding = padded(seq);
      return done() ? visit.BREAK : undefined;
    },
  });
  function done() {
    return indent !== undefined && indentSeq !== undefined && mapPadding !== undefined && seqPadding !== undefined;
  }

  let separated = false;
  for (let i = 1; i < root.items.length && !separated; i++) {
    if (!rangeOf(root.items[i]!.key)) continue;
    const above = previousLineStart(text, leadStart(text, root, i));
    if (above >= 0 && isBlankLine(text, above)) separated = true;
  }
  const step = indent ?? seqIndent ?? DEFAULT_STYLE.indent;
  return {
    indent: step,
    indentSeq: indentSeq ?? DEFAULT_STYLE.indentSeq,
    mapPadding: mapPadding ?? DEFAULT_STYLE.mapPadding,
    seqPadding: seqPadding ?? DEFAULT_STYLE.seqPadding,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    separated,
  };
}

// ---------------------------------------------------------------- values

export function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The JS value of a node. */
export function jsOf(ctx: Ctx, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node) || isCollection(node) || isAlias(node)) return (node as YamlNode).toJS(ctx.doc);
  return node;
}

/** The value held by a holder. */
export function heldValue(ctx: Ctx, holder: Holder): unknown {
  if (holder.kind === 'root') return ctx.root;
  if (holder.kind === 'pair') return holder.map.items[holder.index]?.value ?? null;
  return holder.seq.items[holder.index] ?? null;
}

/** Index of the pair with that key in a map, or -1. */
export function pairIndex(map: YAMLMap, key: string): number {
  return map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
}

export function scalarString(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

/** The end of the line holding `offset` (before '\r\n' or '\n'). */
export function lineContentEnd(text: string, offset: number): number {
  const e = lineEnd(text, offset);
  return e > 0 && text[e - 1] === '\r' ? e - 1 : e;
}
