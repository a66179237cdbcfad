/**
 * The extension's analysis worker, bundled for a test as scripts/build.mjs bundles it (esbuild, one CommonJS file
 * for Node 20), so the tests run the worker the extension starts, not the TypeScript sources.
 */
import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export async function bundleAnalysisWorker(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'gatewright-worker-')), 'analysis-worker.js');
  await build({ bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', entryPoints: [join(root, 'src/extension/analysis/worker.ts')], outfile });
  return outfile;
}

/** A stand-in worker file made of `source` (CommonJS), for the failures a real worker should not have. */
export function standInWorker(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gatewright-worker-')), 'worker.js');
  writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${source}\n`);
  return file;
}
