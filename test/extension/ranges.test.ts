/** Offsets of the edit layer to the ranges of a WorkspaceEdit, and findings' locations to ranges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, applyOperations } from '../../src/document/edits/index.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { locationToRange, positionAt, rangesTouch, toReplacements } from '../../src/extension/designer/ranges.js';
import { REFERENCE } from '../helpers/reference.js';
import { FakeDocument, offsetAt } from './fakes.js';

test('positionAt counts \\n, \\r\\n and \\r line breaks and UTF-16 code units, like TextDocument.positionAt', () => {
  const text = 'ab\ncd\r\nef\rg😀h';
  assert.deepEqual(positionAt(text, 0), { line: 0, character: 0 });
  assert.deepEqual(positionAt(text, 2), { line: 0, character: 2 });
  assert.deepEqual(positionAt(text, 3), { line: 1, character: 0 });
  assert.deepEqual(positionAt(text, 5), { line: 1, character: 2 });
  assert.deepEqual(positionAt(text, 6), { line: 1, character: 2 }, 'between \\r and \\n: end of the line');
  assert.deepEqual(positionAt(text, 7), { line: 2, character: 0 });
  assert.deepEqual(positionAt(text, 10), { line: 3, character: 0 });
  assert.deepEqual(positionAt(text, 13), { line: 3, character: 3 }, 'the emoji is two code units');
  assert.deepEqual(positionAt(text, 999), { line: 3, character: 4 }, 'clamped to the end');
  assert.deepEqual(positionAt(text, -5), { line: 0, character: 0 }, 'clamped to the start');
});

test('toReplacements keeps order and text; applied as one WorkspaceEdit they give the edit layer\'s result', () => {
  const ops: EditOperation[] = [
    { op: 'deleteNode', id: 'bastion' },
    { op: 'setProperty', target: { kind: 'node', id: 'apim' }, path: ['properties', 'sku'], value: 'Premium' },
    { op: 'addNode', node: { id: 'acr2', type: 'containerRegistry' }, position: { x: 1, y: 2 } },
  ];
  for (const eol of ['\n', '\r\n']) {
    const text = REFERENCE.replace(/\n/g, eol);
    const result = applyOperations(text, ops);
    assert.ok(result.ok);
    assert.ok(result.edits.length > 1);
    const replacements = toReplacements(result.edits, (o) => positionAt(text, o));
    assert.deepEqual(replacements.map((r) => r.text), result.edits.map((e) => e.text));
    const doc = new FakeDocument(text);
    doc.applyReplacements(replacements);
    assert.equal(doc.getText(), result.text);
  }
});

test('property: replacements built from random edits reproduce applyEdits', () => {
  const text = fc.array(fc.constantFrom('a', 'b', '\n', '\r', '😀'), { maxLength: 20 }).map((parts) => parts.join(''));
  fc.assert(
    fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat(5), fc.string({ maxLength: 5 })), { maxLength: 5 }), (t, raw) => {
      // Sorted, non-overlapping edits that do not split a \r\n or a surrogate pair (offsets VS Code would not produce).
      const ok = (o: number) => !(t[o - 1] === '\r' && t[o] === '\n') && !(/[\uD800-\uDBFF]/.test(t[o - 1] ?? '') && /[\uDC00-\uDFFF]/.test(t[o] ?? ''));
      const edits: { offset: number; length: number; text: string }[] = [];
      let at = 0;
      for (const [gap, len, s] of raw) {
        const offset = at + (gap % 7);
        const length = Math.min(len, t.length - offset);
        if (offset > t.length || length < 0 || !ok(offset) || !ok(offset + length)) break;
        edits.push({ offset, length, text: s });
        at = offset + length;
      }
      const doc = new FakeDocument(t);
      doc.applyReplacements(toReplacements(edits, (o) => positionAt(t, o)));
      assert.equal(doc.getText(), applyEdits(t, edits));
      for (const e of edits) assert.equal(offsetAt(t, positionAt(t, e.offset)), e.offset);
    }),
  );
});

test('locationToRange: 1-based, end-exclusive locations to 0-based ranges', () => {
  assert.deepEqual(locationToRange({ line: 3, column: 5, endLine: 3, endColumn: 12 }), {
    start: { line: 2, character: 4 },
    end: { line: 2, character: 11 },
  });
});

test('rangesTouch: overlapping and touching ranges, a cursor at either end', () => {
  const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
  assert.equal(rangesTouch(r(2, 4, 2, 10), r(2, 4, 2, 4)), true);
  assert.equal(rangesTouch(r(2, 4, 2, 10), r(2, 10, 2, 10)), true);
  assert.equal(rangesTouch(r(2, 4, 2, 10), r(2, 11, 2, 11)), false);
  assert.equal(rangesTouch(r(2, 4, 4, 0), r(3, 0, 3, 80)), true);
  assert.equal(rangesTouch(r(2, 4, 4, 0), r(1, 0, 2, 3)), false);
});
