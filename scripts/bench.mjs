// `npm run bench`: runs bench/main.ts (TypeScript, through tsx) with the arguments given after `--`, then the
// canvas benchmark bench/canvas/main.ts (headless chromium: our canvas against bare React Flow, 200 / 1,000 /
// 2,000 nodes; `npm run bench:canvas` runs it alone with its own options), then the canvas latency medians
// bench/canvas/latency.ts (event to frame for add, move, connect, property change). `--no-canvas` skips both.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const canvas = !args.includes('--no-canvas');
const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args.filter((a) => a !== '--no-canvas')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0 || !canvas) process.exit(result.status ?? 1);
const canvasResult = spawnSync(process.execPath, ['--import', 'tsx', 'bench/canvas/main.ts'], { cwd: root, stdio: 'inherit' });
if (canvasResult.status !== 0) process.exit(canvasResult.status ?? 1);
const latencyResult = spawnSync(process.execPath, ['--import', 'tsx', 'bench/canvas/latency.ts'], { cwd: root, stdio: 'inherit' });
process.exit(latencyResult.status ?? 1);
