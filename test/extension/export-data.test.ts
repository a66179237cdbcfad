/** What the designer sends for an export is checked before it is written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeExport } from '../../src/extension/designer/export-data.js';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('SVG text, with or without an XML declaration, and the data: URL html-to-image returns', () => {
  for (const svg of ['<svg xmlns="http://www.w3.org/2000/svg"></svg>', '<?xml version="1.0"?>\n<svg></svg>', '\uFEFF  <!-- c --><svg>']) {
    const r = decodeExport('svg', svg);
    assert.ok(r.ok, svg);
    assert.equal(Buffer.from(r.bytes).toString('utf8'), svg);
  }
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg"><text>a&b</text></svg>')}`;
  const r = decodeExport('svg', url);
  assert.ok(r.ok);
  assert.equal(Buffer.from(r.bytes).toString('utf8'), '<svg xmlns="http://www.w3.org/2000/svg"><text>a&b</text></svg>');
});

test('anything that is not SVG is refused', () => {
  for (const bad of ['', '<html><svg></svg></html>', 'hello', '<svgx>', 'data:image/svg+xml,%E0%A4%A']) assert.equal(decodeExport('svg', bad).ok, false, bad);
});

test('PNG: base64 (or its data: URL) with the PNG signature', () => {
  const r = decodeExport('png', PNG_1x1);
  assert.ok(r.ok);
  assert.deepEqual([...r.bytes.slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.ok(decodeExport('png', `data:image/png;base64,${PNG_1x1}`).ok);
  for (const bad of ['', 'not base64!', Buffer.from('GIF89a....').toString('base64'), '<svg></svg>']) assert.equal(decodeExport('png', bad).ok, false, bad);
});
