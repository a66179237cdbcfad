// Bundles the command-line program, the extension host and the designer webview with esbuild.
// Usage: node scripts/build.mjs [--production]   (minified webview, no source maps)
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, logLevel: 'warning' };

const builds = [
  build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // The extension's analysis worker (src/extension/analysis/analyzer.ts starts it from the extension's dist folder).
  build({ ...node, entryPoints: ['src/extension/analysis/worker.ts'], outfile: 'dist/analysis-worker.js' }),
];
if (existsSync('src/webview/main.tsx')) {
  builds.push(
    build({
      bundle: true,
      platform: 'browser',
      target: ['chrome120'],
      format: 'iife',
      jsx: 'automatic',
      entryPoints: { webview: 'src/webview/main.tsx' },
      outdir: 'dist',
      sourcemap: production ? false : 'inline',
      minify: production,
      define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
      loader: { '.svg': 'text' },
      logLevel: 'warning',
    }),
  );
}
await Promise.all(builds);
chmodSync('dist/cli.js', 0o755);
