/**
 * Files a reader can hold in their head: no source file of src/ over 600 lines, and the canvas component
 * (src/webview/App.tsx) under 400, its concerns in the hooks of src/webview/canvas/ (docs/architecture.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').length;

test('no source file of src/ is over 600 lines', () => {
  const long = sources(join(root, 'src'))
    .map((f) => ({ file: relative(root, f), lines: lines(f) }))
    .filter((f) => f.lines > 600);
  assert.deepEqual(long, [], 'split these by topic');
});

test('the canvas component is under 400 lines', () => {
  assert.ok(lines(join(root, 'src', 'webview', 'App.tsx')) < 400);
});
