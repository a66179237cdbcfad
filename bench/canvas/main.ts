/**
 * `npm run bench:canvas [-- --sizes 200,1000,2000 --repetitions 3 --moves 30]`: the canvas benchmark table
 * (bench/canvas/run.ts). Needs chromium (bash scripts/e2e-setup.sh). `npm run bench` runs it after its own table.
 */
import { parseArgs } from 'node:util';
import { chromiumMissing } from '../../test/helpers/chromium.js';
import { formatCanvasTable, runCanvasBench } from './run.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '200,1000,2000' },
    repetitions: { type: 'string', default: '3' },
    moves: { type: 'string', default: '30' },
    only: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
  strict: true,
});

const count = (name: string, value: string, min: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench:canvas: --${name} must be an integer >= ${min}, not "${value}"`);
    process.exit(2);
  }
  return n;
};

const missing = chromiumMissing();
if (missing) {
  console.error(`bench:canvas: ${missing}`);
  process.exit(1);
}
const sizes = values.sizes.split(',').map((s) => count('sizes', s.trim(), 16));
const repetitions = count('repetitions', values.repetitions, 1);
const moves = count('moves', values.moves, 3);

console.log(`\nCanvas benchmark: headless chromium, median of ${repetitions} page loads, ${moves} mouse moves per drag`);
console.log('ours = the designer webview (production bundle, fake host); bare = React Flow with default nodes, same nodes and edges');
console.log('drawn = nodes in the DOM once drawn (our canvas renders only the visible ones above 400 nodes)');
if (values.only !== undefined && values.only !== 'ours' && values.only !== 'bare') {
  console.error(`bench:canvas: --only must be ours or bare, not "${values.only}"`);
  process.exit(2);
}
const subjects = values.only ? [values.only as 'ours' | 'bare'] : undefined;
void (async () => {
  const rows = await runCanvasBench({ sizes, repetitions, moves, subjects, progress: values.quiet ? undefined : (line) => console.log(`  ${line}`) });
  console.log();
  console.log(formatCanvasTable(rows));
})().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
