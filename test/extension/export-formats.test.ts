/** The draw.io file and the 300 dpi PNG the Export Diagram command writes, checked before writing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { decodeExport, withDpi } from '../../src/extension/designer/export-data.js';
import { buildDrawio } from '../../src/webview/export-drawio.js';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** The chunks of a PNG, each with its CRC checked against zlib's. */
function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const buf = Buffer.from(png);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    assert.equal(buf.readUInt32BE(at + 8 + length), crc32(buf.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
    out.push({ type, data: buf.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

test('the PNG written is marked 300 dpi (pHYs right after IHDR, valid CRC), its image data untouched', () => {
  const r = decodeExport('png', PNG_1x1);
  assert.ok(r.ok);
  const written = chunks(r.bytes);
  const original = chunks(Buffer.from(PNG_1x1, 'base64'));
  assert.deepEqual(written.map((c) => c.type), ['IHDR', 'pHYs', 'IDAT', 'IEND']);
  const phys = written[1]!.data;
  assert.equal(phys.readUInt32BE(0), 11811, '300 dpi is 11811 pixels per metre');
  assert.equal(phys.readUInt32BE(4), 11811);
  assert.equal(phys[8], 1, 'unit: metre');
  assert.deepEqual(written.filter((c) => c.type !== 'pHYs'), original);
  // A PNG that already says a resolution gets 300 dpi instead, once.
  const again = chunks(withDpi(withDpi(r.bytes, 72), 300));
  assert.deepEqual(again.map((c) => c.type), ['IHDR', 'pHYs', 'IDAT', 'IEND']);
  assert.equal(again[1]!.data.readUInt32BE(0), 11811);
});

test('draw.io: the XML the canvas builds is written as it is; anything else is refused', () => {
  const xml = buildDrawio({ name: 'p', boxes: [{ id: 'a', label: 'A', x: 0, y: 0, width: 10, height: 10, container: false }], links: [] });
  const r = decodeExport('drawio', xml);
  assert.ok(r.ok);
  assert.equal(Buffer.from(r.bytes).toString('utf8'), xml);
  for (const bad of ['', '<svg></svg>', '<mxfile>', 'hello </mxfile>', '<mxGraphModel></mxGraphModel>']) assert.equal(decodeExport('drawio', bad).ok, false, bad);
});
