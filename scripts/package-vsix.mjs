// Packages the extension as a .vsix with @vscode/vsce 3.9.2 (the last release that declares Node 20), installed in
// e2e/ by scripts/e2e-setup.sh so that the main `npm ci` stays small.
// Usage: node scripts/package-vsix.mjs [--out FILE] [--no-build]
//   builds with `node scripts/build.mjs --production` first (unless --no-build), then writes FILE
//   (default gatewright-<version>.vsix at the root). What goes in is listed in .vscodeignore.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-build': { type: 'boolean', default: false } }, strict: true });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(values.out ?? join(root, `${pkg.name}-${pkg.version}.vsix`));

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    console.error(`package-vsix: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

if (!values['no-build']) run(process.execPath, ['scripts/build.mjs', '--production']);

const vsce = join(root, 'e2e', 'node_modules', '@vscode', 'vsce', 'vsce');
if (!existsSync(vsce)) {
  console.error('package-vsix: @vscode/vsce is not installed; run `bash scripts/e2e-setup.sh` first');
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
const args = [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out];
if (!existsSync(join(root, 'LICENSE'))) args.push('--skip-license');
run(process.execPath, args);
