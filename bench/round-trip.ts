/**
 * The edit round trip on the extension host, through the code the extension runs: an intent from the canvas (an
 * `edit` message) -> DesignerSession (the message checked, the operations turned into text edits, src/document/edits)
 * and the edited text parsed once (src/document/read-yaml.ts) -> the edits applied to the text -> the shape state
 * (the design read from that parse, checked, posted) -> the analysis (the
 * rules; on the host thread it reuses the shape's parse, as the extension does for small designs) -> the state
 * message built, checked and posted. Drawing it is the browser's part, measured by bench/canvas/latency.ts.
 * Also: the same analysis in the analysis worker (src/extension/analysis), its wall time and the host thread's busy
 * time meanwhile, and the architecture layout (src/webview/layout/architecture.ts, ELK) the canvas runs.
 */
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { applyEdits } from '../src/document/edits/index.js';
import { parseDesign } from '../src/document/parse.js';
import { yamlReads } from '../src/document/read-yaml.js';
import { Analyzer } from '../src/extension/analysis/analyzer.js';
import { positionAt, toReplacements } from '../src/extension/designer/ranges.js';
import { DesignerSession, type SessionDocument, type SessionHost } from '../src/extension/designer/session.js';
import type { HostMessage, WebviewMessage } from '../src/schemas/messages.js';
import type { TextEdit } from '../src/schemas/operations.js';
import { analyze } from '../src/validation/analyze.js';
import { layoutArchitecture } from '../src/webview/layout/architecture.js';
import { routeEdges, ROUTE_NODE_LIMIT, sceneOf } from '../src/webview/layout/route.js';
import { networkGeometry, networkModel, type Rect } from '../src/webview/containers/network.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../src/webview/graph.js';
import { generateDesign } from './designs.js';
import { median } from './bench.js';

/** The parts of one round trip, in ms. */
export interface RoundTrip {
  /** The edit message checked, its operations turned into text edits and the edited text parsed (applyOperations). */
  readonly edit: number;
  /** The text edits as ranges (what becomes the WorkspaceEdit) and applied to the text. */
  readonly apply: number;
  /** The design of the new text read from the edit's parse, and its shape (findingsPending) checked and posted. */
  readonly shape: number;
  /** The analysis on the host thread (parse reused, schema, the rules, every finding located). */
  readonly analysis: number;
  /** The state message with the findings built, checked and posted. */
  readonly state: number;
}

export const ROUND_TRIP_PARTS = ['edit', 'apply', 'shape', 'analysis', 'state'] as const;

/** The medians of one size: the parts in ms, and how many times the YAML text was parsed per round trip. */
export interface RoundTripResult {
  readonly parts: RoundTrip;
  /** Parses of the design text per intent, through the shape and the analysis (src/document/read-yaml.ts). */
  readonly parses: number;
}

/** The document and the webview of a session, in memory: the host side of the extension without VS Code. */
class BenchHost implements SessionHost, SessionDocument {
  readonly fileName = '/bench/bench.gatewright.yaml';
  version = 1;
  /** When each part of the round trip ended (performance.now()). */
  marks: Record<string, number> = {};
  constructor(public text: string) {}
  getText(): string {
    return this.text;
  }
  post(message: HostMessage): boolean {
    if (message.type === 'state') this.marks[message.findingsPending ? 'shape' : 'state'] = performance.now();
    return true;
  }
  async applyEdits(edits: readonly TextEdit[]): Promise<boolean> {
    this.marks.edit = performance.now();
    const text = this.text;
    // What applyTextEdits (src/extension/designer/provider.ts) hands VS Code: ranges; VS Code applies them.
    const ranges = toReplacements(edits, (offset) => positionAt(text, offset));
    if (ranges.length !== edits.length) throw new Error('an edit was lost');
    this.text = applyEdits(text, [...edits].sort((a, b) => a.offset - b.offset));
    this.version++;
    this.marks.apply = performance.now();
    return true;
  }
  revealInText = async (): Promise<void> => {};
  runCommand = async (): Promise<void> => {};
  currentAnalysis = () => analyze(this.text);
  showError(message: string): void {
    throw new Error(message);
  }
  readonly log = { debug: () => {}, info: () => {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };
}

/** One intent: a node moved (the commonest gesture), then a node added, taking turns. */
function intent(seq: number, version: number): Extract<WebviewMessage, { type: 'edit' }> {
  const operations =
    seq % 2
      ? [{ op: 'moveNode' as const, id: 'apim-0000', position: { x: 300 + seq, y: 120 } }]
      : [{ op: 'addNode' as const, node: { id: `bench-kv-${seq}`, type: 'keyVault' }, position: { x: 40 * seq, y: 2400 } }];
  return { type: 'edit', baseVersion: version, operations, label: seq % 2 ? 'Move API Management' : 'Add Key Vault', seq };
}

/** Medians of each part of the round trip over `repetitions` intents (after `warmup`) on a design of `nodes` nodes. */
export async function benchRoundTrip(nodes: number, warmup: number, repetitions: number): Promise<RoundTripResult> {
  const current = new BenchHost(generateDesign(nodes).text);
  const session = new DesignerSession(current, current);
  await session.handle({ type: 'ready' });
  const samples: Record<keyof RoundTrip, number[]> = { edit: [], apply: [], shape: [], analysis: [], state: [] };
  const parses: number[] = [];
  for (let i = 1; i <= warmup + repetitions; i++) {
    current.marks = {};
    const parsesBefore = yamlReads().parses;
    const start = performance.now();
    await session.handle(intent(i, current.version));
    const analysisStart = performance.now();
    const analysis = analyze(current.text);
    const analysisEnd = performance.now();
    await session.analyzed(analysis);
    const parsed = yamlReads().parses - parsesBefore;
    const m = current.marks;
    if (m.edit === undefined || m.apply === undefined || m.shape === undefined || m.state === undefined) throw new Error(`round trip ${i} did not go all the way: ${JSON.stringify(m)}`);
    if (i <= warmup) continue;
    samples.edit.push(m.edit - start);
    samples.apply.push(m.apply - m.edit);
    samples.shape.push(m.shape - m.apply);
    samples.analysis.push(analysisEnd - analysisStart);
    samples.state.push(m.state - analysisEnd);
    parses.push(parsed);
  }
  session.dispose();
  return { parts: Object.fromEntries(ROUND_TRIP_PARTS.map((k) => [k, median(samples[k])])) as unknown as RoundTrip, parses: median(parses) };
}

/** The median of parsing a text as YAML (parseDocument + toJS), the ratio's baseline, as bench.ts measures it. */
export function parseBaseline(text: string, warmup: number, repetitions: number): number {
  const samples: number[] = [];
  for (let i = 0; i < warmup + repetitions; i++) {
    const start = performance.now();
    parseDocument(text).toJS();
    if (i >= warmup) samples.push(performance.now() - start);
  }
  return median(samples);
}

/** The analysis in the worker: its wall time, and the host thread's busy time meanwhile (event loop utilization). */
export async function benchWorker(nodes: number, workerFile: string, warmup: number, repetitions: number): Promise<{ wall: number; hostBusy: number }> {
  const analyzer = new Analyzer({ workerFile, workerFromBytes: 0 });
  const text = generateDesign(nodes).text;
  const wall: number[] = [];
  const busy: number[] = [];
  try {
    for (let i = 1; i <= warmup + repetitions; i++) {
      const start = performance.now();
      const utilization = performance.eventLoopUtilization();
      const analysis = await analyzer.analyze({ key: 'bench', version: i, text: `${text}\n# ${i}\n` });
      if (!analysis || analysis.findings.length === 0) throw new Error('the worker gave no analysis');
      if (i <= warmup) continue;
      busy.push(performance.eventLoopUtilization(utilization).active);
      wall.push(performance.now() - start);
    }
  } finally {
    await analyzer.dispose();
  }
  return { wall: median(wall), hostBusy: median(busy) };
}

/** The architecture layout of a design's text (what the canvas runs on a design without positions). */
export async function benchLayout(text: string, warmup: number, repetitions: number): Promise<number> {
  const design = parseDesign(text).design;
  if (!design) throw new Error('the design does not parse');
  // Without its saved positions, as a design laid out anew.
  const bare = { ...design, layout: {} };
  const samples: number[] = [];
  for (let i = 0; i < warmup + repetitions; i++) {
    const start = performance.now();
    const laid = await layoutArchitecture(bare);
    if (i >= warmup) samples.push(performance.now() - start);
    if (Object.keys(laid.positions).length === 0) throw new Error('the layout placed nothing');
  }
  return median(samples);
}

/**
 * The edge routes the canvas computes for a design as drawn (src/webview/layout/route.ts, every edge shown): its
 * automatic layout's positions at the default node size, with the network's containers around them. Undefined
 * above ROUTE_NODE_LIMIT, where the canvas does not route.
 */
export async function benchRoutes(text: string, warmup: number, repetitions: number): Promise<number | undefined> {
  const design = parseDesign(text).design;
  if (!design) throw new Error('the design does not parse');
  if (design.nodes.length > ROUTE_NODE_LIMIT) return undefined;
  const laid = await layoutArchitecture({ ...design, layout: {} });
  const model = networkModel(design);
  const rects = new Map<string, Rect>(Object.entries(laid.positions).map(([id, p]) => [id, { ...p, width: NODE_WIDTH, height: NODE_HEIGHT }]));
  const geometry = model ? networkGeometry(model, new Map(Object.entries(laid.positions)), new Map(), laid.endpoints) : undefined;
  const scene = sceneOf(model, geometry, rects);
  const edges = design.edges.map((e) => ({ source: e.from, target: e.type === 'privateLink' && geometry?.endpoints.has(`pe:${e.to}`) ? `pe:${e.to}` : e.to }));
  for (const ep of model?.endpoints ?? []) edges.push({ source: ep.id, target: ep.target });
  const samples: number[] = [];
  for (let i = 0; i < warmup + repetitions; i++) {
    const start = performance.now();
    const routes = routeEdges(scene, edges);
    if (i >= warmup) samples.push(performance.now() - start);
    if (routes.size === 0) throw new Error('no edge routed');
  }
  return median(samples);
}
