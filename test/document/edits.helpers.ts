/** Helpers for the edit tests: fixtures, a line diff that shows exactly which lines an edit changed. */
import { readFileSync } from 'node:fs';
import { Lexer, parseDocument } from 'yaml';
import { applyEdits, applyOperation } from '../../src/document/edits/index.js';
import type { EditOperation } from '../../src/schemas/operations.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/edits/${name}.gatewright.yaml`, import.meta.url), 'utf8');
}

export interface Hunk {
  /** 1-based line of the original where the change starts. */
  readonly line: number;
  readonly removed: string[];
  readonly added: string[];
}

/** The changed lines between two texts, as hunks (longest common subsequence of lines). */
export function lineDiff(before: string, after: string): Hunk[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // Trim the common prefix and suffix, then LCS on the middle.
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const A = a.slice(p, a.length - s);
  const B = b.slice(p, b.length - s);
  const n = A.length;
  const m = B.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = A[i] === B[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let cur: { line: number; removed: string[]; added: string[] } | undefined;
  const flush = () => {
    if (cur) hunks.push(cur);
    cur = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && A[i] === B[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      cur ??= { line: p + i + 1, removed: [], added: [] };
      cur.added.push(B[j]!);
      j++;
    } else {
      cur ??= { line: p + i + 1, removed: [], added: [] };
      cur.removed.push(A[i]!);
      i++;
    }
  }
  flush();
  return hunks;
}

/** Applies one operation; fails the test with the error when refused. */
export function apply(text: string, op: EditOperation): string {
  const r = applyOperation(text, op);
  if (!r.ok) throw new Error(`${op.op} refused: ${r.error}`);
  return applyEdits(text, r.edits);
}

/** The error of a refused operation; fails the test when it succeeds. */
export function refusal(text: string, op: EditOperation): string {
  const r = applyOperation(text, op);
  if (r.ok) throw new Error(`${op.op} was expected to be refused`);
  return r.error;
}

/** The comments of a text, in order (as the YAML lexer sees them: a `#` inside a quoted string is not one). */
export function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((token) => token.startsWith('#')).map((c) => c.trimEnd());
}

export function toJS(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]!.message}\n${text}`);
  return doc.toJS();
}
