/**
 * The inspector never scrolls sideways: with the design (nothing selected) and with each node type of the
 * reference design selected, at side panels 300, 350 and 400 px wide (the panel under the canvas in a narrow editor),
 * 280 px (a 1100 px editor with Details open) and 340 px (a 1600 px editor):
 *
 * - no element of the side panel scrolls sideways (scrollWidth <= clientWidth where it could scroll), and none
 *   reaches past the panel's left or right edge;
 * - text cut with an ellipsis carries its whole text in a title, and every text field carries its value as title;
 * - the Tags "Add" button is inside the panel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TEST_IDS } from '../../src/webview/test-ids.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { REFERENCE } from '../helpers/reference.js';
import { FakeHost, openDesignerPage, sendToWebview, webviewBundleMissing } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

interface Overflow {
  readonly width: number;
  /** "<what> <why>" for every element that scrolls sideways, reaches out of the panel or hides text without a title. */
  readonly problems: string[];
}

function measure(page: Page): Promise<Overflow> {
  return page.evaluate((sideId) => {
    const side = document.querySelector<HTMLElement>(`[data-testid="${sideId}"]`)!;
    const panel = side.getBoundingClientRect();
    const problems: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${el.className} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of [side, ...Array.from(side.querySelectorAll<HTMLElement>('*'))]) {
      const r = el.getBoundingClientRect();
      // Not drawn, or text for screen readers only (a 1px clipped box).
      if (r.width <= 1 && r.height <= 1) continue;
      const style = getComputedStyle(el);
      if (style.overflowX !== 'visible' && style.overflowX !== 'clip' && el.scrollWidth > el.clientWidth + 1) problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
      if (r.left < panel.left - 0.5 || r.right > panel.right + 0.5) problems.push(`${name(el)} reaches out of the panel (${Math.round(r.left)}..${Math.round(r.right)})`);
      if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.title !== (el.textContent ?? '').trim()) problems.push(`${name(el)} is cut without a title`);
      if (el.tagName === 'VSCODE-TEXTFIELD') {
        const value = (el as HTMLElement & { value: string }).value;
        if (value && el.title !== value) problems.push(`${name(el)} value "${value}" not in its title`);
      }
    }
    return { width: panel.width, problems };
  }, TEST_IDS.sidePanel);
}

describe('the inspector never scrolls sideways', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  // Editor width -> the side panel's width there.
  for (const [editor, panelWidth] of [
    [300, 300],
    [350, 350],
    [400, 400],
    [1100, 280],
    [1600, 340],
  ] as const) {
    test(`a ${editor}px editor (side panel ${panelWidth}px): the design and every node type`, async () => {
      const designer = await openDesignerPage(browser, { viewport: { width: editor, height: 900 } });
      const page = designer.page;
      try {
        const host = new FakeHost(page, REFERENCE);
        const state = await host.send();
        const design = state.design!;
        const toggle = page.getByTestId(TEST_IDS.sideToggle);
        if ((await toggle.count()) > 0) await toggle.click();
        const inspector = page.getByTestId('inspector');
        await page.locator('[data-testid="inspector"][data-kind="metadata"]').waitFor();
        await page.evaluate(() => document.fonts.ready);

        const add = page.getByTestId('add-tags');
        await add.scrollIntoViewIfNeeded();
        const panel = (await page.getByTestId(TEST_IDS.sidePanel).boundingBox())!;
        const button = (await add.boundingBox())!;
        assert.ok(Math.abs(panel.width - panelWidth) <= 1, `the side panel is ${panel.width}px wide, expected ${panelWidth}`);
        assert.ok(button.width > 20, 'the Add button is drawn');
        assert.ok(
          button.x >= panel.x && button.x + button.width <= panel.x + panel.width && button.y >= panel.y && button.y + button.height <= panel.y + panel.height,
          `the Tags Add button (${button.x}..${button.x + button.width}) is inside the panel (${panel.x}..${panel.x + panel.width})`,
        );
        assert.deepEqual((await measure(page)).problems, [], 'the design: nothing overflows');

        const types = new Set<string>();
        for (const node of design.nodes) {
          if (types.has(node.type)) continue;
          types.add(node.type);
          await sendToWebview(page, { type: 'reveal', target: { kind: 'node', id: node.id } });
          const title = node.label ?? node.id;
          await poll(async () => (await inspector.getAttribute('data-kind')) === 'node' && (await page.getByTestId('inspector-title').textContent())?.trim() === title, {
            message: `the inspector on ${node.id}`,
          });
          const m = await measure(page);
          assert.deepEqual(m.problems, [], `${node.type} (${node.id}) selected: nothing overflows`);
        }
        assert.equal(types.size, 16, 'every node type was selected');
        assert.deepEqual(designer.errors, [], 'no error in the page');
      } finally {
        await designer.close();
      }
    });
  }
});
