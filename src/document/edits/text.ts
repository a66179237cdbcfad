/**
 * Text primitives for minimal edits: lines, indentation, and the set of edits one operation makes.
 * Offsets are 0-based UTF-16 code units, as in TextEdit.
 */
import type { TextEdit } from '../../schemas/operations.js';

/** Thrown inside the edit layer for a refused operation; applyOperation turns it into `{ ok: false, error }`. */
export class EditError extends Error {}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the '\n' that ends the line holding `offset`, or the text's length. */
export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

/** The start of the line after the one holding `offset`, or the text's length. */
export function nextLineStart(text: string, offset: number): number {
  const end = lineEnd(text, offset);
  return end < text.length ? end + 1 : text.length;
}

export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Index of the first character that is not a space or tab, from `offset`. */
function skipBlanks(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** What the line starting at `start` holds. */
export function lineKind(text: string, start: number): { kind: 'blank' | 'comment' | 'content'; indent: number } {
  const i = skipBlanks(text, start);
  const c = text[i];
  if (i >= text.length || c === '\n' || c === '\r') return { kind: 'blank', indent: i - start };
  return { kind: c === '#' ? 'comment' : 'content', indent: i - start };
}

export function isBlankLine(text: string, start: number): boolean {
  return start < text.length ? lineKind(text, start).kind === 'blank' : false;
}

/** The start of the line before the one starting at `start`, or -1 on the first line. */
export function previousLineStart(text: string, start: number): number {
  return start === 0 ? -1 : lineStart(text, start - 1);
}

/** True when only spaces and tabs come before `offset` on its line. */
export function firstOnLine(text: string, offset: number): boolean {
  const s = lineStart(text, offset);
  return skipBlanks(text, s) >= offset;
}

/** Indents every line but the first of a multi-line fragment by `spaces`. */
export function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

/**
 * The edits one operation makes, all relative to the same text. Insertions at the same offset keep the
 * order they were added in; touching deletions are fine, overlapping ones are merged when both delete.
 */
export class EditSet {
  private readonly list: { edit: TextEdit; seq: number }[] = [];
  private finalNewline = false;

  constructor(private readonly text: string) {}

  replace(offset: number, end: number, text: string): void {
    if (offset < 0 || end < offset || end > this.text.length) throw new Error(`edit out of range: ${offset}-${end}`);
    if (offset === end && text === '') return;
    if (this.text.slice(offset, end) === text) return;
    this.list.push({ edit: { offset, length: end - offset, text }, seq: this.list.length });
  }

  insert(offset: number, text: string): void {
    this.replace(offset, offset, text);
  }

  delete(offset: number, end: number): void {
    this.replace(offset, end, '');
  }

  /** Inserting after the last line of a text without a final line break needs one, once. */
  needFinalNewline(): void {
    if (this.text.length > 0 && !this.text.endsWith('\n')) this.finalNewline = true;
  }

  /** Sorted, non-overlapping edits; `\n` in inserted text becomes the document's line break. */
  finish(eol: string): TextEdit[] {
    const items = this.list.map((x) => ({ ...x, edit: { ...x.edit } }));
    if (this.finalNewline) items.push({ edit: { offset: this.text.length, length: 0, text: '\n' }, seq: -1 });
    items.sort((a, b) => a.edit.offset - b.edit.offset || a.edit.length - b.edit.length || a.seq - b.seq);
    const out: TextEdit[] = [];
    for (const { edit } of items) {
      const prev = out[out.length - 1];
      if (prev && edit.offset < prev.offset + prev.length) {
        if (prev.text === '' && edit.text === '') {
          prev.length = Math.max(prev.length, edit.offset + edit.length - prev.offset);
          continue;
        }
        throw new Error(`overlapping edits at ${edit.offset}`);
      }
      if (prev && edit.offset === prev.offset) {
        // An insertion followed by a replacement at the same place: one edit.
        prev.text += edit.text;
        prev.length += edit.length;
        continue;
      }
      out.push({ ...edit });
    }
    if (eol !== '\n') for (const e of out) e.text = e.text.replace(/\r?\n/g, eol);
    return out;
  }
}

/**
 * Applies non-overlapping edits (any order) to a text. Throws RangeError for edits outside the text or
 * overlapping each other, since applying those would corrupt it.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.offset < pos || e.offset + e.length > text.length || e.length < 0) {
      throw new RangeError(`edit at ${e.offset} (length ${e.length}) overlaps another or lies outside the text`);
    }
    out += text.slice(pos, e.offset) + e.text;
    pos = e.offset + e.length;
  }
  return out + text.slice(pos);
}
