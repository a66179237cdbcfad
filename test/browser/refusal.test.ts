/**
 * A refused intent is rolled back visibly, with its reason (issue #19). The designer webview (the bundle in dist/,
 * built for production by `node scripts/build.mjs --production` or scripts/package-vsix.mjs) in headless chromium,
 * answered by the extension's own DesignerSession (src/extension/designer/session.ts: the code that sends
 * `refused` in VS Code) over the fake document of the extension's unit tests: the page's posted messages are
 * handed to the session as VS Code hands them over, and what the session posts is delivered to the page.
 *
 * The canvas draws its intent at once (pending) and the host answers later; meanwhile the text changed in the text
 * editor (its analysis not sent yet, as the diagnostics wait for the typing to rest), so that the host cannot carry
 * the intent out:
 * - a connection to a node the text no longer has (deleted there), which the host's edit refuses: the edge drawn at once is gone again, and the banner names the
 *   connection and the reason;
 * - a move made while the text does not parse: the node goes back where it was, and the banner says the move was
 *   not applied, with the parse error, beside the banner that says the text does not parse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { applyOperations } from '../../src/document/edits/index.js';
import { SYNTAX_RULE_ID } from '../../src/document/parse.js';
import { DesignerSession } from '../../src/extension/designer/session.js';
import { analyze } from '../../src/validation/analyze.js';
import { connectIndex, connectionChoice } from '../../src/webview/connect.js';
import { edgeIds, newEdgeId } from '../../src/webview/ids.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';
import { FakeDocument, FakeHost as SessionFake } from '../extension/fakes.js';
import { chromiumMissing, launchChromium, poll, settle } from '../helpers/chromium.js';
import { REFERENCE } from '../helpers/reference.js';
import { designNodesDrawn, openDesignerPage, posted, sendToWebview, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

/** The extension's session between the page and a fake document. */
class Bridge {
  readonly document: FakeDocument;
  readonly host: SessionFake;
  readonly session: DesignerSession;
  private delivered = 0;
  private handed = 0;

  constructor(
    readonly page: Page,
    text: string,
  ) {
    this.document = new FakeDocument(text);
    this.host = new SessionFake(this.document);
    this.session = new DesignerSession(this.document, this.host);
  }

  /** Hands the page's new messages to the session, in order, then delivers what it answered. */
  async pump(): Promise<void> {
    const all = await posted(this.page);
    for (; this.handed < all.length; this.handed++) await this.session.handle(all[this.handed]);
    await this.deliver();
  }

  /** Delivers what the session posted and the page has not got yet. */
  async deliver(): Promise<void> {
    for (; this.delivered < this.host.posted.length; this.delivered++) await sendToWebview(this.page, this.host.posted[this.delivered]!);
  }

  /** The analysis of the current text, sent as the extension's diagnostics send it. */
  async analyzed(): Promise<void> {
    await this.session.analyzed(analyze(this.document.getText()));
    await this.deliver();
  }

  /** The webview's edit intents so far. */
  async edits(): Promise<number> {
    return (await posted(this.page)).filter((m) => m.type === 'edit').length;
  }
}

describe('a refused intent is rolled back on the canvas, with its reason', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function open(text: string): Promise<{ designer: DesignerPage; page: Page; bridge: Bridge }> {
    const designer = await openDesignerPage(browser);
    const bridge = new Bridge(designer.page, text);
    await bridge.pump(); // `ready`, answered with the state
    const nodes = analyze(text).design!.nodes.length;
    await poll(async () => (await designNodesDrawn(designer.page)) === nodes, { message: 'the design drawn' });
    await designer.page.locator('.react-flow__node').first().waitFor({ state: 'visible' });
    await settle(designer.page);
    return { designer, page: designer.page, bridge };
  }

  test('a connection to a node the text no longer has: the edge drawn at once is taken away, and the banner says why', async () => {
    const { designer, page, bridge } = await open(REFERENCE);
    try {
      const design = analyze(REFERENCE).design!;
      assert.deepEqual(connectionChoice(connectIndex(design), 'defender', 'appgw'), { kind: 'one', type: 'protects' });
      const edge = newEdgeId('defender', 'appgw', 'protects', edgeIds(design)) ?? 'defender-appgw';
      // Defender for Cloud, selected alone, connected with the keyboard to the Application Gateway (one edge type fits).
      await page.getByTestId(testIdOf.flowNode('defender')).click();
      await page.keyboard.press('c');
      const filter = page.getByTestId(TEST_IDS.targetFilter);
      await filter.fill('appgw');
      await page.getByTestId(testIdOf.targetOption('appgw')).waitFor({ state: 'visible' });
      await filter.press('Enter');
      const drawn = page.getByTestId(testIdOf.flowEdge(edge));
      await drawn.waitFor({ state: 'attached' });
      assert.equal(await drawn.getAttribute('data-pending'), 'true', 'drawn at once, marked pending');
      assert.equal(await bridge.edits(), 1);

      // Meanwhile the gateway is deleted in the text editor; the host then gets the intent.
      const deleted = applyOperations(REFERENCE, [{ op: 'deleteNode', id: 'appgw' }]);
      assert.ok(deleted.ok);
      const without = deleted.text;
      bridge.document.type(without);
      await bridge.pump();
      assert.equal(bridge.document.getText(), without, 'the text is not changed by the refused intent');
      const refused = bridge.host.posted.find((m) => m.type === 'refused');
      assert.ok(refused && refused.type === 'refused', 'the session answered with `refused`');
      assert.match(refused.reason, /node "appgw" does not exist/);

      const banner = page.getByTestId(TEST_IDS.refusalBanner);
      await banner.waitFor({ state: 'visible' });
      const text = (await banner.textContent()) ?? '';
      assert.match(text, /Not applied: Connect defender → appgw/, text);
      assert.match(text, /cannot connect: node "appgw" does not exist/, text);
      assert.match(text, /The canvas shows the design without it/, text);
      await drawn.waitFor({ state: 'detached' });
      await page.getByTestId(testIdOf.flowNode('appgw')).waitFor({ state: 'detached' });
      assert.equal(await page.locator('[data-pending="true"]').count(), 0, 'nothing left pending');

      // The banner stays until closed.
      await page.getByTestId(TEST_IDS.refusalDismiss).click();
      await banner.waitFor({ state: 'detached' });
      assert.deepEqual(designer.errors, []);
    } finally {
      await designer.close();
    }
  });

  test('a move made while the text does not parse: the node goes back where it was, and the banner says why', async () => {
    const { designer, page, bridge } = await open(REFERENCE);
    try {
      const node = page.getByTestId(testIdOf.flowNode('internet'));
      /** Where the node is on the diagram (React Flow's transform of it, in the diagram's coordinates). */
      const placed = async () => /translate\(([-\d.]+px, [-\d.]+px)\)/.exec((await node.getAttribute('style')) ?? '')?.[1];
      const home = await placed();
      assert.equal(home, '13px, 274px', 'where the text puts it');
      const box = (await node.boundingBox())!;
      // Dragged left (outside the virtual network, where it may go).
      const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x - 6, from.y + 3, { steps: 2 });
      await page.mouse.move(from.x - 60, from.y + 40, { steps: 8 });
      await page.mouse.up();
      await poll(async () => (await node.getAttribute('data-pending')) === 'true', { message: 'the move drawn at once, pending' });
      const dropped = await placed();
      assert.notEqual(dropped, home, 'drawn where it was dropped');
      assert.equal(await bridge.edits(), 1);

      // Meanwhile the text stops parsing (an unclosed flow sequence typed in the text editor).
      const broken = REFERENCE.replace(/^nodes:/m, 'nodes: [');
      assert.ok(analyze(broken).parsed.findings.some((f) => f.ruleId === SYNTAX_RULE_ID), 'the broken text does not parse');
      bridge.document.type(broken);
      await bridge.pump();
      const refused = bridge.host.posted.find((m) => m.type === 'refused');
      assert.ok(refused && refused.type === 'refused', 'the session answered with `refused`');

      await poll(async () => (await node.getAttribute('data-pending')) === null, { message: 'the move no longer pending' });
      await poll(async () => (await placed()) === home, { message: `the node back where it was (${home}, dropped at ${dropped})` });
      const refusal = page.getByTestId(TEST_IDS.refusalBanner);
      await refusal.waitFor({ state: 'visible' });
      const text = (await refusal.textContent()) ?? '';
      assert.match(text, /Not applied: Move "internet"/, text);
      assert.ok(text.includes(refused.reason), `the host's reason in the banner: ${text}`);
      // And the text's own problem: the canvas is read-only until it parses again.
      const problem = page.getByTestId(TEST_IDS.problemBanner);
      await problem.waitFor({ state: 'visible' });
      assert.match((await problem.textContent()) ?? '', /read-only until the text is fixed/);

      // The text fixed again: the canvas draws it, editable, with the node where the text has it.
      bridge.document.type(REFERENCE);
      await bridge.analyzed();
      await problem.waitFor({ state: 'detached' });
      assert.equal(await placed(), home, 'still where the text has it');
      assert.deepEqual(designer.errors, []);
    } finally {
      await designer.close();
    }
  });
});
