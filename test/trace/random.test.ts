/**
 * The trace never throws on what random valid designs generate (and on the design with hostile text everywhere):
 * every evidence names a generated file and a line inside it, and the JSON report satisfies the canvas's message
 * schema once mapped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDesign } from '../../src/document/parse.js';
import { traceMessage } from '../../src/extension/designer/trace-overlay.js';
import { generate } from '../../src/generators/generate.js';
import { HostMessageSchema } from '../../src/schemas/messages.js';
import type { Design } from '../../src/schemas/design.js';
import { traceRequests } from '../../src/trace/trace.js';
import { hostileDesign, sampleDesigns } from '../helpers/random-design.js';

const SEED = 20261207;

function traceOf(text: string): void {
  const parsed = parseDesign(text);
  assert.ok(parsed.design, 'the design parses');
  const design = parsed.design as Design;
  const files = generate(design).files;
  const lines = new Map(files.map((f) => [f.path, f.content.split('\n').length]));
  const report = traceRequests({ files, design });
  for (const path of report.paths) {
    for (const hop of path.hops) {
      for (const c of hop.checks) {
        if (c.verdict === 'unknown-until-deployed') assert.ok(c.dependsOn, c.id);
        for (const e of c.evidence) {
          const n = lines.get(e.file);
          assert.ok(n !== undefined && e.line >= 1 && e.line <= n, `${c.id}: ${e.file}:${e.line} is not a line of a generated file`);
        }
      }
    }
  }
  const firstInternet = design.nodes.find((n) => n.type === 'internet');
  const m = traceMessage(report, firstInternet ? { kind: 'internet', node: firstInternet.id } : { kind: 'api', node: 'apim', api: report.paths[0]?.api ?? 'none' });
  const checked = HostMessageSchema.safeParse(m);
  assert.ok(checked.success, JSON.stringify(checked.error?.issues.slice(0, 2)));
}

test('random valid designs: the trace of what they generate never throws, and every evidence is a line of a generated file', () => {
  for (const d of sampleDesigns(25, SEED)) traceOf(d.text);
});

test('the design with hostile text in every field traces too', () => {
  traceOf(hostileDesign().text);
});
