/**
 * Every canvas interaction answers within two frames end to end (issue #19), in a real VS Code: code-server with
 * the packaged extension, as `npm start` serves it (its default files.autoSave, afterDelay), the extension host
 * answering every edit. From the key or pointer event that ends a gesture to the frame that shows its effect:
 * adding a node (palette entry, Enter), moving a node (drag), connecting two nodes (C, pick the target, Enter) and
 * changing a property (inspector field, Enter), on the reference design and on a design of 100 nodes.
 *
 * The samples are taken as the browser test takes them (test/helpers/canvas-latency.ts, measureActions), here
 * inside the designer's inner frame (code-server nests the webview in two iframes): the event's timeStamp, a
 * MutationObserver until the change is in the DOM, and the frame's own requestAnimationFrame callbacks counted
 * from the event to the one that paints the change. The limit is in frames (median <= 2, the issue's 33 ms at
 * 60 Hz), not milliseconds: the machine running this is shared and busy (two cores, code-server, its extension
 * host and chromium beside other tests), which makes every frame late but not more numerous, so a millisecond
 * limit would measure the machine. The milliseconds are printed with the frames, and they matter: a frame made
 * long by the canvas's own work (a render that takes 100 ms) also counts as one frame, so the frame count alone
 * does not show a slow render; read the milliseconds next to it.
 *
 * After each gesture the text the file gets (autosaved) must hold the change, and ONE undo (Ctrl+Z, VS Code's own
 * undo of the document) must give back exactly the text from before the gesture: one undo step per intent. The
 * first sample of each gesture is also redone (Ctrl+Y gives the changed text again) and undone again. Undoing each
 * sample keeps the design the same from sample to sample.
 *
 * Not measured here yet: 1,000 nodes. The samples can reach the nodes now (the move sample zooms in on the node
 * with the wheel and pans it inside the pane, as a user would; logs and defender sit beside it on the grid). In the
 * browser alone the 1,000-node samples now finish (3 per gesture in about 4 minutes on the shared machine, 41-99 ms
 * of main-thread CPU each, several hundred ms of wall clock), but each sample here adds the extension's edit,
 * analysis, undo and redo of a 1,000-node text, and it was not tried; `npm run bench` prints the browser's
 * 1,000-node medians.
 *
 * Run: node scripts/package-vsix.mjs --out .e2e/gatewright.vsix && GATEWRIGHT_E2E=1 node scripts/test.mjs test/e2e/latency.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { parseDesign } from '../../src/document/parse.js';
import { edgeId, type Design } from '../../src/schemas/design.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';
import {
  formatLatencyTable,
  LATENCY_ACTIONS,
  latencyDesigns,
  measureActions,
  median,
  type LatencyAction,
  type LatencyDriver,
  type LatencyResult,
} from '../helpers/canvas-latency.js';
import { launchChromium, poll, settle } from '../helpers/chromium.js';
import { DESIGN_NODES, e2eSkipReason, failureShot, openInDesigner, openWorkbench, runCommand, showDetails, startCodeServer, type CodeServer } from '../helpers/code-server.js';

const FILE = 'latency.gatewright.yaml';
/** Frames from the event to the one that paints the change, median. */
const LIMITS: Record<string, number> = { reference: 2, '100 nodes': 2 };
const SAMPLES = 9;

/** The designer's inner frame, where the webview's document runs. */
async function designerFrame(page: Page): Promise<Frame> {
  const outer = await (await page.locator('iframe.webview.ready').elementHandle())?.contentFrame();
  const inner = await (await outer?.locator('iframe#active-frame').elementHandle())?.contentFrame();
  if (!inner) throw new Error('the designer webview frame was not found');
  return inner;
}

function designOf(text: string): Design | undefined {
  const parsed = parseDesign(text);
  return parsed.design ?? undefined;
}

/** Whether `text` holds the effect of `action` on `changed`, compared with the design before it. */
function holdsChange(action: LatencyAction, changed: string, before: Design, text: string): boolean {
  const design = designOf(text);
  if (!design) return false;
  switch (action) {
    case 'add':
      return design.nodes.some((n) => n.id === changed) && !!design.layout?.[changed];
    case 'move': {
      const was = before.layout?.[changed];
      const now = design.layout?.[changed];
      return !!now && (!was || was.x !== now.x || was.y !== now.y);
    }
    case 'connect':
      return design.edges.some((e) => edgeId(e) === changed);
    case 'property': {
      const value = (n: Design) => (n.nodes.find((x) => x.id === changed)?.properties as Record<string, unknown> | undefined)?.retentionDays;
      return value(design) !== value(before);
    }
  }
}

/**
 * The driver for code-server: the extension answers each edit by itself. After each sample: the canvas settles,
 * the file (autosaved) holds the change, one undo gives back the text from before, and the file is saved so again.
 */
function codeServerDriver(page: Page, frame: Frame, file: string): LatencyDriver {
  const read = () => readFileSync(file, 'utf8');
  // Every sample is undone, so each gesture starts from the text the file was opened with.
  const beforeText = read();
  const beforeDesign = designOf(beforeText)!;
  const redone = new Set<LatencyAction>();
  const noneDirty = () => page.locator('.tab.active.dirty').waitFor({ state: 'detached', timeout: 30_000 });
  const fileIs = (what: string, expected: (text: string) => boolean) => poll(() => {
    const text = read();
    return expected(text) ? text : undefined;
  }, { timeout: 30_000, interval: 100, message: what });
  /** VS Code's undo or redo of the document, with the focus on the canvas (not in a text field, whose own undo it would be). */
  const key = async (combo: string) => {
    await frame.getByTestId(TEST_IDS.canvas).click({ position: { x: 8, y: 8 } });
    await page.keyboard.press(combo);
  };
  return {
    page,
    view: frame,
    undoes: true,
    design: () => designOf(read())!,
    async inspect(id) {
      // Selected with the keyboard: a click at its centre can land on an edge drawn over it in a large design.
      await frame.getByTestId(testIdOf.flowNode(id)).focus();
      await page.keyboard.press('Enter');
      await showDetails(page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame'));
      await frame.getByTestId(testIdOf.tab('inspector')).click();
      await poll(async () => (await frame.getByTestId('inspector-title').textContent())?.includes(id), { message: `the inspector on ${id}` });
    },
    async afterSample(action, changed) {
      await poll(async () => (await frame.locator('[data-pending="true"]').count()) === 0, { timeout: 60_000, message: 'the host answered (nothing pending)' });
      const afterText = await fileIs(`the file saved with the ${action} of ${changed}`, (t) => t !== beforeText && holdsChange(action, changed, beforeDesign, t));
      await noneDirty();
      await key('Control+Z');
      await fileIs(`one undo of the ${action} of ${changed}: the file back to the text from before it`, (t) => t === beforeText);
      if (!redone.has(action)) {
        redone.add(action);
        await key('Control+Y');
        await fileIs(`redo of the ${action} of ${changed}: the changed text again`, (t) => t === afterText);
        await noneDirty();
        await key('Control+Z');
        await fileIs(`undo of the redone ${action}: the text from before it`, (t) => t === beforeText);
      }
      await noneDirty();
      if (action === 'add') await frame.getByTestId(testIdOf.flowNode(changed)).waitFor({ state: 'detached', timeout: 30_000 });
      if (action === 'connect') await frame.getByTestId(testIdOf.flowEdge(changed)).waitFor({ state: 'detached', timeout: 30_000 });
      await poll(async () => (await frame.locator('[data-pending="true"]').count()) === 0, { timeout: 60_000, message: 'nothing pending after the undo' });
      await settle(frame);
    },
  };
}

describe('canvas latency end to end in VS Code (code-server): the effect of a gesture within two frames', { skip: e2eSkipReason(), timeout: 3_600_000 }, () => {
  let server: CodeServer;
  let browser: Browser;
  const results: LatencyResult[] = [];
  before(async () => {
    [server, browser] = await Promise.all([startCodeServer(), launchChromium()]);
  });
  after(async () => {
    if (results.length) {
      console.log(`\nend to end (code-server), median ms from the event to the frame / to the DOM change:\n${formatLatencyTable(results)}`);
      for (const r of results) {
        console.log(`${r.design}: median frames ${LATENCY_ACTIONS.map((a) => `${a} ${median(r.actions[a].frames)}`).join(', ')}`);
      }
    }
    await browser?.close();
    await server?.stop();
  });

  for (const design of latencyDesigns([100])) {
    const limit = LIMITS[design.name]!;
    const samples = SAMPLES;
    test(`${design.name}: add (palette, Enter), move (drag), connect, property; one undo step each; median ${limit} frames to show the change`, { timeout: 2_400_000 }, async () => {
      const folder = server.workspace({ [FILE]: design.text }, {}, 'latency');
      const file = join(folder, FILE);
      const page = await openWorkbench(browser, server, folder);
      try {
        await runCommand(page, 'View: Close Primary Side Bar');
        const canvas = await openInDesigner(page, FILE);
        const nodes = designOf(design.text)!.nodes.length;
        await poll(async () => (await canvas.locator(DESIGN_NODES).count()) === nodes, { timeout: 300_000, message: `${nodes} nodes drawn` });
        const frame = await designerFrame(page);
        await settle(frame);
        // Opening changes nothing: every node has its position, so the canvas asks for no layout edit.
        assert.equal(readFileSync(file, 'utf8'), design.text, 'the file as written');
        assert.equal(await page.locator('.tab.active.dirty').count(), 0, 'the design is not dirty after opening');

        const actions = await measureActions(codeServerDriver(page, frame, file), samples);
        const result: LatencyResult = { design: design.name, nodes, actions };
        results.push(result);
        for (const action of LATENCY_ACTIONS) {
          const s = actions[action];
          console.log(`${design.name}, ${action}: frames ${s.frames.join(', ')}; ms ${s.frame.map((x) => x.toFixed(1)).join(', ')}`);
        }
        assert.equal(readFileSync(file, 'utf8'), design.text, 'every gesture undone: the file as written');
        for (const action of LATENCY_ACTIONS) {
          const s = actions[action];
          assert.equal(s.frames.length, samples);
          const m = median(s.frames);
          assert.ok(
            m <= limit,
            `${design.name}, ${action}: median ${m} frames to show the change (limit ${limit}); frames ${s.frames.join(', ')}; ms ${s.frame.map((x) => x.toFixed(1)).join(', ')}`,
          );
        }
      } catch (error) {
        await failureShot(page, `latency-${design.name.replace(/\W+/g, '-')}-failure`);
        throw error;
      } finally {
        await page.context().close();
      }
    });
  }
});
