/**
 * Line breaking of the node sizer (src/webview/canvas/node-size.ts), with a font of 1 px per character so that the
 * expected lines can be read off the strings; and buildFlowNodes hands React Flow the size of a node it has not
 * measured, never over one it has. (That the sizes equal the browser's layout is test/browser/first-render.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineCount } from '../../src/webview/canvas/node-size.js';
import { buildFlowNodes } from '../../src/webview/graph.js';
import { REF } from './canvas.fixtures.js';

const mono = (s: string) => s.length;

test('a text that fits is one line, an empty one none', () => {
  assert.equal(lineCount('Key Vault', 20, mono), 1);
  assert.equal(lineCount('', 20, mono), 0);
  assert.equal(lineCount('exactly ten', 11, mono), 1);
});

test('texts wrap at spaces, greedily', () => {
  // "WAF_v2 · Prevention" (19) | "· internal" (10)
  assert.equal(lineCount('WAF_v2 · Prevention · internal', 20, mono), 2);
  assert.equal(lineCount('aaaa bbbb cccc dddd', 9, mono), 2);
  assert.equal(lineCount('aaaa bbbb cccc dddd', 8, mono), 4);
});

test('a hyphen inside a word is a break opportunity, as in Chromium ("api-" | "0000.contoso.com")', () => {
  // "· api-" (6) | "0000.contoso.com" (16)
  assert.equal(lineCount('· api-0000.contoso.com', 16, mono), 2);
  assert.equal(lineCount('-leading', 4, mono), 2, 'a leading hyphen is not a break: the word is cut anywhere');
});

test('a word longer than the line is cut anywhere (overflow-wrap: anywhere)', () => {
  assert.equal(lineCount('abcdefghijklmnopqrstuvwxyz', 10, mono), 3);
  assert.equal(lineCount('ab abcdefghijklmnopqrstuvwxyz', 10, mono), 4);
});

test('flow nodes carry the worked-out size only while React Flow has not measured them', () => {
  const positions = new Map(Object.entries(REF.layout ?? {}));
  const size = (data: { title: string }) => ({ width: 180, height: 72 + data.title.length });
  const first = buildFlowNodes({ design: REF, positions, counts: new Map(), selected: new Set(), size }, []);
  for (const n of first) assert.deepEqual(n.measured, { width: 180, height: 72 + n.data.title.length }, n.id);
  const measured = first.map((n) => ({ ...n, measured: { width: 180, height: 99 } }));
  const moved = buildFlowNodes({ design: REF, positions: new Map([...positions, ['apim', { x: 1, y: 2 }]]), counts: new Map(), selected: new Set(), size }, measured);
  assert.deepEqual(moved.find((n) => n.id === 'apim')!.measured, { width: 180, height: 99 }, 'a measured size is kept');
  const without = buildFlowNodes({ design: REF, positions, counts: new Map(), selected: new Set() }, []);
  assert.ok(without.every((n) => n.measured === undefined), 'no sizer, no size: React Flow measures');
});
