/**
 * Dropping onto a blank design, in headless chromium with the fake host (test/helpers/webview-page.ts): the view
 * must not move. The canvas fits the view to the design when it opens; a blank design has nothing to fit, and the
 * fit must not wait for the first node (it would re-centre the view on it, moving it away from the pointer, and
 * the second drop would land on it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { blankDesign } from '../../src/designs/reference.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { FakeHost, openDesignerPage, sendToWebview, webviewBundleMissing } from '../helpers/webview-page.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

describe('dropping onto a blank design', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  const transform = (page: Page): Promise<string> => page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);

  test('two drops land under the pointer and the view does not move', async () => {
    const designer = await openDesignerPage(browser);
    const { page } = designer;
    try {
      const host = new FakeHost(page, blankDesign());
      await host.send();
      await page.getByTestId(TEST_IDS.canvasEmpty).waitFor({ state: 'visible' });
      const canvas = page.getByTestId(TEST_IDS.canvas);
      const box = (await canvas.boundingBox())!;
      const view = await transform(page);

      const drops = [
        { type: 'keyVault', at: { x: box.width * 0.3, y: box.height * 0.35 } },
        { type: 'containerRegistry', at: { x: box.width * 0.7, y: box.height * 0.7 } },
      ];
      const ids: string[] = [];
      const status = page.getByTestId(TEST_IDS.canvasStatus);
      for (const [i, { type, at }] of drops.entries()) {
        // The second drop with VS Code's auto save on (as the host sends it from files.autoSave): the status says so.
        if (i === 1) await sendToWebview(page, { ...host.state(), autoSave: 'afterDelay' });
        await page.getByTestId(testIdOf.paletteItem(type)).dragTo(canvas, { targetPosition: at });
        const edit = await host.nextEdit();
        const op = edit.operations[0]!;
        assert.equal(op.op, 'addNode');
        if (op.op !== 'addNode') return;
        assert.equal(op.node.type, type);
        const said = await poll(async () => ((await status.textContent()) ?? '').match(/^Added .*/)?.[0], { message: 'the Added status' });
        if (i === 0) assert.match(said, /save the design to keep the change/);
        else {
          assert.match(said, /VS Code saves it automatically/);
          assert.doesNotMatch(said, /to keep/);
        }
        await host.apply(edit.operations);
        ids.push(op.node.id);
        const node = page.getByTestId(testIdOf.flowNode(op.node.id));
        await node.waitFor({ state: 'visible' });
        // Longer than any fit animation the canvas runs (200-300 ms): a re-centre would have moved the view by now.
        await page.waitForTimeout(600);
        assert.equal(await transform(page), view, `the view did not move after dropping ${type}`);
        const b = (await node.boundingBox())!;
        const c = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
        const want = { x: box.x + at.x, y: box.y + at.y };
        assert.ok(Math.abs(c.x - want.x) < 30 && Math.abs(c.y - want.y) < 30, `${type} centred ${JSON.stringify(c)} on the drop point ${JSON.stringify(want)}`);
      }
      // The first node stayed where it was dropped, and the two are separate nodes.
      assert.notEqual(ids[0], ids[1]);
      const first = (await page.getByTestId(testIdOf.flowNode(ids[0]!)).boundingBox())!;
      const at0 = drops[0]!.at;
      assert.ok(Math.abs(first.x + first.width / 2 - (box.x + at0.x)) < 30 && Math.abs(first.y + first.height / 2 - (box.y + at0.y)) < 30, 'the first node stayed put');
      await poll(async () => (await page.locator('.react-flow__node').count()) === 2, { message: 'two nodes drawn' });
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
