/**
 * Operations on large designs stay linear: five times the nodes costs about five times the time, never
 * twenty-five. Measured in CPU time of this process, so that a busy machine does not fail the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOperation, applyOperations } from '../../src/document/edits/index.js';
import type { EditOperation } from '../../src/schemas/operations.js';

/** n key vaults wired in pairs and to a hub; every node has a comment and a position. */
function design(n: number): string {
  const lines = ['apiVersion: gatewright/v1', 'kind: Architecture', 'metadata:', '  name: big', '  location: westeurope', '', 'nodes:'];
  lines.push('  - id: hub', '    type: logAnalytics');
  for (let i = 0; i < n; i++) lines.push(`  # vault ${i}`, `  - id: n${i}`, '    type: keyVault');
  lines.push('', 'edges:');
  for (let i = 1; i < n; i += 2) lines.push(`  - { from: n${i - 1}, to: n${i}, type: secrets }`);
  for (let i = 0; i < n; i += 2) lines.push(`  - { from: n${i}, to: hub, type: diagnostics }`);
  lines.push('', 'layout:', '  hub: { x: 0, y: 0 }');
  for (let i = 0; i < n; i++) lines.push(`  n${i}: { x: ${i}, y: ${i % 7} }`);
  return `${lines.join('\n')}\n`;
}

function operations(n: number): EditOperation[] {
  const positions: Record<string, { x: number; y: number }> = {};
  for (let i = 0; i < n; i++) positions[`n${i}`] = { x: i + 1000.4, y: -1 };
  return [
    { op: 'deleteNode', id: 'hub' },
    { op: 'setLayout', positions },
    { op: 'setProperty', target: { kind: 'node', id: `n${n - 1}` }, path: ['properties', 'purgeProtection'], value: true },
  ];
}

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

test('operations on a 5,000-node design are linear in its size', () => {
  const cost = (n: number) => {
    const text = design(n);
    let total = 0;
    for (const op of operations(n)) {
      total += cpuMs(() => {
        const r = applyOperation(text, op);
        assert.ok(r.ok, r.ok ? '' : `${op.op}: ${r.error}`);
        if (op.op === 'deleteNode') assert.equal(r.edits.length, 3, 'the hub, its edges (one run) and its layout line');
        if (op.op === 'setLayout') assert.equal(r.edits.length, 2 * n);
      });
    }
    // Composing many edits (the hub's n removed edges, then its rename) stays linear too.
    total += cpuMs(() => {
      const r = applyOperations(text, [
        { op: 'renameNode', id: 'hub', newId: 'workspace' },
        { op: 'deleteNode', id: 'workspace' },
      ]);
      assert.ok(r.ok);
      assert.equal(r.edits.length, 3);
    });
    return total;
  };
  const small = cost(1000);
  const large = cost(5000);
  const ratio = large / small;
  assert.ok(ratio < 12, `5x the nodes took ${ratio.toFixed(1)}x the time (${small.toFixed(0)} ms -> ${large.toFixed(0)} ms)`);
});
