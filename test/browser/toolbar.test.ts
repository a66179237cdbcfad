/**
 * The toolbar is one row at every editor width, and the actions that do not fit are in its overflow menu, where each
 * works with the mouse and the keyboard. Measured in headless chromium on the production bundle, with the reference
 * design, at editors 1600, 1100, 800 and 500 px wide (and 360, where the menu holds nearly everything):
 *
 * - the toolbar is as high as one row of its controls, every control on that row, inside the toolbar, nothing
 *   scrolled sideways;
 * - the row's buttons followed by the menu's items are every action, in order; at 1600 there is no menu; where there
 *   is one, the first action in it would not fit in the room left in the row (its width measured at 1600);
 * - from the menu, each action does what its button does (commands are posted to the host, Auto layout sends an
 *   edit, Connect opens the target list once a node is selected, the control-plane toggle flips);
 * - "…" is a menu button (aria-haspopup, aria-expanded, aria-controls): Enter, Space and ArrowDown open it on its
 *   first item, ArrowUp on its last; the arrows wrap, Home and End jump; Escape closes it and gives focus back to
 *   "…"; Tab and a press outside close it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TEST_IDS } from '../../src/webview/test-ids.js';
import type { WebviewMessage } from '../../src/schemas/messages.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { REFERENCE } from '../helpers/reference.js';
import { toolbarMeasured } from '../helpers/toolbar.js';
import { FakeHost, openDesignerPage, posted, sendToWebview, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

/** Every action of the toolbar, in its order. */
const ACTIONS = [
  'toolbar-fit',
  'toolbar-zoom-in',
  'toolbar-zoom-out',
  'toolbar-layout',
  'toolbar-connect',
  'toolbar-control-plane',
  'toolbar-export',
  'toolbar-open-text',
  'toolbar-validate',
  'toolbar-generate',
  'toolbar-dev-certificates',
  'toolbar-rehearse',
  'toolbar-what-if',
  'toolbar-deploy',
  'toolbar-history',
];

/** The host command each command action posts. */
const COMMANDS: Record<string, string> = {
  'toolbar-export': 'exportDiagram',
  'toolbar-open-text': 'openText',
  'toolbar-validate': 'validate',
  'toolbar-generate': 'generate',
  'toolbar-dev-certificates': 'createDevCertificates',
  'toolbar-rehearse': 'rehearse',
  'toolbar-what-if': 'whatIf',
  'toolbar-deploy': 'deploy',
  'toolbar-history': 'deploymentHistory',
};

const ROW = `[data-testid="${TEST_IDS.toolbar}"] .gwc-toolbar__actions:not(.gwc-toolbar__measure) > *`;

interface Geometry {
  readonly toolbar: { top: number; height: number; left: number; right: number; scrollWidth: number; clientWidth: number; minHeight: number; padding: number };
  /** The controls shown in the toolbar: the row's buttons, the file name, the summary and "…". */
  readonly controls: { id: string; top: number; bottom: number; left: number; right: number; height: number }[];
  /** Right edges of the row's buttons, from the row's left edge. */
  readonly rights: Record<string, number>;
  readonly rowLeft: number;
  readonly file: { width: number };
  readonly more: { width: number } | undefined;
  readonly gap: number;
}

async function geometry(page: Page): Promise<Geometry> {
  return page.evaluate((rowSelector) => {
    const bar = document.querySelector<HTMLElement>('[data-testid="toolbar"]')!;
    const style = getComputedStyle(bar);
    const rect = bar.getBoundingClientRect();
    const row = bar.querySelector('.gwc-toolbar__actions:not(.gwc-toolbar__measure)')!;
    const rowLeft = row.getBoundingClientRect().left;
    const buttons = Array.from(document.querySelectorAll<HTMLElement>(rowSelector));
    const others = ['.gwc-toolbar__file', '[data-testid="findings-summary"]', '[data-testid="toolbar-more"]']
      .map((s) => bar.querySelector<HTMLElement>(s))
      .filter((el): el is HTMLElement => !!el);
    const controls = [...buttons, ...others].map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-testid') ?? el.className, top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    });
    const rights: Record<string, number> = {};
    for (const b of buttons) rights[b.getAttribute('data-testid')!] = b.getBoundingClientRect().right - rowLeft;
    const more = bar.querySelector('[data-testid="toolbar-more"]');
    return {
      toolbar: {
        top: rect.top,
        height: rect.height,
        left: rect.left,
        right: rect.right,
        scrollWidth: bar.scrollWidth,
        clientWidth: bar.clientWidth,
        minHeight: parseFloat(style.minHeight) || 0,
        padding: parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth),
      },
      controls,
      rights,
      rowLeft,
      file: { width: bar.querySelector('.gwc-toolbar__file')!.getBoundingClientRect().width },
      more: more ? { width: more.getBoundingClientRect().width } : undefined,
      gap: parseFloat(style.columnGap),
    };
  }, ROW);
}

/** The test ids of the row's buttons, and of the menu's items (the menu opened and closed again). */
async function rowAndMenu(page: Page): Promise<{ row: string[]; menu: string[] }> {
  const row = await page.locator(ROW).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
  const more = page.getByTestId(TEST_IDS.toolbarMore);
  if ((await more.count()) === 0) return { row, menu: [] };
  await more.click();
  const menu = await page.getByTestId(TEST_IDS.toolbarMenu).locator('[role^="menuitem"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
  await page.keyboard.press('Escape');
  await page.getByTestId(TEST_IDS.toolbarMenu).waitFor({ state: 'detached' });
  return { row, menu };
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

describe('the toolbar: one row, the rest in the overflow menu', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function open(width: number): Promise<{ designer: DesignerPage; page: Page; host: FakeHost }> {
    const designer = await openDesignerPage(browser, { viewport: { width, height: 900 } });
    const host = new FakeHost(designer.page, REFERENCE);
    await host.send();
    await designer.page.getByTestId('rf__node-apim').waitFor();
    await designer.page.evaluate(() => document.fonts.ready);
    await toolbarMeasured(designer.page);
    return { designer, page: designer.page, host };
  }

  test('one row at 1600, 1100, 800 and 500 px; the menu holds exactly the actions that do not fit', async () => {
    let natural: Geometry | undefined;
    for (const width of [1600, 1100, 800, 500]) {
      const { designer, page } = await open(width);
      try {
        const g = await geometry(page);
        const what = `${width}px`;
        // One row: its tallest control, or the toolbar's minimum height.
        const rowHeight = Math.max(g.toolbar.minHeight, ...g.controls.map((c) => c.height));
        assert.ok(g.toolbar.height <= rowHeight + g.toolbar.padding + 0.5, `${what}: the toolbar (${g.toolbar.height}px) is one row, ${rowHeight}px high`);
        for (const c of g.controls) {
          assert.ok(c.top >= g.toolbar.top && c.bottom <= g.toolbar.top + g.toolbar.height, `${what}: ${c.id} is on the toolbar's row`);
          assert.ok(c.left >= g.toolbar.left - 0.5 && c.right <= g.toolbar.right + 0.5, `${what}: ${c.id} is inside the toolbar`);
        }
        const shown = g.controls.filter((c) => c.id.startsWith('toolbar-') || c.id === TEST_IDS.findingsSummary);
        for (let i = 1; i < shown.length; i++) assert.ok(shown[i]!.left >= shown[i - 1]!.right - 0.5, `${what}: ${shown[i]!.id} does not overlap ${shown[i - 1]!.id}`);
        assert.ok(g.toolbar.scrollWidth <= g.toolbar.clientWidth, `${what}: the toolbar does not scroll sideways`);

        const { row, menu } = await rowAndMenu(page);
        assert.deepEqual([...row, ...menu], ACTIONS, `${what}: the row, then the menu, hold every action once, in order`);
        if (width === 1600) {
          assert.deepEqual(menu, [], 'at 1600px every action fits: no overflow menu');
          assert.equal(await page.getByTestId(TEST_IDS.toolbarMore).count(), 0, 'no "…" at 1600px');
          natural = g;
        } else {
          assert.ok(natural, 'measured at 1600px first');
          assert.ok(menu.length > 0, `${what}: some actions are in the menu`);
          // The first action in the menu would need its own width and the gap before it (as laid out at 1600px).
          const first = ACTIONS.indexOf(menu[0]!);
          const need = natural.rights[ACTIONS[first]!]! - (first === 0 ? 0 : natural.rights[ACTIONS[first - 1]!]!);
          // The room left in the row is what the file name takes (it shrinks first); with one action in the menu,
          // fitting it would also free the room of "…".
          const free = g.file.width + (menu.length === 1 ? g.more!.width + g.gap : 0);
          assert.ok(free < need, `${what}: ${menu[0]} (${need.toFixed(1)}px) would not fit in the ${free.toFixed(1)}px left`);
        }
        assert.deepEqual(designer.errors, [], 'no error in the page');
      } finally {
        await designer.close();
      }
    }
  });

  test('each action in the overflow menu works from it, with the mouse and with the keyboard', async () => {
    const { designer, page, host } = await open(360);
    try {
      const { row, menu } = await rowAndMenu(page);
      assert.ok(menu.length >= 10, `most actions are in the menu at 360px (row: ${row.join(', ')})`);
      const more = page.getByTestId(TEST_IDS.toolbarMore);
      const menuEl = page.getByTestId(TEST_IDS.toolbarMenu);
      let keyboard = false;
      /** Picks the item with the mouse, or with the keyboard (alternately): Enter on "…", ArrowDown to it, Enter. */
      const pick = async (testId: string) => {
        keyboard = !keyboard;
        if (!keyboard) {
          await more.click();
          await menuEl.getByTestId(testId).click();
          return;
        }
        await more.focus();
        await page.keyboard.press('Enter');
        await poll(async () => (await focused(page)) === menu[0], { message: 'the first item focused' });
        for (let i = 0; i < menu.indexOf(testId); i++) await page.keyboard.press('ArrowDown');
        assert.equal(await focused(page), testId, `${testId} focused with the arrow keys`);
        await page.keyboard.press('Enter');
      };
      const since = async (before: number): Promise<WebviewMessage[]> => (await posted(page)).slice(before);

      for (const testId of menu) {
        const before = (await posted(page)).length;
        if (testId === 'toolbar-connect') {
          // Nothing selected: the item is there but disabled, and picking it does nothing.
          await more.click();
          assert.equal(await menuEl.getByTestId(testId).getAttribute('aria-disabled'), 'true', 'Connect is disabled with nothing selected');
          await page.keyboard.press('Escape');
          await sendToWebview(page, { type: 'reveal', target: { kind: 'node', id: 'apim' } });
          await poll(async () => (await page.getByTestId('rf__node-apim').getAttribute('class'))?.includes('selected'), { message: 'apim selected' });
          await pick(testId);
          await page.getByTestId(TEST_IDS.targetMenu).waitFor({ timeout: 10_000 });
          await page.keyboard.press('Escape');
          await page.getByTestId(TEST_IDS.targetMenu).waitFor({ state: 'detached' });
        } else if (testId === 'toolbar-control-plane') {
          await more.click();
          assert.equal(await menuEl.getByTestId(testId).getAttribute('aria-checked'), 'true', 'the control plane is shown');
          const edges = await page.locator('.react-flow__edge').count();
          await menuEl.getByTestId(testId).click();
          await poll(async () => (await page.locator('.react-flow__edge').count()) < edges, { message: 'the control-plane edges hidden' });
          await more.click();
          assert.equal(await menuEl.getByTestId(testId).getAttribute('aria-checked'), 'false', 'the menu says the control plane is hidden');
          assert.equal((await menuEl.getByTestId(testId).textContent())?.trim(), 'Control plane: hidden');
          await page.keyboard.press('Escape');
          await pick(testId);
          await poll(async () => (await page.locator('.react-flow__edge').count()) === edges, { message: 'the control-plane edges shown again' });
        } else if (testId === 'toolbar-layout') {
          await pick(testId);
          const edit = await host.nextEdit({ message: 'the automatic layout sent as an edit' });
          assert.equal(edit.operations[0]!.op, 'setLayout');
        } else if (COMMANDS[testId]) {
          await pick(testId);
          const sent = await poll(async () => (await since(before)).find((m) => m.type === 'command'), { message: `the ${COMMANDS[testId]} command` });
          assert.deepEqual(sent, { type: 'command', command: COMMANDS[testId] }, `${testId} from the menu`);
        } else {
          assert.fail(`no check for ${testId} in the menu`);
        }
        await menuEl.waitFor({ state: 'detached' });
        if (keyboard && testId !== 'toolbar-connect') assert.equal(await focused(page), TEST_IDS.toolbarMore, `focus back on "…" after ${testId}`);
      }
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('"…" is a menu button: keys open it, move in it and close it; focus comes back', async () => {
    const { designer, page } = await open(500);
    try {
      const more = page.getByTestId(TEST_IDS.toolbarMore);
      const menuEl = page.getByTestId(TEST_IDS.toolbarMenu);
      assert.equal(await more.getAttribute('aria-haspopup'), 'menu');
      assert.equal(await more.getAttribute('aria-expanded'), 'false');
      const { menu } = await rowAndMenu(page);
      const first = menu[0]!;
      const last = menu[menu.length - 1]!;

      for (const key of ['Enter', ' ', 'ArrowDown']) {
        await more.focus();
        await page.keyboard.press(key);
        await menuEl.waitFor();
        assert.equal(await more.getAttribute('aria-expanded'), 'true', `${key} opens the menu`);
        assert.equal(await menuEl.getAttribute('role'), 'menu');
        assert.equal(await more.getAttribute('aria-controls'), await menuEl.getAttribute('id'));
        await poll(async () => (await focused(page)) === first, { message: `${key}: the first item focused` });
        await page.keyboard.press('Escape');
        await menuEl.waitFor({ state: 'detached' });
        assert.equal(await more.getAttribute('aria-expanded'), 'false', 'Escape closes the menu');
        assert.equal(await focused(page), TEST_IDS.toolbarMore, 'Escape gives focus back to "…"');
      }

      await more.focus();
      await page.keyboard.press('ArrowUp');
      await poll(async () => (await focused(page)) === last, { message: 'ArrowUp opens on the last item' });
      await page.keyboard.press('ArrowDown');
      assert.equal(await focused(page), first, 'ArrowDown wraps from the last item to the first');
      await page.keyboard.press('ArrowUp');
      assert.equal(await focused(page), last, 'ArrowUp wraps from the first item to the last');
      await page.keyboard.press('Home');
      assert.equal(await focused(page), first, 'Home: the first item');
      await page.keyboard.press('End');
      assert.equal(await focused(page), last, 'End: the last item');
      for (const item of await menuEl.locator('[role^="menuitem"]').all()) {
        assert.match((await item.getAttribute('role')) ?? '', /^menuitem(checkbox)?$/);
        assert.ok(((await item.getAttribute('aria-label')) ?? '').length > 5, 'each item has an accessible name');
      }
      await page.keyboard.press('Tab');
      await menuEl.waitFor({ state: 'detached' });

      await more.click();
      await menuEl.waitFor();
      await page.getByTestId(TEST_IDS.findingsSummary).click();
      await menuEl.waitFor({ state: 'detached' });
      assert.equal(await more.getAttribute('aria-expanded'), 'false', 'a press outside closes the menu');
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
