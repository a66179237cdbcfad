/**
 * Renders the new fragments an edit inserts, in the style of the document around them.
 * Scalars go through the `yaml` package's stringify; a string value stays plain only when both a YAML 1.2
 * and a YAML 1.1 reader read it back as the same string (so "1.2", "on", "yes", "2035-12-31" are quoted),
 * and is double-quoted otherwise. Keys only need to read back under YAML 1.2: the format itself writes
 * `y:` plain in positions, so a new `y` key looks like its neighbours. Collections are laid out here (block or flow, one line) so that the indentation
 * step, the sequence indentation and the flow padding follow the surrounding file.
 */
import { parseDocument, stringify, isMap, isScalar, isSeq } from 'yaml';
import { EditError, spaces } from './text.js';

/** Plain data: what a YAML design holds. */
export type Data = string | number | boolean | null | Data[] | { [key: string]: Data };

export interface Style {
  /** Indentation step of nested block collections. */
  readonly indent: number;
  /** Block sequences under a key are indented by `indent` (`key:\n  - a`), not flush (`key:\n- a`). */
  readonly indentSeq: boolean;
  /** `{ a: 1 }` rather than `{a: 1}`. */
  readonly mapPadding: boolean;
  /** `[ a ]` rather than `[a]`. */
  readonly seqPadding: boolean;
  /** Line break of the file. */
  readonly eol: string;
  /** Top-level sections are separated by blank lines. */
  readonly separated: boolean;
}

export const DEFAULT_STYLE: Style = { indent: 2, indentSeq: true, mapPadding: true, seqPadding: false, eol: '\n', separated: false };

export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED' | undefined | null;
type Context = 'block' | 'flow' | 'key' | 'flowKey';

export function isScalarData(v: Data): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

export function isEmptyCollection(v: Data): boolean {
  return v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
}

/**
 * Checks that a value is plain data and returns a copy without `undefined` object members.
 * Throws EditError naming where the bad value is.
 */
export function toData(value: unknown, where: string): Data {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EditError(`${where} is ${value}; only finite numbers can be written`);
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((x, i) => {
      if (x === undefined) throw new EditError(`${where}[${i}] is undefined`);
      return toData(x, `${where}[${i}]`);
    });
  }
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: { [key: string]: Data } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toData(v, `${where}.${k}`);
    return out;
  }
  throw new EditError(`${where} is ${value === undefined ? 'undefined' : `a ${typeof value}`}; only strings, numbers, booleans, null, lists and maps can be written`);
}

// ---------------------------------------------------------------- scalars

const NEEDS_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

/** A JSON string is a valid YAML double-quoted scalar; characters YAML 1.1 reads as line breaks are escaped too. */
export function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(NEEDS_ESCAPE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Control characters and the characters YAML 1.1 reads as line breaks or marks. */
function hasSpecial(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}

function singleQuotable(s: string): boolean {
  return !hasSpecial(s);
}

const plainCache = new Map<string, boolean>();

/** True when `s` written plain reads back as the same string in that context, for YAML 1.2 and 1.1 readers. */
function plainSafe(s: string, context: Context): boolean {
  const isKey = context === 'key' || context === 'flowKey';
  if (s === '' || s !== s.trim() || s === '<<' || hasSpecial(s)) return false;
  if (!isKey && /^[yYnN=]$/.test(s)) return false;
  if ((context === 'flow' || context === 'flowKey') && /[,[\]{}]/.test(s)) return false;
  const cacheKey = `${context}\u0000${s}`;
  const cached = plainCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const probe =
    context === 'block' ? `k: ${s}\n` : context === 'flow' ? `[${s}]\n` : context === 'key' ? `${s}: 0\n` : `{${s}: 0}\n`;
  let ok = true;
  for (const version of isKey ? (['1.2'] as const) : (['1.2', '1.1'] as const)) {
    const doc = parseDocument(probe, { version });
    if (doc.errors.length > 0 || doc.warnings.length > 0) {
      ok = false;
      break;
    }
    const c = doc.contents;
    let read: unknown;
    if (context === 'flow') read = isSeq(c) && c.items.length === 1 && isScalar(c.items[0]) ? c.items[0].value : undefined;
    else if (isMap(c) && c.items.length === 1) {
      const pair = c.items[0]!;
      read = context === 'block' ? (isScalar(pair.value) ? pair.value.value : undefined) : isScalar(pair.key) ? pair.key.value : undefined;
    }
    if (read !== s) {
      ok = false;
      break;
    }
  }
  if (plainCache.size > 10000) plainCache.clear();
  plainCache.set(cacheKey, ok);
  return ok;
}

/** A scalar as YAML text. `prefer` keeps the quoting style of the scalar being replaced where it can. */
export function renderScalar(value: string | number | boolean | null, inFlow: boolean, prefer?: ScalarStyle): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return stringify(value).trim();
  if (prefer === 'QUOTE_DOUBLE') return doubleQuoted(value);
  if (prefer === 'QUOTE_SINGLE' && singleQuotable(value)) return `'${value.replace(/'/g, "''")}'`;
  return plainSafe(value, inFlow ? 'flow' : 'block') ? value : doubleQuoted(value);
}

export function renderKey(key: string, inFlow: boolean, prefer?: ScalarStyle): string {
  if (prefer === 'QUOTE_DOUBLE') return doubleQuoted(key);
  if (prefer === 'QUOTE_SINGLE' && singleQuotable(key)) return `'${key.replace(/'/g, "''")}'`;
  return plainSafe(key, inFlow ? 'flowKey' : 'key') ? key : doubleQuoted(key);
}

// ---------------------------------------------------------------- collections

/** Collections written on one line by default: empty ones and lists of scalars (`[Containers, Api]`). */
export function preferFlow(v: Data): boolean {
  if (isScalarData(v)) return false;
  if (isEmptyCollection(v)) return true;
  return Array.isArray(v) && v.every(isScalarData);
}

/** A value in flow style, on one line. */
export function renderFlow(v: Data, style: Style): string {
  if (isScalarData(v)) return renderScalar(v, true);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const pad = style.seqPadding ? ' ' : '';
    return `[${pad}${v.map((x) => renderFlow(x, style)).join(', ')}${pad}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  const pad = style.mapPadding ? ' ' : '';
  return `{${pad}${entries.map(([k, x]) => `${renderKey(k, true)}: ${renderFlow(x, style)}`).join(', ')}${pad}}`;
}

/**
 * Style choice for new collections: `flowAt` is how many block levels come before collections are written
 * flow (0: this value is flow; 1: this value is block, its children flow). Empty collections and lists of
 * scalars are always flow.
 */
export type FlowAt = number;

function isFlow(v: Data, flowAt: FlowAt): boolean {
  return flowAt <= 0 || preferFlow(v);
}

/** Block lines of a non-empty collection: map keys, or sequence dashes, at column `col`; `flowAt` applies to its children. */
export function blockLines(v: Data, col: number, style: Style, flowAt: FlowAt = Infinity): string[] {
  if (isScalarData(v)) return [`${spaces(col)}${renderScalar(v, false)}`];
  if (Array.isArray(v)) return v.flatMap((item) => itemLines(item, col, style, flowAt));
  return Object.entries(v).flatMap(([k, x]) => pairLines(k, x, col, style, flowAt));
}

/** Column of the children of a block collection value held by a key at `keyCol`. */
export function childColumn(v: Data, keyCol: number, style: Style): number {
  return Array.isArray(v) && !style.indentSeq ? keyCol : keyCol + style.indent;
}

/** `key: value` at column `col`; a collection that is not written flow goes on the lines below. */
export function pairLines(key: string, v: Data, col: number, style: Style, flowAt: FlowAt = Infinity): string[] {
  return [`${spaces(col)}${renderKey(key, false)}:${afterKey(v, col, style, flowAt)}`];
}

/** `- value` with the dash at column `dashCol`. */
export function itemLines(v: Data, dashCol: number, style: Style, flowAt: FlowAt = Infinity): string[] {
  const [first, ...rest] = itemBody(v, dashCol + 2, style, flowAt);
  return [`${spaces(dashCol)}- ${first ?? ''}`, ...rest];
}

/**
 * The lines of a value that starts right after a `- ` (or in place of an existing item's value): the first
 * line without indentation, the others indented for a body at column `bodyCol`.
 */
export function itemBody(v: Data, bodyCol: number, style: Style, flowAt: FlowAt = Infinity): string[] {
  if (isScalarData(v)) return [renderScalar(v, false)];
  if (isFlow(v, flowAt)) return [renderFlow(v, style)];
  const lines = blockLines(v, bodyCol, style, flowAt - 1);
  lines[0] = lines[0]!.slice(bodyCol);
  return lines;
}

/**
 * What follows `key:` for a value held by a key at column `keyCol`: ` scalar`, ` {flow}`, or a line break
 * and the block lines below (no final line break).
 */
export function afterKey(v: Data, keyCol: number, style: Style, flowAt: FlowAt = Infinity, childCol?: number): string {
  if (isScalarData(v)) return ` ${renderScalar(v, false)}`;
  if (isFlow(v, flowAt)) return ` ${renderFlow(v, style)}`;
  return `\n${blockLines(v, childCol ?? childColumn(v, keyCol, style), style, flowAt - 1).join('\n')}`;
}

// ---------------------------------------------------------------- key order

/** Puts the keys named in `order` first, in that order, then the others as they came. */
export function orderKeys(v: { [key: string]: Data }, order: readonly string[] | undefined): { [key: string]: Data } {
  if (!order) return v;
  const out: { [key: string]: Data } = {};
  for (const k of order) if (Object.hasOwn(v, k)) out[k] = v[k]!;
  for (const [k, x] of Object.entries(v)) if (!Object.hasOwn(out, k)) out[k] = x;
  return out;
}
