import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionsThatFit } from '../../src/webview/toolbar-fit.js';

// Three actions 50px wide with 4px gaps: right edges 50, 104, 158.
const RIGHTS = [50, 104, 158];

test('every action stays in the row when all fit without the overflow button', () => {
  assert.equal(actionsThatFit(RIGHTS, 158, 120), 3);
  assert.equal(actionsThatFit(RIGHTS, 500, 460), 3);
});

test('when they do not all fit, the row keeps the longest prefix that fits beside the overflow button', () => {
  // 157px: the third does not fit; with "…" (say 36px and a gap) 113px are left: two fit.
  assert.equal(actionsThatFit(RIGHTS, 157, 113), 2);
  // The button takes the room the second action would have had.
  assert.equal(actionsThatFit(RIGHTS, 140, 96), 1);
  assert.equal(actionsThatFit(RIGHTS, 60, 16), 0);
});

test('half a pixel of fractional layout does not push an action out', () => {
  assert.equal(actionsThatFit([50.4, 104.3, 158.4], 158, 100), 3);
  assert.equal(actionsThatFit([50.4, 104.3, 158.6], 158, 103.7), 1);
});

test('no actions, nothing to place', () => {
  assert.equal(actionsThatFit([], 0, 0), 0);
});
