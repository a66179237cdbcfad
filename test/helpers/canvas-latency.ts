/**
 * How long the canvas takes to show the effect of a gesture, in headless chromium: the designer webview (bundled
 * in production mode, as shipped) with the fake host of the browser tests, which answers every edit with the
 * project's own core. Used by test/browser/latency.test.ts (which asserts the medians) and `npm run bench`
 * (which prints them). The same gestures and samples (`measureActions`, with a LatencyDriver) are taken in a real
 * VS Code by test/e2e/latency.test.ts, inside the webview's frame in code-server, where the extension answers.
 *
 * One sample: a listener (capture phase, on window) takes the event's timeStamp of the key or mouse event that
 * ends the gesture; a MutationObserver watches the document until the change is in the DOM (the new node present
 * and no longer hidden for want of a size, the node marked as moved, the new edge present, the node's text showing
 * the new value): that is "dom". The next requestAnimationFrame callback after it, the frame that paints the
 * change, is "frame". Both are milliseconds from the event. Headless chromium ties requestAnimationFrame to 60 Hz,
 * so "frame" includes the wait for the next frame boundary (0 to 16.7 ms, depending on when the event came).
 *
 * Between samples the host answers the edit (applyOperations, analyze, state with `ack`) and the test waits until
 * nothing is pending any more, so that every sample starts from a settled canvas, as a user's next gesture would.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { generateDesign } from '../../bench/designs.js';
import { applyOperations } from '../../src/document/edits/index.js';
import { parseDesign } from '../../src/document/parse.js';
import type { Design, NodeType } from '../../src/schemas/design.js';
import { connectIndex, connectionChoice } from '../../src/webview/connect.js';
import { newEdgeId, edgeIds, newNodeId, nodeIds } from '../../src/webview/ids.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';
import { newContext, poll, settle } from './chromium.js';
import { REFERENCE } from './reference.js';
import { FakeHost, ORIGIN, ROOT, serveFiles } from './webview-page.js';

export type LatencyAction = 'add' | 'move' | 'connect' | 'property';
export const LATENCY_ACTIONS: readonly LatencyAction[] = ['add', 'move', 'connect', 'property'];

export interface LatencySamples {
  /** Event to the change in the DOM, ms. */
  readonly dom: number[];
  /** Event to the next animation frame after the change, ms. */
  readonly frame: number[];
  /**
   * Animation frames from the event to the one that paints the change: 1 when the change is painted in the first
   * frame after the event. A busy machine makes frames late, not more of them, so this holds where ms do not.
   */
  readonly frames: number[];
  /**
   * Main-thread CPU time from the event to the frame, ms: the thread time between two performance marks, one in
   * the event's listener and one in the frame's callback, read from a Chrome trace (`tts`, the thread's own clock,
   * which does not run while the thread waits for a core). The work the gesture costs, whatever else the machine
   * is doing; a long frame shows here where the frame count cannot see it. Taken by the browser tests' driver
   * (`cpu: true`), not in code-server.
   */
  readonly cpu: number[];
}

export interface LatencyResult {
  readonly design: string;
  readonly nodes: number;
  readonly actions: Record<LatencyAction, LatencySamples>;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The designs measured: the reference design and generated ones of `sizes` nodes, laid out on a grid. */
export function latencyDesigns(sizes: readonly number[] = [100, 1000]): { name: string; text: string }[] {
  return [{ name: 'reference', text: REFERENCE }, ...sizes.map((n) => ({ name: `${n} nodes`, text: withGridLayout(generateDesign(n).text) }))];
}

/** Every node placed (otherwise the canvas lays them out and sends that as an edit of its own). */
function withGridLayout(text: string): string {
  const design = parseDesign(text).design!;
  const cols = Math.ceil(Math.sqrt(design.nodes.length));
  const positions = Object.fromEntries(design.nodes.map((n, i) => [n.id, { x: (i % cols) * 220, y: Math.floor(i / cols) * 140 }]));
  const result = applyOperations(text, [{ op: 'setLayout', positions }]);
  if (!result.ok) throw new Error(result.error);
  return result.text;
}

/** Bundles the webview in production mode (as scripts/build.mjs --production does) into a scratch folder. */
export async function bundleWebview(options: { minify?: boolean } = {}): Promise<{ dir: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-latency-'));
  await build({
    entryPoints: { webview: join(ROOT, 'src', 'webview', 'main.tsx') },
    outdir: dir,
    bundle: true,
    platform: 'browser',
    target: ['chrome120'],
    format: 'iife',
    jsx: 'automatic',
    minify: options.minify ?? true,
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.svg': 'text' },
    logLevel: 'warning',
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What the measurements run against. `view` is the document the webview runs in: the page itself in the browser
 * tests, the designer's inner frame in code-server (the samples are taken with that frame's window, clock and
 * animation frames). Keys and the mouse go through `page`, the top page, as a user's would.
 */
export interface LatencyDriver {
  readonly page: Page;
  readonly view: Page | Frame;
  /** The design as the host holds it now (the ids of new nodes and edges are chosen from it). */
  design(): Design | Promise<Design>;
  /** Opens the inspector on node `id`. */
  inspect(id: string): Promise<void>;
  /**
   * After each sample: the host has answered the intent, and the canvas is settled for the next one. `changed` is
   * the id of the node or edge the gesture added or changed. A driver with `undoes` takes each change back again
   * (the next sample starts from the same design).
   */
  afterSample(action: LatencyAction, changed: string): Promise<void>;
  readonly undoes?: boolean;
  /** Called just before the event of each sample and just after its frame (bench/canvas/latency-profile.ts profiles between). */
  readonly probe?: LatencyProbe;
}

export interface LatencyProbe {
  start(action: LatencyAction): Promise<void>;
  /** Returns the sample's main-thread CPU time (ms) when the probe measures it. */
  stop(action: LatencyAction): Promise<number | void>;
}

/** Thread time (tts, microseconds) of the last performance mark named `name` on the thread of the marks. */
function markThreadTime(events: readonly { name: string; cat?: string; tts?: number; tid: number }[], name: string): number | undefined {
  let found: number | undefined;
  for (const e of events) if (e.name === name && e.cat?.includes('blink.user_timing') && e.tts !== undefined) found = e.tts;
  return found;
}

/**
 * A probe that traces each sample (the user timing category only, a few events) and reads the main thread's CPU
 * time between the marks the page sets at the event and in the frame's callback (see `arm`).
 */
export async function cpuProbe(browser: Browser, page: Page): Promise<LatencyProbe> {
  return {
    async start() {
      await browser.startTracing(page, { categories: ['blink.user_timing'] });
    },
    async stop() {
      const buffer = await browser.stopTracing();
      const events = (JSON.parse(buffer.toString()) as { traceEvents: { name: string; cat?: string; tts?: number; tid: number }[] }).traceEvents;
      const from = markThreadTime(events, 'latency-event');
      const to = markThreadTime(events, 'latency-frame');
      if (from === undefined || to === undefined) throw new Error('the trace of the sample has no thread time for its marks');
      return (to - from) / 1000;
    },
  };
}

type Check = { kind: 'visible' | 'attached' | 'pending' } | { kind: 'text'; text: string };

/** Starts watching for one sample: the first `eventType` (with `key`, when given) after this call, then `check` on `selector`. */
async function arm(view: Page | Frame, eventType: string, key: string | undefined, selector: string, check: Check): Promise<void> {
  await view.evaluate(
    ({ eventType, key, selector, check }) => {
      const w = window as unknown as { latency?: Promise<{ dom: number; frame: number; frames: number }> };
      w.latency = new Promise((resolve, reject) => {
        let start: number | undefined;
        let frames = 0;
        let counting = true;
        const count = () => {
          if (!counting) return;
          frames++;
          requestAnimationFrame(count);
        };
        const onEvent = (e: Event) => {
          if (start !== undefined || (key !== undefined && (e as KeyboardEvent).key !== key)) return;
          start = e.timeStamp;
          performance.mark('latency-event');
          // bench/canvas/latency-profile.ts: a CPU profile of exactly what runs from the event to the frame.
          if ((window as unknown as { latencyProfile?: boolean }).latencyProfile) console.profile('latency');
          requestAnimationFrame(count);
        };
        window.addEventListener(eventType, onEvent, true);
        const shown = (): boolean => {
          const el = document.querySelector<HTMLElement>(selector);
          if (!el) return false;
          switch (check.kind) {
            case 'attached':
              return true;
            case 'visible':
              return el.style.visibility !== 'hidden';
            case 'pending':
              return el.getAttribute('data-pending') === 'true';
            case 'text':
              return (el.textContent ?? '').includes(check.text);
          }
        };
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${selector} did not show the change within 30 s (${start === undefined ? `no ${eventType} event seen` : 'the event was seen'})`));
        }, 30_000);
        const observer = new MutationObserver(() => {
          if (start === undefined || !shown()) return;
          const dom = performance.now();
          observer.disconnect();
          clearTimeout(timer);
          window.removeEventListener(eventType, onEvent, true);
          const from = start;
          // The frames already drawn since the event, and the one that paints the change.
          const before = frames;
          counting = false;
          requestAnimationFrame(() => {
            const frame = performance.now() - from;
            performance.mark('latency-frame');
            if ((window as unknown as { latencyProfile?: boolean }).latencyProfile) console.profileEnd('latency');
            resolve({ dom: dom - from, frame, frames: before + 1 });
          });
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      });
    },
    { eventType, key, selector, check },
  );
}

async function sample(view: Page | Frame): Promise<{ dom: number; frame: number; frames: number }> {
  return view.evaluate(() => (window as unknown as { latency: Promise<{ dom: number; frame: number; frames: number }> }).latency);
}

const byTestId = (id: string) => `[data-testid="${id}"]`;

/** The host answers the last edit and the canvas settles (nothing pending any more). */
async function answer(page: Page, host: FakeHost): Promise<void> {
  const edit = await host.nextEdit();
  await host.apply(edit.operations);
  await poll(async () => (await page.locator('[data-pending="true"]').count()) === 0, { timeout: 60_000, message: 'nothing pending' });
  await settle(page);
}

function hostDesign(host: FakeHost): Design {
  return parseDesign(host.text).design!;
}

/** The browser tests' driver: the fake host answers each edit after the sample. */
function fakeHostDriver(page: Page, host: FakeHost, probe: LatencyProbe | undefined): LatencyDriver {
  return {
    ...(probe ? { probe } : {}),
    page,
    view: page,
    design: () => hostDesign(host),
    async inspect(id) {
      await page.evaluate((id) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'reveal', target: { kind: 'node', id } } })), id);
      await page.getByTestId(testIdOf.tab('inspector')).click();
      await poll(async () => (await page.getByTestId('inspector-title').textContent())?.includes(id), { message: `the inspector on ${id}` });
    },
    async afterSample(action, changed) {
      await answer(page, host);
      if (action !== 'connect') return;
      // Taken away again (as if undone in the editor), so that each sample connects the same pair.
      await host.apply([{ op: 'disconnect', id: changed }]);
      await page.locator(byTestId(testIdOf.flowEdge(changed))).waitFor({ state: 'detached' });
    },
  };
}

async function measureAdd(d: LatencyDriver, samples: number, out: LatencySamples): Promise<void> {
  const type: NodeType = 'containerRegistry';
  for (let i = 0; i < samples; i++) {
    const id = newNodeId(type, nodeIds(await d.design()));
    await d.view.getByTestId(testIdOf.paletteItem(type)).focus();
    await settle(d.view);
    await arm(d.view, 'keydown', 'Enter', byTestId(testIdOf.flowNode(id)), { kind: 'visible' });
    await d.probe?.start('add');
    await d.page.keyboard.press('Enter');
    push(out, await sample(d.view));
    const cpu = await d.probe?.stop('add');
    if (typeof cpu === 'number') out.cpu.push(cpu);
    await d.afterSample('add', id);
  }
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** On-screen width at which a user grabs a node to drag it (the canvas at zoom 0.75). */
const GRAB_WIDTH = 120;
/** How far a node must be inside the pane to be dragged without the drag leaving it. */
const PANE_MARGIN = 80;

/** The canvas pane and every drawn node, in the page's coordinates (as the mouse takes them). */
async function drawn(d: LatencyDriver): Promise<{ pane: Box; nodes: { id: string; box: Box }[] }> {
  const pane = (await d.view.locator('.react-flow__pane').boundingBox())!;
  // Boxes measured inside the view's document, shifted by where that document sits in the page (code-server's frames).
  const inner = await d.view.locator('.react-flow__pane').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y };
  });
  const nodes = await d.view.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-id') ?? '', box: { x: r.x, y: r.y, width: r.width, height: r.height } };
    }),
  );
  const dx = pane.x - inner.x;
  const dy = pane.y - inner.y;
  return { pane, nodes: nodes.map((n) => ({ id: n.id, box: { ...n.box, x: n.box.x + dx, y: n.box.y + dy } })) };
}

/**
 * Brings node `id` where a user would drag it, as a user would: zoomed in with the mouse wheel over it until it is
 * large enough to grab, then the view panned (dragging the pane's background) until it sits well inside the pane.
 * A large design fitted to the pane draws it a few pixels wide, at the pane's edge: a drag there pans the view.
 */
async function bringIntoReach(d: LatencyDriver, id: string): Promise<void> {
  const node = d.view.getByTestId(testIdOf.flowNode(id));
  for (let i = 0; i < 20; i++) {
    const box = (await node.boundingBox())!;
    if (box.width >= GRAB_WIDTH) break;
    await d.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await d.page.mouse.wheel(0, -240);
    await settle(d.view);
  }
  for (let i = 0; i < 3; i++) {
    const { pane, nodes } = await drawn(d);
    const box = (await node.boundingBox())!;
    const inside = box.x >= pane.x + PANE_MARGIN && box.y >= pane.y + PANE_MARGIN && box.x + box.width <= pane.x + pane.width - PANE_MARGIN && box.y + box.height <= pane.y + pane.height - PANE_MARGIN;
    if (inside) return;
    // A point of the pane's background (no node, no container's title) to drag the view by.
    const free = (x: number, y: number) => !nodes.some((n) => overlap(n.box, { x: x - 4, y: y - 4, width: 8, height: 8 }));
    const want = { x: pane.x + pane.width / 2 - (box.x + box.width / 2), y: pane.y + pane.height / 2 - (box.y + box.height / 2) };
    let start: { x: number; y: number } | undefined;
    for (let gy = 0.1; gy < 0.95 && !start; gy += 0.05) {
      for (let gx = 0.1; gx < 0.95 && !start; gx += 0.05) {
        const p = { x: pane.x + pane.width * gx, y: pane.y + pane.height * gy };
        const q = { x: p.x + want.x, y: p.y + want.y };
        if (free(p.x, p.y) && q.x > pane.x && q.y > pane.y && q.x < pane.x + pane.width && q.y < pane.y + pane.height) start = p;
      }
    }
    if (!start) throw new Error(`no background of the pane to drag the view by, to bring ${id} into reach`);
    await d.page.mouse.move(start.x, start.y);
    await d.page.mouse.down();
    await d.page.mouse.move(start.x + want.x, start.y + want.y, { steps: 8 });
    await d.page.mouse.up();
    await settle(d.view);
  }
  throw new Error(`${id} could not be brought inside the pane`);
}

/**
 * The drag of a sample: 40 px sideways and 20 px down or up, into free space (no other node, container or
 * endpoint under the node where it lands, and the pane around it), left first. The internet node of the reference
 * design sits left of the virtual network: a drop inside the network would be refused (a service outside every
 * subnet cannot move into it), which is not the gesture measured here.
 */
async function freeMove(d: LatencyDriver, id: string): Promise<{ dx: number; dy: number }> {
  const { pane, nodes } = await drawn(d);
  const self = nodes.find((n) => n.id === id)!.box;
  for (const [dx, dy] of [[-40, 20], [40, 20], [-40, -20], [40, -20]] as const) {
    const to = { ...self, x: self.x + dx, y: self.y + dy };
    const inPane = to.x >= pane.x + 8 && to.y >= pane.y + 8 && to.x + to.width <= pane.x + pane.width - 8 && to.y + to.height <= pane.y + pane.height - 8;
    if (inPane && !nodes.some((n) => n.id !== id && overlap(n.box, to))) return { dx, dy };
  }
  throw new Error(`no free space next to ${id} to drag it into`);
}

async function measureMove(d: LatencyDriver, samples: number, out: LatencySamples): Promise<void> {
  const id = 'internet';
  await bringIntoReach(d, id);
  const move = await freeMove(d, id);
  for (let i = 0; i < samples; i++) {
    const box = (await d.view.getByTestId(testIdOf.flowNode(id)).boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    // There and back again; a driver that undoes each move starts every sample from the same place: always there.
    const back = !d.undoes && i % 2 === 1;
    const dx = back ? -move.dx : move.dx;
    const dy = back ? -move.dy : move.dy;
    await d.page.mouse.move(from.x, from.y);
    await d.page.mouse.down();
    await d.page.mouse.move(from.x + Math.sign(dx) * 6, from.y + Math.sign(dy) * 3, { steps: 2 });
    await d.page.mouse.move(from.x + dx, from.y + dy, { steps: 6 });
    await arm(d.view, 'pointerup', undefined, byTestId(testIdOf.flowNode(id)), { kind: 'pending' });
    await d.probe?.start('move');
    await d.page.mouse.up();
    push(out, await sample(d.view));
    const cpu = await d.probe?.stop('move');
    if (typeof cpu === 'number') out.cpu.push(cpu);
    await d.afterSample('move', id);
  }
}

/** A pair the canvas connects with one edge type without asking (not mTLS), not connected yet. */
function connectablePair(design: Design): { from: string; to: string; type: string } {
  const index = connectIndex(design);
  const from = 'defender';
  for (const n of design.nodes) {
    const choice = connectionChoice(index, from, n.id);
    if (choice.kind === 'one' && choice.type !== 'mtls') return { from, to: n.id, type: choice.type };
  }
  throw new Error('no node to connect Defender for Cloud to');
}

async function measureConnect(d: LatencyDriver, samples: number, out: LatencySamples): Promise<void> {
  for (let i = 0; i < samples; i++) {
    const design = await d.design();
    const pair = connectablePair(design);
    const id = newEdgeId(pair.from, pair.to, pair.type, edgeIds(design)) ?? `${pair.from}-${pair.to}`;
    // Selected alone (C connects the selected node), then C. Selected with the keyboard (focus, Enter), as a click
    // at its centre can land on an edge drawn over it in a large design.
    await d.view.getByTestId(testIdOf.flowNode(pair.from)).focus();
    await d.page.keyboard.press('Enter');
    await poll(async () => (await d.view.locator('.react-flow__node.selected').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).join() === pair.from, {
      message: `${pair.from} selected alone`,
    });
    await d.page.keyboard.press('c');
    const filter = d.view.getByTestId(TEST_IDS.targetFilter);
    await filter.waitFor({ state: 'visible' });
    await filter.fill(pair.to);
    await d.view.getByTestId(testIdOf.targetOption(pair.to)).waitFor({ state: 'visible' });
    await settle(d.view);
    await arm(d.view, 'keydown', 'Enter', byTestId(testIdOf.flowEdge(id)), { kind: 'attached' });
    await d.probe?.start('connect');
    await filter.press('Enter');
    push(out, await sample(d.view));
    const cpu = await d.probe?.stop('connect');
    if (typeof cpu === 'number') out.cpu.push(cpu);
    await d.afterSample('connect', id);
  }
}

async function measureProperty(d: LatencyDriver, samples: number, out: LatencySamples): Promise<void> {
  const id = 'logs';
  const field = d.view.getByTestId('field-properties.retentionDays').locator('input');
  for (let i = 0; i < samples; i++) {
    if (i === 0 || !(await field.isVisible())) await d.inspect(id);
    const days = String(100 + i);
    await field.fill(days);
    await settle(d.view);
    await arm(d.view, 'keydown', 'Enter', byTestId(testIdOf.node(id)), { kind: 'text', text: days });
    await d.probe?.start('property');
    await field.press('Enter');
    push(out, await sample(d.view));
    const cpu = await d.probe?.stop('property');
    if (typeof cpu === 'number') out.cpu.push(cpu);
    await d.afterSample('property', id);
  }
}

function push(out: LatencySamples, s: { dom: number; frame: number; frames: number }): void {
  out.dom.push(s.dom);
  out.frame.push(s.frame);
  out.frames.push(s.frames);
}

const MEASURES: Record<LatencyAction, (driver: LatencyDriver, samples: number, out: LatencySamples) => Promise<void>> = {
  add: measureAdd,
  move: measureMove,
  connect: measureConnect,
  property: measureProperty,
};

/** Takes `samples` samples of each action, in order, through `driver`, on the design the webview shows. */
export async function measureActions(
  driver: LatencyDriver,
  samples: number,
  actions: readonly LatencyAction[] = LATENCY_ACTIONS,
): Promise<Record<LatencyAction, LatencySamples>> {
  const results = {} as Record<LatencyAction, LatencySamples>;
  for (const action of actions) {
    const out: LatencySamples = { dom: [], frame: [], frames: [], cpu: [] };
    await MEASURES[action](driver, samples, out);
    results[action] = out;
  }
  return results;
}

/** Opens the bundled webview on `text` and takes `samples` samples of each action, on one page. */
export async function measureLatency(
  browser: Browser,
  bundleDir: string,
  design: { name: string; text: string },
  samples: number,
  actions: readonly LatencyAction[] = LATENCY_ACTIONS,
  /** Made for the page once it is open (a profiler attached to it, say); `cpu` takes each sample's CPU time. */
  probeFor?: ((page: Page) => Promise<LatencyProbe>) | 'cpu',
): Promise<LatencyResult & { errors: string[] }> {
  const context = await newContext(browser, { viewport: { width: 1400, height: 900 } });
  try {
    await serveFiles(context, {
      '/': join(ROOT, 'test', 'browser', 'fixture.html'),
      '/webview.js': join(bundleDir, 'webview.js'),
      '/webview.css': join(bundleDir, 'webview.css'),
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(`${ORIGIN}/?theme=light`);
    await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === 'ready'), undefined, { timeout: 30_000 });
    const host = new FakeHost(page, design.text);
    const state = await host.send();
    const nodes = state.design!.nodes.length;
    await poll(async () => (await page.locator('.react-flow__node').count()) > 0, { timeout: 120_000, message: 'the design drawn' });
    await page.locator('.react-flow__node').first().waitFor({ state: 'visible', timeout: 120_000 });
    const probe = probeFor === 'cpu' ? await cpuProbe(browser, page) : probeFor ? await probeFor(page) : undefined;
    return { design: design.name, nodes, actions: await measureActions(fakeHostDriver(page, host, probe), samples, actions), errors };
  } finally {
    await context.close();
  }
}

/** A table of the medians, one row per design. */
export function formatLatencyTable(results: readonly LatencyResult[]): string {
  const cpu = results.some((r) => LATENCY_ACTIONS.some((a) => r.actions[a]?.cpu.length));
  const header = ['design', 'nodes', ...LATENCY_ACTIONS.map((a) => `${a} frame / dom${cpu ? ' / cpu' : ''} (ms)`)];
  const rows = results.map((r) => [
    r.design,
    String(r.nodes),
    ...LATENCY_ACTIONS.map((a) => {
      const s = r.actions[a];
      return s ? `${median(s.frame).toFixed(1)} / ${median(s.dom).toFixed(1)}${cpu ? ` / ${s.cpu.length ? median(s.cpu).toFixed(1) : '-'}` : ''}` : '-';
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
