/** The round trip and layout rows of `npm run bench` (bench/round-trip.ts), as ratios to parsing the same YAML. */
import { parseDesign } from '../src/document/parse.js';
import { referenceDesign } from '../src/designs/reference.js';
import { bundleAnalysisWorker } from '../test/helpers/analysis-worker.js';
import { generateDesign } from './designs.js';
import { benchLayout, benchRoundTrip, benchRoutes, benchWorker, parseBaseline, ROUND_TRIP_PARTS, type RoundTrip } from './round-trip.js';

export interface RoundTripRow {
  readonly nodes: number;
  readonly parse: number;
  readonly parts: RoundTrip;
  /** Parses of the design text per intent (median). */
  readonly parses: number;
  readonly worker: { readonly wall: number; readonly hostBusy: number };
}

export async function measureRoundTrips(sizes: readonly number[], warmup: number, repetitions: number): Promise<RoundTripRow[]> {
  const workerFile = await bundleAnalysisWorker();
  const rows: RoundTripRow[] = [];
  for (const nodes of sizes) {
    const parse = parseBaseline(generateDesign(nodes).text, warmup, repetitions);
    const { parts, parses } = await benchRoundTrip(nodes, warmup, repetitions);
    const worker = await benchWorker(nodes, workerFile, warmup, repetitions);
    rows.push({ nodes, parse, parts, parses, worker });
  }
  return rows;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ratio = (v: number, base: number) => `${(v / base).toFixed(2)}x`;

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function formatRoundTrips(rows: readonly RoundTripRow[]): string {
  const total = (p: RoundTrip) => ROUND_TRIP_PARTS.reduce((sum, k) => sum + p[k], 0);
  const header = ['nodes', 'parse ms', ...ROUND_TRIP_PARTS.map((k) => `${k} ms`), 'host ms', 'shape/parse', 'host/parse', 'parses', 'worker ms', 'host busy ms'];
  const body = rows.map((r) => [
    String(r.nodes),
    ms(r.parse),
    ...ROUND_TRIP_PARTS.map((k) => ms(r.parts[k])),
    ms(total(r.parts)),
    ratio(r.parts.edit + r.parts.apply + r.parts.shape, r.parse),
    ratio(total(r.parts), r.parse),
    String(r.parses),
    ms(r.worker.wall),
    ms(r.worker.hostBusy),
  ]);
  return [
    'Edit round trip on the extension host (DesignerSession, as the extension runs it; the frame that draws it is the',
    "browser's part, bench/canvas/latency.ts), a node moved or added, median ms and ratios to parse of the same YAML:",
    '  edit: the intent checked, its operations turned into text edits, the edited text parsed (the parse the rest reuses)',
    '  apply: the WorkspaceEdit ranges, applied to the text',
    '  shape: the design read from that parse (schema), the shape state (findings pending) checked and posted; the canvas draws it',
    '  analysis: the rules on the host thread (the parse reused); state: the state with the findings built, checked, posted',
    '  host: all of it on the host thread (what designs below the worker threshold cost); shape/parse: until the shape is sent',
    '  parses: times the YAML text is parsed per intent, through the shape and the analysis (src/document/read-yaml.ts)',
    "  worker: the same analysis in the analysis worker (src/extension/analysis), wall time, and the host thread's busy time meanwhile",
    table(header, body),
  ].join('\n');
}

export interface LayoutRow {
  readonly name: string;
  readonly nodes: number;
  readonly parse: number;
  readonly layout: number;
  /** The canvas's edge routes at those positions (undefined: the design is over the routing limit). */
  readonly routes: number | undefined;
}

export async function measureLayouts(nodes: number, warmup: number, repetitions: number): Promise<LayoutRow[]> {
  const designs = [
    { name: 'reference', text: referenceDesign(), nodes: 0 },
    { name: `${nodes} nodes`, text: generateDesign(nodes).text, nodes },
  ];
  const rows: LayoutRow[] = [];
  for (const d of designs) {
    const count = d.nodes || (parseDesign(d.text).design?.nodes.length ?? 0);
    rows.push({
      name: d.name,
      nodes: count,
      parse: parseBaseline(d.text, warmup, repetitions),
      layout: await benchLayout(d.text, warmup, repetitions),
      routes: await benchRoutes(d.text, warmup, repetitions),
    });
  }
  return rows;
}

export function formatLayouts(rows: readonly LayoutRow[]): string {
  return [
    'Architecture layout (src/webview/layout/architecture.ts, ELK layered, every saved position dropped), median ms and ratio to parse;',
    "  routes: the canvas's edge routes at those positions (src/webview/layout/route.ts; '-': over its node limit, step paths):",
    table(
      ['design', 'nodes', 'parse ms', 'layout ms', 'layout/parse', 'routes ms'],
      rows.map((r) => [r.name, String(r.nodes), ms(r.parse), ms(r.layout), ratio(r.layout, r.parse), r.routes === undefined ? '-' : ms(r.routes)]),
    ),
  ].join('\n');
}
