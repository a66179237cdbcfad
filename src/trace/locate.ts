/**
 * Where values sit in the generated text, so that every piece of evidence names a file, a line and a column: a JSON
 * position map (JSON Pointer -> position of the value), YAML documents with their node ranges, and text search
 * for policy XML.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { Evidence } from './types.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Line starts of a text, for offset -> line/column. */
export class Lines {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  at(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

/** One segment of a JSON Pointer (RFC 6901). */
export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(path: readonly (string | number)[]): string {
  return path.map((s) => `/${escapePointer(s)}`).join('');
}

/**
 * The position of every value of a JSON text, by JSON Pointer. The text must be valid JSON (it is what the generator
 * wrote); an object member's position is the start of its value.
 */
export function jsonPositions(text: string): Map<string, Position> {
  const lines = new Lines(text);
  const out = new Map<string, Position>();
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    out.set(path, lines.at(i));
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        ws();
        i++; // ':'
        value(`${path}/${escapePointer(key)}`);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}/${n}`);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value('');
  return out;
}

/** A generated JSON file, parsed, with the position of each value. */
export class JsonFile {
  readonly data: unknown;
  private positions: Map<string, Position> | undefined;
  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.data = JSON.parse(text);
  }
  /** Evidence for the value at a JSON Pointer path (the nearest enclosing value that exists when it does not). */
  evidence(path: readonly (string | number)[], value?: unknown): Evidence {
    this.positions ??= jsonPositions(this.text);
    let at = [...path];
    let pos = this.positions.get(pointer(at));
    while (!pos && at.length > 0) {
      at = at.slice(0, -1);
      pos = this.positions.get(pointer(at));
    }
    const found = value === undefined ? getIn(this.data, path) : value;
    return { file: this.path, line: pos?.line ?? 1, column: pos?.column ?? 1, value: show(found) };
  }
}

export function getIn(data: unknown, path: readonly (string | number)[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A value as evidence text: strings as they are, the rest as compact JSON, absent as `(absent)`. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return value;
  const s = JSON.stringify(value);
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

/** One document of a generated YAML file (manifests may hold several, separated by `---`). */
export interface YamlDoc {
  readonly file: string;
  readonly index: number;
  readonly data: unknown;
  readonly doc: Document.Parsed;
}

/** A generated YAML file: its documents read as kubectl reads them (YAML 1.1), with node positions. */
export class YamlFile {
  readonly docs: readonly YamlDoc[];
  private readonly lines: Lines;
  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.lines = new Lines(text);
    const lc = new LineCounter();
    this.docs = parseAllDocuments(text, { version: '1.1', lineCounter: lc })
      .filter((d): d is Document.Parsed => !('empty' in d))
      .map((doc, index) => ({ file: path, index, data: doc.toJS() as unknown, doc }));
  }
  evidence(doc: YamlDoc, path: readonly (string | number)[], value?: unknown): Evidence {
    let at = [...path];
    let node: unknown = doc.doc.getIn(at, true);
    while ((node === undefined || !hasRange(node)) && at.length > 0) {
      at = at.slice(0, -1);
      node = at.length === 0 ? doc.doc.contents : doc.doc.getIn(at, true);
    }
    const offset = hasRange(node) ? node.range[0] : 0;
    const pos = this.lines.at(offset);
    const found = value === undefined ? getIn(doc.data, path) : value;
    return { file: this.path, line: pos.line, column: pos.column, value: show(found) };
  }
}

function hasRange(node: unknown): node is YamlNode & { range: [number, number, number] } {
  return (isMap(node) || isSeq(node) || isScalar(node)) && Array.isArray((node as { range?: unknown }).range);
}

/** Evidence for the first occurrence of `needle` in a text file (policy XML), or its first line when absent. */
export function textEvidence(path: string, text: string, needle: string, value: string = needle): Evidence {
  const at = text.indexOf(needle);
  const pos = new Lines(text).at(at < 0 ? 0 : at);
  return { file: path, line: pos.line, column: pos.column, value: at < 0 ? `(absent) ${value}` : value };
}
