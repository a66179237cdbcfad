/**
 * The benchmark: for designs of several sizes, the median time of each step, in one table.
 * Parsing the YAML (yaml's parseDocument + toJS) is the baseline every other step is compared with.
 * To add a step (for example generation), append it to STEPS: it gets a "ms" column and a ratio to parse.
 */
import { parseDocument } from 'yaml';
import { parseDesign, type ParsedDesign } from '../src/document/parse.js';
import { referenceDesign } from '../src/designs/reference.js';
import { generate } from '../src/generators/generate.js';
import { traceRequests } from '../src/trace/trace.js';
import { analyze } from '../src/validation/analyze.js';
import { validateDesign } from '../src/validation/engine.js';
import { generateDesign, type GeneratedDesign } from './designs.js';

export interface Step {
  /** Column title, without the unit. */
  readonly name: string;
  /** Does the work once; returns something so that the work is not optimised away. */
  run(design: GeneratedDesign): unknown;
  /** Sizes above this are not measured (shown as "-"). */
  readonly maxNodes?: number;
}

const NOW = new Date('2026-01-01T00:00:00Z');
const parsedCache = new WeakMap<GeneratedDesign, ParsedDesign>();

/** The design read once, outside any timing, for the steps that start from the model. */
function parsed(d: GeneratedDesign): ParsedDesign {
  let p = parsedCache.get(d);
  if (!p) {
    p = parseDesign(d.text);
    if (!p.design || !p.complete) throw new Error('the generated benchmark design does not satisfy the schema');
    parsedCache.set(d, p);
  }
  return p;
}

/** The baseline: what reading a YAML file costs at all. */
export const PARSE: Step = {
  name: 'parse',
  run: (d) => parseDocument(d.text).toJS(),
};

/** Validation of the model: every rule, and every finding located in the file (the text is already read). */
export const VALIDATE: Step = {
  name: 'validate',
  run: (d) => {
    const p = parsed(d);
    return validateDesign(p.design!, { now: NOW, invalidIds: p.invalidIds }).map((f) => (f.path ? p.locate(f.path) : undefined));
  },
};

/**
 * A text parseDesign has not seen: it keeps the result of the last text it parsed (the designer analyses the text
 * it has just drawn), and an edit always brings a new text, so each run of a step that parses gets one (a comment
 * line more), as an edit would.
 */
let edits = 0;
function edited(text: string): string {
  return `${text}\n# edit ${++edits}\n`;
}

/** What the CLI and the editor run on each change: read the YAML with locations, check the schema, validate. */
export const ANALYZE: Step = {
  name: 'analyze',
  run: (d) => analyze(edited(d.text), { now: NOW }),
};

/** Generation of every file (Bicep, ARM JSON, manifests, policies, README) from the model. */
export const GENERATE: Step = {
  name: 'generate',
  run: (d) => generate(parsed(d).design!),
  maxNodes: 1000,
};

export const STEPS: Step[] = [PARSE, VALIDATE, ANALYZE, GENERATE];

export interface BenchOptions {
  readonly sizes: readonly number[];
  /** Untimed runs of each step before timing it (JIT warm-up). */
  readonly warmup: number;
  /** Timed runs of each step; the median is reported. */
  readonly repetitions: number;
  readonly steps?: readonly Step[];
}

export interface Row {
  readonly nodes: number;
  readonly edges: number;
  readonly bytes: number;
  /** Median milliseconds, by step name. */
  readonly ms: Record<string, number>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `fn` in milliseconds. */
export function time(fn: () => unknown, warmup: number, repetitions: number): number {
  let sink: unknown;
  for (let i = 0; i < warmup; i++) sink = fn();
  const samples: number[] = [];
  for (let i = 0; i < Math.max(1, repetitions); i++) {
    const start = performance.now();
    sink = fn();
    samples.push(performance.now() - start);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return median(samples);
}

export function runBench(options: BenchOptions): Row[] {
  const steps = options.steps ?? STEPS;
  return options.sizes.map((size) => {
    const design = generateDesign(size);
    const ms: Record<string, number> = {};
    for (const step of steps) {
      if (step.maxNodes !== undefined && design.nodes > step.maxNodes) continue;
      ms[step.name] = time(() => step.run(design), options.warmup, options.repetitions);
    }
    return { nodes: design.nodes, edges: design.edges, bytes: design.text.length, ms };
  });
}

/** The table: nodes, edges, size, each step's ms, and each step's ratio to parse. */
export function formatTable(rows: readonly Row[], steps: readonly Step[] = STEPS): string {
  const baseline = steps[0]!.name;
  const header = ['nodes', 'edges', 'KiB', ...steps.map((s) => `${s.name} ms`), ...steps.slice(1).map((s) => `${s.name}/${baseline}`)];
  const body = rows.map((r) => [
    String(r.nodes),
    String(r.edges),
    (r.bytes / 1024).toFixed(0),
    ...steps.map((s) => (r.ms[s.name] === undefined ? '-' : fmt(r.ms[s.name]!))),
    ...steps.slice(1).map((s) => (r.ms[s.name] === undefined ? '-' : `${(r.ms[s.name]! / r.ms[baseline]!).toFixed(2)}x`)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/**
 * The trace of the reference design's request path (src/trace) next to its generation, in the same run: the trace
 * reads what generation wrote, so it is timed on generated files, and generation on the parsed design.
 */
export function benchReferenceTrace(warmup: number, repetitions: number): { generate: number; trace: number } {
  const design = parseDesign(referenceDesign()).design;
  if (!design) throw new Error('the reference design does not parse');
  const files = generate(design).files;
  return {
    generate: time(() => generate(design), warmup, repetitions),
    trace: time(() => traceRequests({ files, design }), warmup, repetitions),
  };
}

export function formatReferenceTrace(r: { generate: number; trace: number }): string {
  return `Reference design: generate ${fmt(r.generate)} ms, trace ${fmt(r.trace)} ms (trace/generate ${(r.trace / r.generate).toFixed(2)}x)`;
}

/**
 * The layout row: a design of `size` nodes whose layout also has `entries` positions for ids that are not nodes
 * (left over from renames), analyzed as an edit would be. Validation must stay linear in the entries (issue #12).
 */
export function layoutBench(options: { size: number; entries: number; repetitions: number; warmup: number }): { entries: number; bytes: number; analyzeMs: number; findings: number } {
  const design = generateDesign(options.size);
  const lines = Array.from({ length: options.entries }, (_, i) => `  stale-${i}: { x: ${i}, y: 0 }`).join('\n');
  const text = /^layout:\n/m.test(design.text) ? design.text.replace(/^layout:\n/m, `layout:\n${lines}\n`) : `${design.text.trimEnd()}\nlayout:\n${lines}\n`;
  let findings = 0;
  const analyzeMs = time(() => (findings = analyze(edited(text)).findings.length), options.warmup, options.repetitions);
  return { entries: options.entries, bytes: text.length, analyzeMs, findings };
}
