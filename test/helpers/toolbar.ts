/**
 * The designer's toolbar from a test: an action is a button in the toolbar's row or, where the editor is too narrow
 * for it, an item of the overflow menu behind "…" (src/webview/Toolbar.tsx). Both carry the action's test id
 * (toolbar-<action>), so a test names the action and these helpers find it where it is, as a user would.
 * `root` is the designer page (browser tests) or the webview's frame (end-to-end tests in code-server).
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { TEST_IDS } from '../../src/webview/test-ids.js';

type Root = Page | FrameLocator;

/** Waits until the toolbar has measured which actions fit (before that, every button is in the row). */
export async function toolbarMeasured(root: Root, timeout = 30_000): Promise<Locator> {
  const toolbar = root.locator(`[data-testid="${TEST_IDS.toolbar}"][data-measured="true"]`);
  await toolbar.waitFor({ timeout });
  return toolbar;
}

/**
 * The element that carries the action with this test id: its button in the row, or its menu item (the menu is
 * opened for it).
 */
export async function toolbarAction(root: Root, testId: string, timeout = 30_000): Promise<Locator> {
  const toolbar = await toolbarMeasured(root, timeout);
  const menu = root.getByTestId(TEST_IDS.toolbarMenu);
  if ((await toolbar.locator(`.gwc-toolbar__actions:not(.gwc-toolbar__measure) > [data-testid="${testId}"]`).count()) === 1) {
    return toolbar.getByTestId(testId);
  }
  if (!(await menu.isVisible())) await root.getByTestId(TEST_IDS.toolbarMore).click({ timeout });
  const item = menu.getByTestId(testId);
  await item.waitFor({ timeout });
  return item;
}

/** Clicks the action with this test id, in the row or in the overflow menu. */
export async function clickToolbarAction(root: Root, testId: string, timeout = 30_000): Promise<void> {
  await (await toolbarAction(root, testId, timeout)).click({ timeout });
}
