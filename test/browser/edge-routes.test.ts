/**
 * Edges take clean routes, as in Microsoft's architecture center pictures (issue #14): measured in headless chromium
 * from React Flow's own DOM (every edge path sampled along its length with getPointAtLength, in page pixels through
 * the path's screen matrix; node and container boxes from their elements), on the reference design at its first
 * view with each of the three ingress controllers, and on the reference design laid out automatically:
 *
 * - no edge runs over a node (resource or private endpoint) other than its two ends;
 * - no edge runs over a subnet that holds neither of its ends;
 * - an edge between a node inside the virtual network and one outside crosses the network's border exactly once,
 *   and one between two nodes outside (or two inside) never crosses it, by the side facing its other end;
 * - no two edges run along the same line for more than a few px (test/helpers/edge-rules.ts OVERLAP), but for the
 *   straight piece at a node both end at: the dashed edges into Log Analytics are drawn apart, not on one line
 *   (checked on the layouts saved with the design; right after an automatic layout, the request path's edges
 *   follow ELK's routes, which share a trunk out of a node's one port: see violations).
 *
 * The control-plane edges (dashed: diagnostics, protects, siem, secrets) are held to the same rules as the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { drawn, endsOf, settle, violations } from '../helpers/edge-rules.js';
import { mutateReference, setAt } from '../helpers/reference.js';
import { FakeHost, openDesignerPage, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();
/** The webview of an editor in a 1600x1000 VS Code window with the Explorer open (as test/browser/diagram.test.ts). */
const VIEWPORT = { width: 1250, height: 900 };

describe('edges take clean routes around nodes and subnets', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function open(text: string): Promise<{ designer: DesignerPage; page: Page; host: FakeHost }> {
    const designer = await openDesignerPage(browser, { viewport: VIEWPORT });
    const host = new FakeHost(designer.page, text);
    const state = await host.send();
    const count = state.design!.nodes.length;
    await poll(async () => (await designer.page.locator('.react-flow__node-arch').count()) + (await designer.page.locator('.react-flow__node-container').count()) >= count, {
      message: 'the design drawn',
    });
    return { designer, page: designer.page, host };
  }

  for (const controller of ['appRouting', 'ingressNginx', 'gatewayApi'] as const) {
    test(`reference design, ingress controller ${controller}: no edge over a node, a foreign subnet, or the network's border twice`, async () => {
      const text = mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'controller'], controller));
      const { designer, page, host } = await open(text);
      try {
        await settle(page);
        const d = await drawn(page);
        const design = host.state().design!;
        assert.equal(d.edges.length, endsOf(design).size, 'every edge drawn (control plane shown)');
        assert.deepEqual(violations(d, design), []);
        assert.deepEqual(designer.errors, [], 'no error in the page');
      } finally {
        await designer.close();
      }
    });
  }

  test('the reference design laid out automatically: the same', async () => {
    const { designer, page, host } = await open(mutateReference((doc) => doc.delete('layout')));
    try {
      const edit = await host.nextEdit({ message: 'the automatic layout saved' });
      await host.apply(edit.operations);
      await settle(page);
      const design = host.state().design!;
      // Edges apart too, but for the request path's edges that follow ELK's routes (see violations).
      assert.deepEqual(violations(await drawn(page), design, { overlaps: false }), []);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
