/**
 * From the edit layer's offset-based TextEdits to range replacements (what a WorkspaceEdit takes), and from a
 * finding's 1-based Location to a 0-based range. Generic over the position type so that the host passes
 * `document.positionAt` and the tests a pure equivalent. No vscode import.
 */
import type { Location } from '../../schemas/finding.js';
import type { TextEdit } from '../../schemas/operations.js';

export interface LinePosition {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 code unit within the line. */
  readonly character: number;
}

export interface Replacement<P> {
  readonly start: P;
  readonly end: P;
  readonly text: string;
}

/**
 * Converts edits (offsets into the text the positions are computed from) into replacements, in the same order.
 * All of them are relative to the same original text, as one WorkspaceEdit expects.
 */
export function toReplacements<P>(edits: readonly TextEdit[], positionAt: (offset: number) => P): Replacement<P>[] {
  return edits.map((e) => ({ start: positionAt(e.offset), end: positionAt(e.offset + e.length), text: e.text }));
}

/**
 * The position of an offset in a text, as VS Code's TextDocument.positionAt computes it: lines end at `\n`,
 * `\r\n` or `\r`; offsets are clamped to the text; an offset between `\r` and `\n` is the end of that line.
 */
export function positionAt(text: string, offset: number): LinePosition {
  const target = Math.max(0, Math.min(Math.floor(offset), text.length));
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < target; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) {
        if (i + 1 === target) return { line, character: i - lineStart };
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: target - lineStart };
}

/** A finding's 1-based location (end exclusive) as 0-based start and end positions. */
export function locationToRange(location: Location): { start: LinePosition; end: LinePosition } {
  return {
    start: { line: location.line - 1, character: location.column - 1 },
    end: { line: location.endLine - 1, character: location.endColumn - 1 },
  };
}

/** Whether two 0-based ranges overlap or touch (a cursor at a range's end counts as inside). */
export function rangesTouch(a: { start: LinePosition; end: LinePosition }, b: { start: LinePosition; end: LinePosition }): boolean {
  return compare(a.start, b.end) <= 0 && compare(b.start, a.end) <= 0;
}

function compare(a: LinePosition, b: LinePosition): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}
