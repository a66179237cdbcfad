/**
 * The canvas benchmark: the designer's canvas (the real webview bundle, fed by a fake host as in the browser
 * tests) against bare React Flow (bench/canvas/bare.tsx) drawing the same nodes at the same positions and the same
 * edges, in the same headless chromium, for designs of several sizes. Both are bundled here with esbuild in
 * production mode (minified, React's production build), the same way scripts/build.mjs bundles the webview.
 *
 * Two numbers per subject and size, each the median over the repetitions (a fresh page each time):
 * - first render: from handing over the data (dispatching the `state` message to our webview; calling render()
 *   on the bare page) to the end of the first frame that shows the final drawing: nodes in the DOM, measured
 *   (React Flow hides a node until it knows its size), the viewport fitted, and painted;
 * - drag frame: one node dragged with the mouse (mousedown on it, then one mousemove per frame, 5 px each); for
 *   each move, the time from dispatching the mousemove to the moment the node's new position is in the DOM and
 *   laid out: event handling, React's render and commit, and the style and layout it causes (forced in a
 *   MutationObserver callback on the node). This is the main-thread work of a drag frame without paint, measured
 *   to the microsecond; headless chromium ties requestAnimationFrame to 60 Hz whatever the flags, so timing whole
 *   frames would only tell "under 16.7 ms" apart from "over". The median move of each drag is taken, then the
 *   median over repetitions.
 * No absolute time is asserted; the ratio ours/bare is what to read (the issue aims for at most 1.5).
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateDesign } from '../designs.js';
import { DesignSchema, type Design } from '../../src/schemas/design.js';
import { parseDesign } from '../../src/document/parse.js';
import { launchChromium, newContext, settle } from '../../test/helpers/chromium.js';
import { ORIGIN, serveFiles } from '../../test/helpers/webview-page.js';
import type { StateMessage } from '../../src/extension/designer/state.js';
import type { BareInput } from './bare.js';

export type Subject = 'ours' | 'bare';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface CanvasBenchOptions {
  readonly sizes: readonly number[];
  /** Pages loaded per subject and size (default 3). */
  readonly repetitions: number;
  /** Mouse moves per drag (default 30). */
  readonly moves?: number;
  /** What to measure (default both; one alone for a quick look). */
  readonly subjects?: readonly Subject[];
  /** Called with a line of progress. */
  readonly progress?: (line: string) => void;
}

export interface Measure {
  /** Median first render, ms. */
  readonly render: number;
  /** Median drag frame, ms. */
  readonly drag: number;
  /** Nodes in the DOM once drawn (ours renders only the visible ones of a large design). */
  readonly drawn: number;
}

export interface CanvasRow {
  readonly nodes: number;
  readonly edges: number;
  readonly ours?: Measure;
  readonly bare?: Measure;
  /**
   * Ours/bare of each repetition (both subjects loaded one after the other), when both were measured: a ratio of
   * two loads a few seconds apart, which a machine busy with other work slows alike, is steadier than the ratio of
   * two medians taken over minutes.
   */
  readonly paired?: { readonly render: readonly number[]; readonly drag: readonly number[] };
}

/** The same positions for both subjects: a grid, roughly square. */
function gridLayout(ids: readonly string[]): Record<string, { x: number; y: number }> {
  const columns = Math.ceil(Math.sqrt(ids.length));
  return Object.fromEntries(ids.map((id, i) => [id, { x: (i % columns) * 280, y: Math.floor(i / columns) * 180 }]));
}

/** A design of `size` nodes with every node placed, and the same drawing for bare React Flow. */
export function benchInputs(size: number): { state: StateMessage; bare: BareInput; design: Design } {
  const generated = generateDesign(size);
  const parsed = parseDesign(generated.text);
  if (!parsed.design || !parsed.complete) throw new Error(`the generated design of ${size} nodes does not satisfy the schema`);
  const base = parsed.design;
  const layout = gridLayout(base.nodes.map((n) => n.id));
  const design = DesignSchema.parse({ ...base, layout });
  // Findings are not part of what is measured: the webview draws what it is sent, and a generated design of
  // repeated stamps has few of them. The state is the host's message shape with an empty list.
  const state: StateMessage = { type: 'state', version: 1, fileName: `/bench/${size}.gatewright.yaml`, design, findings: [], syntaxError: false };
  const bare: BareInput = {
    nodes: design.nodes.map((n) => ({ id: n.id, label: n.label ?? n.id, x: layout[n.id]!.x, y: layout[n.id]!.y })),
    edges: design.edges.map((e, i) => ({ id: `e${i}`, source: e.from, target: e.to })),
  };
  return { state, bare, design };
}

const WEBVIEW_BUILD: BuildOptions = {
  bundle: true,
  platform: 'browser',
  target: ['chrome120'],
  format: 'iife',
  jsx: 'automatic',
  minify: true,
  sourcemap: false,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.svg': 'text' },
  logLevel: 'warning',
};

/** Bundles our webview and the bare page, production mode, into a scratch folder. */
async function bundle(dir: string, subjects: readonly Subject[]): Promise<void> {
  await Promise.all([
    subjects.includes('ours') && build({ ...WEBVIEW_BUILD, entryPoints: { webview: join(ROOT, 'src', 'webview', 'main.tsx') }, outdir: join(dir, 'ours') }),
    subjects.includes('bare') && build({ ...WEBVIEW_BUILD, entryPoints: { bare: join(ROOT, 'bench', 'canvas', 'bare.tsx') }, outdir: join(dir, 'bare') }),
  ]);
  writeFileSync(
    join(dir, 'bare', 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="UTF-8"><link rel="stylesheet" href="bare.css">
<style>html,body,#root{margin:0;width:100%;height:100%}</style></head>
<body><div id="root"></div><script src="bare.js"></script></body></html>`,
  );
}

/** Loads a fresh page of `subject`; resolves when it is ready to be handed data. */
async function openSubject(browser: Browser, dir: string, subject: Subject): Promise<Page> {
  const context = await newContext(browser, { viewport: { width: 1600, height: 1000 } });
  await serveFiles(
    context,
    subject === 'ours'
      ? { '/': join(ROOT, 'test', 'browser', 'fixture.html'), '/webview.js': join(dir, 'ours', 'webview.js'), '/webview.css': join(dir, 'ours', 'webview.css') }
      : { '/': join(dir, 'bare', 'index.html'), '/bare.js': join(dir, 'bare', 'bare.js'), '/bare.css': join(dir, 'bare', 'bare.css') },
  );
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/`);
  if (subject === 'ours') {
    await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'));
  } else {
    await page.waitForFunction(() => 'bareFlow' in window);
  }
  return page;
}

/**
 * Hands the data over and times the first complete frame (see the top of the file). Returns [ms, nodes drawn].
 * "Complete" is the same rule for both subjects, since our canvas renders only the visible nodes of a large
 * design (React Flow's onlyRenderVisibleElements) and bare React Flow renders them all: at least one node drawn,
 * none hidden for want of a size, the viewport moved by fitView, and nothing of that changing for the next 5
 * frames. The time taken is the end of the first frame that showed that final state, not of the 5 that confirm it.
 */
export async function firstRender(page: Page, subject: Subject, data: StateMessage | BareInput): Promise<[number, number]> {
  await page.evaluate((d) => ((window as unknown as { benchData: unknown }).benchData = d), data as unknown);
  return page.evaluate(
    (subject) =>
      new Promise<[number, number]>((resolve, reject) => {
        const w = window as unknown as { benchData: unknown; bareFlow: { render(d: unknown): void } };
        const deadline = performance.now() + 120_000;
        /** A fingerprint of what is drawn, or undefined while it is not a complete drawing. */
        const drawn = (): string | undefined => {
          const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
          if (nodes.length === 0) return undefined;
          for (let i = 0; i < nodes.length; i++) if (nodes[i]!.style.visibility === 'hidden') return undefined;
          const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')?.style.transform ?? '';
          if (viewport === '' || viewport === 'translate(0px, 0px) scale(1)') return undefined;
          return `${nodes.length}|${viewport}`;
        };
        const start = performance.now();
        if (subject === 'ours') window.dispatchEvent(new MessageEvent('message', { data: w.benchData }));
        else w.bareFlow.render(w.benchData);
        let seen: string | undefined;
        let end = 0;
        let same = 0;
        const check = () => {
          const now = performance.now();
          const what = drawn();
          if (what !== undefined && what === seen) {
            same++;
            if (same === 1) end = now; // the frame that first showed it was painted just before this one
            if (same >= 5) return resolve([end - start, Number(what.split('|')[0])]);
          } else {
            seen = what;
            same = 0;
          }
          if (now > deadline) return reject(new Error(`the drawing did not settle in 120 s (last: ${what ?? 'incomplete'})`));
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    subject,
  );
}

/** Drags one visible node with `moves` mouse moves; returns the median frame time of a move (ms). */
export async function dragFrame(page: Page, moves: number): Promise<number> {
  return page.evaluate(
    (moves) =>
      new Promise<number>((resolve, reject) => {
        const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
        // A design node (ours draws the network and subnet containers as nodes too, which do not move).
        const nodes = Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node-arch, .react-flow__node-default'));
        // A node in the visible pane that stays well inside it for the whole drag (React Flow pans the view when the
        // pointer comes within 40 px of the pane's edge, which would time a pan of the whole drawing, not a drag),
        // the one nearest the pane's centre. The same rule for both subjects.
        const margin = 60;
        const cx = pane.left + pane.width / 2;
        const cy = pane.top + pane.height / 2;
        const inside = nodes
          .map((n) => ({ n, r: n.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 4 && r.left > pane.left + margin && r.right + 5 * moves < pane.right - margin && r.top > pane.top + margin && r.bottom + 3 * moves < pane.bottom - margin)
          // and the pointer lands on it, not on something drawn over it (the minimap, an edge label)
          .filter(({ n, r }) => n.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)))
          .sort((a, b) => Math.hypot(a.r.left + a.r.width / 2 - cx, a.r.top + a.r.height / 2 - cy) - Math.hypot(b.r.left + b.r.width / 2 - cx, b.r.top + b.r.height / 2 - cy));
        const node = inside[0]?.n;
        if (!node) return reject(new Error(`no node to drag: none of the ${nodes.length} nodes is inside the pane with room for the drag`));
        const r = node.getBoundingClientRect();
        let x = r.left + r.width / 2;
        let y = r.top + r.height / 2;
        // What a real mouse would press: the element at that point (a label inside the node, say).
        const target = document.elementFromPoint(x, y) ?? node;
        const mouse = (type: string, on: EventTarget) =>
          on.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, screenX: x, screenY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1 }));
        const before = node.style.transform;
        mouse('mousedown', target);
        const samples: number[] = [];
        let i = 0;
        let start = 0;
        let waiting = false;
        // The dragged node's new position reaches the DOM in React's commit: time from the move to that commit
        // plus the style and layout it forces (getBoundingClientRect), in the callback that sees the change.
        const observer = new MutationObserver(() => {
          if (!waiting) return;
          waiting = false;
          node.getBoundingClientRect();
          samples.push(performance.now() - start);
        });
        observer.observe(node, { attributes: true, attributeFilter: ['style'] });
        const step = () => {
          if (i === moves) {
            observer.disconnect();
            mouse('mouseup', window);
            if (node.style.transform === before) return reject(new Error('the node did not move: the drag was not seen'));
            if (samples.length < moves / 2) return reject(new Error(`only ${samples.length} of ${moves} moves reached the DOM`));
            const sorted = samples.sort((a, b) => a - b);
            const mid = sorted.length >> 1;
            return resolve(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
          }
          waiting = true;
          start = performance.now();
          x += 5;
          y += 3;
          mouse('mousemove', window);
          i++;
          // One move per frame, as a real drag: the next one after this frame is painted.
          requestAnimationFrame(() => requestAnimationFrame(step));
        };
        requestAnimationFrame(step);
      }),
    moves,
  );
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runCanvasBench(options: CanvasBenchOptions): Promise<CanvasRow[]> {
  const moves = options.moves ?? 30;
  const progress = options.progress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'gatewright-bench-canvas-'));
  const browser = await launchChromium();
  try {
    const subjects = options.subjects ?? ['ours', 'bare'];
    await bundle(dir, subjects);
    const rows: CanvasRow[] = [];
    for (const size of options.sizes) {
      const inputs = benchInputs(size);
      const samples: Record<Subject, { render: number[]; drag: number[]; drawn: number }> = {
        ours: { render: [], drag: [], drawn: 0 },
        bare: { render: [], drag: [], drawn: 0 },
      };
      for (let rep = 0; rep < options.repetitions; rep++) {
        // Alternate the order, so that neither subject always runs on a warmer machine.
        const order = rep % 2 ? [...subjects].reverse() : subjects;
        for (const subject of order) {
          const page = await openSubject(browser, dir, subject);
          try {
            const [ms, drawn] = await firstRender(page, subject, subject === 'ours' ? inputs.state : inputs.bare);
            await settle(page);
            const frame = await dragFrame(page, moves);
            samples[subject].render.push(ms);
            samples[subject].drag.push(frame);
            samples[subject].drawn = drawn;
            progress(`canvas ${size} nodes, ${subject} #${rep + 1}: first render ${ms.toFixed(0)} ms, drag frame ${frame.toFixed(1)} ms`);
          } finally {
            await page.context().close();
          }
        }
      }
      const measure = (s: Subject): Measure | undefined =>
        subjects.includes(s) ? { render: median(samples[s].render), drag: median(samples[s].drag), drawn: samples[s].drawn } : undefined;
      const both = subjects.includes('ours') && subjects.includes('bare');
      const pair = (k: 'render' | 'drag') => samples.ours[k].map((v, i) => v / samples.bare[k][i]!);
      rows.push({ nodes: size, edges: inputs.design.edges.length, ours: measure('ours'), bare: measure('bare'), ...(both ? { paired: { render: pair('render'), drag: pair('drag') } } : {}) });
    }
    return rows;
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatCanvasTable(rows: readonly CanvasRow[]): string {
  const fmt = (ms: number | undefined) => (ms === undefined ? '-' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`);
  const header = ['nodes', 'edges', 'drawn ours/bare', 'render ours ms', 'render bare ms', 'render ours/bare', 'drag ours ms', 'drag bare ms', 'drag ours/bare'];
  const body = rows.map((r) => [
    String(r.nodes),
    String(r.edges),
    `${r.ours?.drawn ?? '-'}/${r.bare?.drawn ?? '-'}`,
    fmt(r.ours?.render),
    fmt(r.bare?.render),
    ratio(r.ours?.render, r.bare?.render),
    fmt(r.ours?.drag),
    fmt(r.bare?.drag),
    ratio(r.ours?.drag, r.bare?.drag),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
