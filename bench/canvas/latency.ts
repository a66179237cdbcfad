/**
 * `npm run bench` (after the canvas table), or `node --import tsx bench/canvas/latency.ts [-- --sizes 100,1000
 * --samples 9]`: how long each canvas gesture takes to show its effect, from the key or mouse event to the frame
 * (and to the DOM change, and the main thread's CPU time to the frame), median of the samples, on the reference design and generated ones
 * (test/helpers/canvas-latency.ts; test/browser/latency.test.ts asserts their frame counts: 1 on the reference
 * design and at 100 nodes; 1,000 nodes are measured here only). A gesture that cannot be sampled on a design is reported with its reason and
 * the other designs are still measured. Needs chromium (bash scripts/e2e-setup.sh).
 */
import { parseArgs } from 'node:util';
import { chromiumMissing, launchChromium } from '../../test/helpers/chromium.js';
import { bundleWebview, formatLatencyTable, LATENCY_ACTIONS, latencyDesigns, measureLatency, type LatencyResult } from '../../test/helpers/canvas-latency.js';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '100,1000' }, samples: { type: 'string', default: '9' } },
  strict: true,
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const samples = Number(values.samples);
if (sizes.some((n) => !Number.isInteger(n) || n < 16) || !Number.isInteger(samples) || samples < 1) {
  console.error('bench latency: --sizes takes integers >= 16, --samples an integer >= 1');
  process.exit(2);
}
const missing = chromiumMissing();
if (missing) {
  console.error(`bench latency: ${missing}`);
  process.exit(1);
}

void (async () => {
  console.log(`\nCanvas latency: headless chromium, production bundle, fake host; median of ${samples} samples, ms from the event to the frame / to the DOM change / main-thread CPU ms from the event to the frame`);
  console.log('add = palette item, Enter; move = drag a node; connect = C, pick the target, Enter; property = inspector field, Enter');
  const [browser, bundle] = await Promise.all([launchChromium(), bundleWebview()]);
  const results: LatencyResult[] = [];
  try {
    for (const design of latencyDesigns(sizes)) {
      for (const action of LATENCY_ACTIONS) {
        try {
          const r = await measureLatency(browser, bundle.dir, design, samples, [action], 'cpu');
          if (r.errors.length) console.error(`  ${design.name}, ${action}: page errors: ${r.errors.join('; ')}`);
          const known = results.find((x) => x.design === design.name);
          if (known) Object.assign(known.actions, r.actions);
          else results.push(r);
        } catch (error) {
          console.log(`  ${design.name}, ${action}: not measured (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
        }
      }
      console.log(`  ${design.name} done`);
    }
  } finally {
    await browser.close();
    bundle.dispose();
  }
  console.log();
  console.log(formatLatencyTable(results));
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
