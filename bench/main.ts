/**
 * `npm run bench [-- --sizes 100,1000,5000 --repetitions 5 --warmup 2]`: prints the benchmark table.
 * No absolute time is asserted anywhere; the table is for reading and comparing.
 */
import { parseArgs } from 'node:util';
import { benchReferenceTrace, formatReferenceTrace, formatTable, layoutBench, runBench, STEPS } from './bench.js';
import { formatLayouts, formatRoundTrips, measureLayouts, measureRoundTrips } from './round-trip-table.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,5000' },
    repetitions: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
  },
  strict: true,
});

const count = (name: string, value: string, min: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: --${name} must be an integer >= ${min}, not "${value}"`);
    process.exit(2);
  }
  return n;
};
const sizes = values.sizes.split(',').map((s) => count('sizes', s.trim(), 16));
const repetitions = count('repetitions', values.repetitions, 1);
const warmup = count('warmup', values.warmup, 0);

console.log(`Gatewright benchmark: median of ${repetitions} runs after ${warmup} warm-up runs, Node ${process.version}`);
console.log(`Steps (ratios are to ${STEPS[0]!.name}, yaml parseDocument + toJS, measured in the same run):\n  validate: every rule over the model and every finding located\n  analyze: what each edit costs: read the YAML with locations, schema, validate\n  generate: every output file from the model (up to 1,000 nodes)\n`);
const rows = runBench({ sizes, repetitions, warmup });
console.log(formatTable(rows));
console.log(`\n${formatReferenceTrace(benchReferenceTrace(warmup, repetitions))}`);
const layout = layoutBench({ size: 100, entries: 20_000, repetitions, warmup });
console.log(
  `\nLayout: 100 nodes and ${layout.entries.toLocaleString('en')} layout entries for unknown ids (${Math.round(layout.bytes / 1024)} KiB): analyze ${layout.analyzeMs.toFixed(1)} ms, ${layout.findings} findings`,
);

// The edit round trip and the layout, at 100 and 1,000 nodes (issue #14, item 6).
measureRoundTrips([100, 1000], warmup, repetitions)
  .then(async (rows) => {
    console.log(`\n${formatRoundTrips(rows)}`);
    console.log(`\n${formatLayouts(await measureLayouts(1000, warmup, repetitions))}`);
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
