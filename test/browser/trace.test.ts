/**
 * A trace of the reference design on the designer canvas, in headless chromium with the fake host of
 * test/helpers/webview-page.ts: the Trace action of the internet node asks the host for a trace; the trace the
 * host answers with (computed here by src/trace on the generated reference) puts a verdict badge on every hop's
 * node and TLS edge, lists each hop's checks in the side panel, and a click on evidence asks the host to open that
 * file at that line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { traceMessage } from '../../src/extension/designer/trace-overlay.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { designNodesDrawn, FakeHost, openDesignerPage, posted, sendToWebview, webviewBundleMissing } from '../helpers/webview-page.js';
import { generated, trace } from '../trace/helpers.js';

/** React Flow nodes of design nodes (not the subnets and private endpoints drawn around and beside them). */
const DESIGN_NODES = '.react-flow__node:not([data-id^="subnet:"]):not([data-id^="pe:"]):not([data-id^="vnet:"])';
const skip = chromiumMissing() ?? webviewBundleMissing();

describe('trace on the designer canvas', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  test('Trace on the internet node: every hop\'s node and edge gets its verdict, the side panel lists checks and opens evidence', async () => {
    const designer = await openDesignerPage(browser);
    const page = designer.page;
    try {
      const host = new FakeHost(page, REFERENCE);
      const state = await host.send();
      await poll(async () => (await page.locator(DESIGN_NODES).count()) === state.design!.nodes.length, { message: 'the design drawn' });

      // The action: select the internet node, press Trace.
      await page.getByTestId('node-internet').click();
      const action = page.getByTestId('trace-action');
      await action.waitFor({ state: 'visible' });
      assert.equal(await action.getAttribute('data-target'), 'internet');
      await host.skip();
      await action.click();
      const request = await poll(async () => (await host.pending()).find((m) => m.type === 'trace'), { message: 'a trace request' });
      assert.deepEqual(request, { type: 'trace', target: { kind: 'internet', node: 'internet' } });

      // The host's answer: the trace of the generated reference design.
      const report = trace(generated());
      const message = traceMessage(report, { kind: 'internet', node: 'internet' });
      await sendToWebview(page, message);
      const hops = message.paths[0]!.hops;
      for (const hop of hops) {
        for (const node of hop.nodes) {
          const badge = page.getByTestId(`node-${node}-trace`);
          await badge.waitFor({ state: 'visible' });
          const expected = hops.filter((h) => h.nodes.includes(node)).some((h) => h.verdict === 'fail') ? 'fail' : hops.filter((h) => h.nodes.includes(node)).some((h) => h.verdict !== 'pass') ? 'unknown-until-deployed' : 'pass';
          assert.equal(await badge.getAttribute('data-verdict'), expected, `node ${node}`);
        }
      }
      for (const edge of ['internet-appgw', 'appgw-apim', 'apim-aks']) {
        const badge = page.getByTestId(`edge-${edge}-trace`);
        await badge.waitFor({ state: 'visible' });
        assert.equal(await badge.getAttribute('data-verdict'), hops.find((h) => h.edges.includes(edge))!.verdict, `edge ${edge}`);
      }
      assert.equal(await page.getByTestId('edge-internet-appgw-trace').locator('text').textContent(), hops[0]!.verdict === 'pass' ? '✓ trace' : '✗ trace');
      assert.equal(await page.getByTestId('node-sentinel-trace').count(), 0, 'a node off the path has no badge');

      // The side panel: every hop with its verdict, every check.
      const section = page.getByTestId('trace-section');
      await section.waitFor({ state: 'visible' });
      assert.equal(await section.getAttribute('data-verdict'), message.verdict);
      const drawnHops = page.getByTestId('trace-hop');
      assert.equal(await drawnHops.count(), hops.length);
      for (let i = 0; i < hops.length; i++) assert.equal(await drawnHops.nth(i).getAttribute('data-verdict'), hops[i]!.verdict);
      assert.equal(await page.getByTestId('trace-check').count(), hops.reduce((n, h) => n + h.checks.length, 0));
      const waf = page.locator('[data-testid="trace-check"][data-check="entry.waf"]');
      assert.match((await waf.textContent()) ?? '', /Prevention mode/);

      // Evidence opens the generated file at its line.
      await host.skip();
      await waf.getByTestId('trace-evidence').first().click();
      const open = await poll(async () => (await host.pending()).find((m) => m.type === 'openEvidence'), { message: 'an openEvidence request' });
      const first = hops[0]!.checks.find((c) => c.id === 'entry.waf')!.evidence[0]!;
      assert.deepEqual(open, { type: 'openEvidence', evidence: first });

      // Close hides it.
      await page.getByTestId('trace-close').click();
      await poll(async () => (await page.getByTestId('trace-section').count()) === 0 && (await page.getByTestId('node-appgw-trace').count()) === 0, { message: 'the trace hidden' });
      assert.ok((await posted(page)).every((m) => m.type !== 'error'), 'no error from the webview');
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('A failing hop offers the fix of the rule that covers its cause: the button sends that fix as one edit, and the trace after it holds', async () => {
    const designer = await openDesignerPage(browser);
    const page = designer.page;
    try {
      const text = mutateReference((d) => setAt(d, ['nodes', 'appgw', 'properties', 'wafMode'], 'Detection'));
      const host = new FakeHost(page, text);
      const state = await host.send();
      await poll(async () => (await designNodesDrawn(page)) === state.design!.nodes.length, { message: 'the design drawn' });
      const finding = state.findings.find((f) => f.ruleId === 'GW101');
      assert.ok(finding?.fix, 'the design has GW101 with its fix');

      await page.getByTestId('node-internet').click();
      const target = { kind: 'internet' as const, node: 'internet' };
      await sendToWebview(page, traceMessage(trace(generated(text)), target));
      const waf = page.locator('[data-testid="trace-check"][data-check="entry.waf"]');
      await waf.waitFor({ state: 'visible' });
      assert.equal(await waf.getAttribute('data-verdict'), 'fail');
      assert.match((await waf.textContent()) ?? '', /Change: Set wafMode: Prevention/);
      // Only the failing check offers a fix, and only the one of the rule that covers it.
      const fixes = page.getByTestId('trace-fix');
      assert.equal(await fixes.count(), 1);
      const button = waf.getByTestId('trace-fix');
      assert.equal(await button.getAttribute('data-rule'), 'GW101');

      await host.skip();
      await button.click();
      const edit = await host.nextEdit({ message: 'the fix sent as an edit' });
      assert.deepEqual(edit.operations, finding.fix.operations);
      assert.equal(edit.label, finding.fix.title);
      // The host applies it; the next trace of the fixed design passes the entry hop and offers nothing.
      await host.apply(edit.operations);
      assert.match(host.text, /wafMode: Prevention/);
      await sendToWebview(page, traceMessage(trace(generated(host.text)), target));
      await poll(async () => (await page.locator('[data-testid="trace-check"][data-check="entry.waf"]').getAttribute('data-verdict')) === 'pass', { message: 'the entry hop passes' });
      assert.equal(await page.getByTestId('trace-fix').count(), 0);
      assert.ok((await posted(page)).every((m) => m.type !== 'error'), 'no error from the webview');
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
