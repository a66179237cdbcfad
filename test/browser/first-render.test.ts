/**
 * The canvas's first render draws every node at once, at its size: the designer works out each node's size from its
 * texts (src/webview/canvas/node-size.ts) and hands it to React Flow, which otherwise draws a node hidden, measures
 * it and has every node built and rendered a second time before anything shows (the first-render cost of issue #14
 * item 6). Watched frame by frame in headless chromium from the moment the state is dispatched:
 * - the first frame that has nodes has none hidden (React Flow hides a node it has no size for);
 * - the sizes React Flow draws with in that frame (its minimap's node rectangles, which are drawn from React Flow's
 *   own record of each node's size) are the ones it still has once everything has settled: it corrected none;
 * - and they are the sizes the browser laid the nodes out at (offsetWidth x offsetHeight, what React Flow measures).
 * On the reference design, on one with long labels that wrap (a hyphenated host name, a long title), and on a
 * generated design of 200 nodes (the benchmark's), whose stamps carry every node type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { benchInputs } from '../../bench/canvas/run.js';
import { stateMessage, type StateMessage } from '../../src/extension/designer/state.js';
import { analyze } from '../../src/validation/analyze.js';
import { chromiumMissing, launchChromium, settle } from '../helpers/chromium.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { openDesignerPage, webviewBundleMissing } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

interface Frames {
  /** Nodes in the first frame that had any, and how many of them were hidden. */
  readonly first: { nodes: number; hidden: number; sizes: string[] };
  /** React Flow's sizes (minimap) and the laid out sizes (DOM) once settled. */
  readonly settled: { sizes: string[]; laidOut: string[] };
}

/** Dispatches `state` and records the first frame with nodes; then, after the page settled, the final sizes. */
/** What `a` has that `b` has not, counting repeats ("180.0x72.0 x3"). */
function missingFrom(a: readonly string[], b: readonly string[]): string {
  const left = new Map<string, number>();
  for (const x of a) left.set(x, (left.get(x) ?? 0) + 1);
  for (const x of b) left.set(x, (left.get(x) ?? 0) - 1);
  return [...left].filter(([, n]) => n > 0).map(([x, n]) => `${x} x${n}`).join(', ') || 'nothing';
}

async function watchFirstRender(page: Page, state: StateMessage): Promise<Frames> {
  const first = await page.evaluate(
    (data) =>
      new Promise<Frames['first']>((resolve) => {
        const sizes = () =>
          Array.from(document.querySelectorAll('rect.react-flow__minimap-node'), (r) => `${Number(r.getAttribute('width')).toFixed(1)}x${Number(r.getAttribute('height')).toFixed(1)}`).sort();
        const check = () => {
          const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
          if (nodes.length === 0) return requestAnimationFrame(check);
          let hidden = 0;
          for (let i = 0; i < nodes.length; i++) if (nodes[i]!.style.visibility === 'hidden') hidden++;
          resolve({ nodes: nodes.length, hidden, sizes: sizes() });
        };
        window.dispatchEvent(new MessageEvent('message', { data }));
        requestAnimationFrame(check);
      }),
    state,
  );
  await settle(page);
  await settle(page);
  const settled = await page.evaluate(() => ({
    sizes: Array.from(document.querySelectorAll('rect.react-flow__minimap-node'), (r) => `${Number(r.getAttribute('width')).toFixed(1)}x${Number(r.getAttribute('height')).toFixed(1)}`).sort(),
    laidOut: Array.from(document.querySelectorAll<HTMLElement>('.react-flow__node'), (n) => `${n.offsetWidth.toFixed(1)}x${n.offsetHeight.toFixed(1)}`).sort(),
  }));
  return { first, settled };
}

describe('first render: every node drawn at once, at the size it keeps', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  const wrapping = mutateReference((doc) => {
    setAt(doc, ['nodes', 'apim', 'label'], 'Contoso payments API Management gateway for partner-facing APIs');
    setAt(doc, ['nodes', 'appgw', 'properties', 'hostName'], 'payments-partner-gateway-eu-west.api.contoso-payments.example.com');
  });
  /** The host's state of a design text, as FakeHost (test/helpers/webview-page.ts) sends it. */
  const stateOfText = (text: string) => stateMessage(analyze(text, { now: new Date('2026-01-01T00:00:00Z') }), 1, '/workspace/payments.gatewright.yaml');
  const cases: [string, () => StateMessage][] = [
    ['the reference design', () => stateOfText(REFERENCE)],
    ['long labels and host names that wrap', () => stateOfText(wrapping)],
    ['a generated design of 200 nodes', () => benchInputs(200).state],
  ];
  for (const [name, stateOf] of cases) {
    test(name, { timeout: 120_000 }, async () => {
      const designer = await openDesignerPage(browser, { viewport: { width: 1250, height: 900 } });
      try {
        const state = stateOf();
        const frames = await watchFirstRender(designer.page, state);
        assert.ok(frames.first.nodes >= state.design!.nodes.length - 1, `the first frame drew the design (${frames.first.nodes} nodes)`);
        assert.equal(frames.first.hidden, 0, 'no node hidden in the first frame for want of a size');
        const { sizes } = frames.first;
        const settled = frames.settled;
        assert.ok(
          sizes.length === settled.sizes.length && missingFrom(sizes, settled.sizes) === 'nothing',
          `React Flow kept the sizes of its first frame: first only ${missingFrom(sizes, settled.sizes)}; settled only ${missingFrom(settled.sizes, sizes)}`,
        );
        assert.ok(
          missingFrom(settled.sizes, settled.laidOut) === 'nothing' && settled.sizes.length === settled.laidOut.length,
          `the sizes React Flow draws with are the laid out ones: React Flow only ${missingFrom(settled.sizes, settled.laidOut)}; laid out only ${missingFrom(settled.laidOut, settled.sizes)}`,
        );
        assert.deepEqual(designer.errors, []);
      } finally {
        await designer.close();
      }
    });
  }
});
