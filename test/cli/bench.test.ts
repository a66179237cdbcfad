/** The benchmark works (at a tiny size; no time is asserted) and its designs are what it says they are. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { formatTable, median, runBench, STEPS } from '../../bench/bench.js';
import { generateDesign, SHARED_NODES, STAMP_NODES } from '../../bench/designs.js';
import { analyze } from '../../src/validation/analyze.js';

const root = join(import.meta.dirname, '..', '..');

test('generated designs have exactly the nodes asked for, satisfy the schema and have no error', () => {
  for (const n of [SHARED_NODES + STAMP_NODES, 40, 123]) {
    const g = generateDesign(n);
    const a = analyze(g.text, { now: new Date('2026-01-01T00:00:00Z') });
    assert.equal(a.parsed.complete, true, JSON.stringify(a.parsed.findings.slice(0, 3)));
    assert.equal(a.design!.nodes.length, n);
    assert.equal(a.design!.edges.length, g.edges);
    assert.equal(a.design!.certificates.length, g.certificates);
    assert.equal(new Set(a.design!.nodes.map((x) => x.id)).size, n, 'node ids are unique');
    assert.equal(a.summary.errors, 0, JSON.stringify(a.findings.filter((f) => f.severity === 'error').slice(0, 3)));
  }
  assert.throws(() => generateDesign(3), RangeError);
});

test('runBench and formatTable: one row per size, a column per step, ratios to parse', () => {
  const rows = runBench({ sizes: [16, 26], warmup: 0, repetitions: 1 });
  assert.deepEqual(
    rows.map((r) => r.nodes),
    [16, 26],
  );
  for (const r of rows) for (const s of STEPS) assert.ok(r.ms[s.name]! >= 0);
  const table = formatTable(rows).split('\n');
  assert.match(table[0]!, /nodes\s+edges\s+KiB\s+parse ms\s+validate ms\s+analyze ms\s+generate ms\s+validate\/parse\s+analyze\/parse\s+generate\/parse/);
  assert.equal(table.length, 4);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

test('npm run bench runs (tiny sizes)', () => {
  const r = spawnSync(process.execPath, ['scripts/bench.mjs', '--sizes', '16,30', '--repetitions', '1', '--warmup', '0', '--no-canvas'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /validate\/parse/);
  assert.match(r.stdout, /^\s+16\s/m);
  assert.match(r.stdout, /^\s+30\s/m);
  const bad = spawnSync(process.execPath, ['scripts/bench.mjs', '--sizes', 'many'], { cwd: root, encoding: 'utf8' });
  assert.equal(bad.status, 2);
});
