/**
 * How long the canvas takes to show the effect of a gesture, in headless chromium: the designer webview (bundled
 * in production mode, as shipped) with the fake host of the browser tests, which answers every edit with the
 * project's own core. Used by test/browser/latency.test.ts (which asserts the medians) and `npm run bench`
 * (which prints them).
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
import type { Browser, Page } from 'playwright-core';
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
export async function bundleWebview(): Promise<{ dir: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'gw-latency-'));
  await build({
    entryPoints: { webview: join(ROOT, 'src', 'webview', 'main.tsx') },
    outdir: dir,
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
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

type Check = { kind: 'visible' | 'attached' | 'pending' } | { kind: 'text'; text: string };

/** Starts watching for one sample: the first `eventType` (with `key`, when given) after this call, then `check` on `selector`. */
async function arm(page: Page, eventType: string, key: string | undefined, selector: string, check: Check): Promise<void> {
  await page.evaluate(
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
          requestAnimationFrame(() => resolve({ dom: dom - from, frame: performance.now() - from, frames: before + 1 }));
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      });
    },
    { eventType, key, selector, check },
  );
}

async function sample(page: Page): Promise<{ dom: number; frame: number; frames: number }> {
  return page.evaluate(() => (window as unknown as { latency: Promise<{ dom: number; frame: number; frames: number }> }).latency);
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

async function measureAdd(page: Page, host: FakeHost, samples: number, out: LatencySamples): Promise<void> {
  const type: NodeType = 'containerRegistry';
  for (let i = 0; i < samples; i++) {
    const id = newNodeId(type, nodeIds(hostDesign(host)));
    await page.getByTestId(testIdOf.paletteItem(type)).focus();
    await settle(page);
    await arm(page, 'keydown', 'Enter', byTestId(testIdOf.flowNode(id)), { kind: 'visible' });
    await page.keyboard.press('Enter');
    push(out, await sample(page));
    await answer(page, host);
  }
}

async function measureMove(page: Page, host: FakeHost, samples: number, out: LatencySamples): Promise<void> {
  const id = 'internet';
  for (let i = 0; i < samples; i++) {
    const box = (await page.getByTestId(testIdOf.flowNode(id)).boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    // Left first and back again: the internet node sits left of the virtual network, and a drop inside the network
    // would be refused (a service outside every subnet cannot move into it), which is not the gesture measured here.
    const dx = i % 2 === 0 ? -40 : 40;
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 6, from.y + 3, { steps: 2 });
    await page.mouse.move(from.x + dx, from.y + 20 * (i % 2 === 0 ? 1 : -1), { steps: 6 });
    await arm(page, 'pointerup', undefined, byTestId(testIdOf.flowNode(id)), { kind: 'pending' });
    await page.mouse.up();
    push(out, await sample(page));
    await answer(page, host);
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

async function measureConnect(page: Page, host: FakeHost, samples: number, out: LatencySamples): Promise<void> {
  for (let i = 0; i < samples; i++) {
    const design = hostDesign(host);
    const pair = connectablePair(design);
    const id = newEdgeId(pair.from, pair.to, pair.type, edgeIds(design)) ?? `${pair.from}-${pair.to}`;
    // Selected alone (C connects the selected node), then C.
    await page.getByTestId(testIdOf.flowNode(pair.from)).click();
    await poll(async () => (await page.locator('.react-flow__node.selected').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).join() === pair.from, {
      message: `${pair.from} selected alone`,
    });
    await page.keyboard.press('c');
    const filter = page.getByTestId(TEST_IDS.targetFilter);
    await filter.waitFor({ state: 'visible' });
    await filter.fill(pair.to);
    await page.getByTestId(testIdOf.targetOption(pair.to)).waitFor({ state: 'visible' });
    await settle(page);
    await arm(page, 'keydown', 'Enter', byTestId(testIdOf.flowEdge(id)), { kind: 'attached' });
    await filter.press('Enter');
    push(out, await sample(page));
    await answer(page, host);
    // Taken away again (as if undone in the editor), so that each sample connects the same pair.
    await host.apply([{ op: 'disconnect', id }]);
    await page.locator(byTestId(testIdOf.flowEdge(id))).waitFor({ state: 'detached' });
  }
}

async function measureProperty(page: Page, host: FakeHost, samples: number, out: LatencySamples): Promise<void> {
  const id = 'logs';
  await page.evaluate((id) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'reveal', target: { kind: 'node', id } } })), id);
  await page.getByTestId(testIdOf.tab('inspector')).click();
  await poll(async () => (await page.getByTestId('inspector-title').textContent())?.includes(id), { message: `the inspector on ${id}` });
  const field = page.getByTestId('field-properties.retentionDays').locator('input');
  for (let i = 0; i < samples; i++) {
    const days = String(100 + i);
    await field.fill(days);
    await settle(page);
    await arm(page, 'keydown', 'Enter', byTestId(testIdOf.node(id)), { kind: 'text', text: days });
    await field.press('Enter');
    push(out, await sample(page));
    await answer(page, host);
  }
}

function push(out: LatencySamples, s: { dom: number; frame: number; frames: number }): void {
  out.dom.push(s.dom);
  out.frame.push(s.frame);
  out.frames.push(s.frames);
}

const MEASURES: Record<LatencyAction, (page: Page, host: FakeHost, samples: number, out: LatencySamples) => Promise<void>> = {
  add: measureAdd,
  move: measureMove,
  connect: measureConnect,
  property: measureProperty,
};

/** Opens the bundled webview on `text` and takes `samples` samples of each action, on one page. */
export async function measureLatency(
  browser: Browser,
  bundleDir: string,
  design: { name: string; text: string },
  samples: number,
  actions: readonly LatencyAction[] = LATENCY_ACTIONS,
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
    const results = {} as Record<LatencyAction, LatencySamples>;
    for (const action of actions) {
      const out: LatencySamples = { dom: [], frame: [], frames: [] };
      await MEASURES[action](page, host, samples, out);
      results[action] = out;
    }
    return { design: design.name, nodes, actions: results, errors };
  } finally {
    await context.close();
  }
}

/** A table of the medians, one row per design. */
export function formatLatencyTable(results: readonly LatencyResult[]): string {
  const header = ['design', 'nodes', ...LATENCY_ACTIONS.map((a) => `${a} frame / dom (ms)`)];
  const rows = results.map((r) => [
    r.design,
    String(r.nodes),
    ...LATENCY_ACTIONS.map((a) => {
      const s = r.actions[a];
      return s ? `${median(s.frame).toFixed(1)} / ${median(s.dom).toFixed(1)}` : '-';
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
