/**
 * Every canvas interaction answers within one frame (issue #19): from the key or mouse event that ends a gesture
 * to the frame that shows its effect, in headless chromium with the production bundle and the fake host (see
 * test/helpers/canvas-latency.ts for how a sample is taken). The canvas draws its own intent at once, before the
 * host has answered; the host's answer is given after each sample. Median of 9 samples per gesture (add from the
 * palette with Enter, move by drag, connect, property change) on the reference design and a generated design of
 * 100 nodes (bench/designs.ts, every node placed on a grid). The moved node is first brought where a
 * user would drag it (zoomed in with the wheel, panned inside the pane) and dragged into free space beside it.
 *
 * Asserted, in frames: on the reference design and at 100 nodes, the change painted in the first frame after the
 * event (1, the 16 ms at 60 Hz). The test counts frames rather than milliseconds: on a busy machine (CI, or
 * the rest of the suite running beside it) every frame is late, and a millisecond limit would measure the machine.
 * What the frame count does not see: the canvas draws a gesture's effect in the task of the event itself, so a
 * frame made long by that work still counts as one. The milliseconds are printed with every result: read them
 * next to the frames.
 *
 * Not asserted yet: 1,000 nodes (the 100 ms, 6 frames). Every sample there can be taken now (the move
 * sample zooms in and pans as a user would), and the samples taken showed 1 frame each, but at 0.3 to 3 s per
 * gesture and several seconds per host answer the 36 samples did not finish within 15 minutes on the shared
 * two-core machine; `npm run bench` (bench/canvas/latency.ts) prints its medians.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../helpers/chromium.js';
import { bundleWebview, formatLatencyTable, LATENCY_ACTIONS, latencyDesigns, measureLatency, median, type LatencyResult } from '../helpers/canvas-latency.js';

const SAMPLES = 9;
/** Frames from the event to the one that paints the change, median. */
const LIMITS: Record<string, number> = { reference: 1, '100 nodes': 1 };

describe('canvas latency: the effect of a gesture in the next frame', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let bundle: { dir: string; dispose(): void };
  const results: LatencyResult[] = [];
  before(async () => {
    [browser, bundle] = await Promise.all([launchChromium(), bundleWebview()]);
  });
  after(async () => {
    if (results.length) console.log(`\n${formatLatencyTable(results)}`);
    await browser?.close();
    bundle?.dispose();
  });

  for (const design of latencyDesigns([100])) {
    const limit = LIMITS[design.name]!;
    test(`${design.name}: add (palette, Enter), move (drag), connect, property: median at most ${limit} frame${limit === 1 ? '' : 's'} to show the change`, { timeout: 900_000 }, async () => {
      const result = await measureLatency(browser, bundle.dir, design, SAMPLES);
      results.push(result);
      assert.deepEqual(result.errors, [], 'no error in the page');
      for (const action of LATENCY_ACTIONS) {
        const s = result.actions[action];
        console.log(`${design.name}, ${action}: frames ${s.frames.join(', ')}; ms ${s.frame.map((x) => x.toFixed(1)).join(', ')}`);
      }
      for (const action of LATENCY_ACTIONS) {
        const s = result.actions[action];
        assert.equal(s.frames.length, SAMPLES);
        const m = median(s.frames);
        assert.ok(
          m <= limit,
          `${design.name}, ${action}: median ${m} frames to show the change (limit ${limit}); frames ${s.frames.join(', ')}; ms ${s.frame.map((x) => x.toFixed(1)).join(', ')}`,
        );
      }
    });
  }
});
