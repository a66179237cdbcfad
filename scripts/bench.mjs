// `npm run bench`: runs bench/main.ts (TypeScript, through tsx) with the arguments given after `--`, then the
// canvas benchmark bench/canvas/main.ts (headless chromium: our canvas against bare React Flow, 200 / 1,000 /
// 2,000 nodes; `npm run bench:canvas` runs it alone with its own options). `--no-canvas` skips the canvas part.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const canvas = !args.includes('--no-canvas');
const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/main.ts', ...args.filter((a) => a !== '--no-canvas')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0 || !canvas) process.exit(result.status ?? 1);
const canvasResult = spawnSync(process.execPath, ['--import', 'tsx', 'bench/canvas/main.ts'], { cwd: root, stdio: 'inherit' });
process.exit(canvasResult.status ?? 1);
