// Runs every test under test/ with Node's own test runner (TypeScript through tsx).
// Usage: npm test                        type check (tsc --noEmit), lint (eslint .), build, then every test file
//        npm test [-- substring ...]     only the test files whose path contains a substring (no check, lint or build)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((p) => relative(root, p))
  .filter((p) => filters.length === 0 || filters.some((f) => p.includes(f)))
  .sort();
if (files.length === 0) {
  console.error('no test files match', filters.join(' '));
  process.exit(1);
}

// The whole suite also type checks, lints and builds, so that `npm test` is the one command CI runs.
if (filters.length === 0) {
  const bin = (name) => join(root, 'node_modules', '.bin', name);
  const steps = [
    ['type check', 'tsc', bin('tsc'), ['-p', '.', '--noEmit']],
    ['lint', 'eslint', bin('eslint'), ['.']],
    ['build', 'node', process.execPath, ['scripts/build.mjs']],
  ];
  for (const [title, name, command, args] of steps) {
    console.log(`> ${title}: ${name} ${args.join(' ')}`);
    const step = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (step.status !== 0) {
      console.error(`${title} failed (exit ${step.status ?? step.signal})`);
      process.exit(step.status || 1);
    }
  }
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
