/**
 * The designer webview in headless chromium (Debian's), with a fake host channel (test/helpers/webview-page.ts):
 * the real bundle dist/webview.js, fed the `state` messages the host builds (stateMessage over analyze() of the
 * design text), answered with the core's own edits. Each test checks both what the canvas asked the host for (the
 * `edit` intents it posted) and what it draws (nodes, edges, panels) after the host answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { edgeId } from '../../src/schemas/design.js';
import type { EditOperation } from '../../src/schemas/operations.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { mutateReference, REFERENCE, setAt, deleteAt } from '../helpers/reference.js';
import { designNodesDrawn, FakeHost, openDesignerPage, showDesign, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';

const skip = chromiumMissing() ?? webviewBundleMissing();

describe('designer webview in a browser, with a fake host', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** A fresh page showing `text`; the test closes it. */
  async function open(text: string): Promise<{ designer: DesignerPage; page: Page; host: FakeHost }> {
    const designer = await openDesignerPage(browser);
    const { host } = await showDesign(designer.page, text);
    // React Flow shows a node once it has measured it.
    await designer.page.locator('.react-flow__node').first().waitFor({ state: 'visible' });
    return { designer, page: designer.page, host };
  }

  /** Edges of the design drawn (the lines from private endpoints to their services are not design edges). */
  const designEdgesDrawn = (page: Page): Promise<number> => page.locator('.react-flow__edge:not([data-id^="pe-link:"])').count();

  const nodeOf = (page: Page, id: string): Locator => page.getByTestId(testIdOf.flowNode(id));
  const edgeOf = (page: Page, id: string): Locator => page.getByTestId(testIdOf.flowEdge(id));

  async function centre(locator: Locator): Promise<{ x: number; y: number }> {
    const box = await locator.boundingBox();
    assert.ok(box, 'element has a box');
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Presses the mouse on `from`, moves in steps to `to` and releases: a real pointer drag. */
  async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 8, from.y + 4, { steps: 2 });
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
  }

  /** A point on an edge's path where a click reaches the edge (not a node or label drawn over it), in page coordinates. */
  async function pointOnEdge(page: Page, id: string): Promise<{ x: number; y: number }> {
    const path = edgeOf(page, id).locator('path.react-flow__edge-path');
    const point = await path.evaluate((el) => {
      const p = el as SVGPathElement;
      const group = p.closest('.react-flow__edge');
      const m = p.getScreenCTM()!;
      for (let i = 1; i < 20; i++) {
        const q = p.getPointAtLength((p.getTotalLength() * i) / 20);
        const at = { x: q.x * m.a + q.y * m.c + m.e, y: q.x * m.b + q.y * m.d + m.f };
        if (group && group.contains(document.elementFromPoint(at.x, at.y))) return at;
      }
      return undefined;
    });
    assert.ok(point, `a visible point on edge ${id}`);
    return point;
  }

  async function noEditWithin(host: FakeHost, ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    const edits = (await host.pending()).filter((m) => m.type === 'edit');
    assert.deepEqual(edits, [], 'the canvas sent no edit');
  }

  test('draws every node and edge of the reference design, mTLS with its lock and certificate', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      const design = host.state().design!;
      assert.equal(await designNodesDrawn(page), design.nodes.length);
      for (const node of design.nodes) {
        await nodeOf(page, node.id).waitFor({ state: 'visible' });
        assert.equal(await page.getByTestId(testIdOf.node(node.id)).getAttribute('data-node-type'), node.type);
      }
      assert.equal(await designEdgesDrawn(page), design.edges.length);
      for (const edge of design.edges) assert.equal(await edgeOf(page, edgeId(edge)).count(), 1, `edge ${edgeId(edge)} drawn`);
      // The label is short (protocol and lock); the certificate is in the edge's tooltip.
      const mtls = page.getByTestId(testIdOf.edgeLabel('apim-aks'));
      assert.equal((await mtls.textContent())?.trim(), 'mTLS');
      assert.equal(await mtls.locator('use').count(), 1, 'the mTLS label has its lock');
      assert.match((await edgeOf(page, 'apim-aks').locator('title').first().textContent()) ?? '', /client certificate apim-client/);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('drag from the palette onto the canvas: addNode at the drop point, drawn there once the host answers', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      const canvas = page.getByTestId(TEST_IDS.canvas);
      const box = (await canvas.boundingBox())!;
      // An empty spot: the lower left of the canvas (the reference design is laid out above it).
      const drop = { x: box.width * 0.2, y: box.height * 0.88 };
      await page.getByTestId('palette-item-keyVault').dragTo(canvas, { targetPosition: drop });

      const edit = await host.nextEdit();
      assert.equal(edit.operations.length, 1);
      const op = edit.operations[0]!;
      assert.equal(op.op, 'addNode');
      if (op.op !== 'addNode') return;
      assert.equal(op.node.type, 'keyVault');
      assert.notEqual(op.node.id, 'kv', 'a fresh id, not the existing Key Vault');
      assert.ok(op.position && Number.isFinite(op.position.x) && Number.isFinite(op.position.y), 'a position');
      assert.equal(edit.baseVersion, host.version);

      await host.apply(edit.operations);
      const node = nodeOf(page, op.node.id);
      await node.waitFor({ state: 'visible' });
      assert.equal(await designNodesDrawn(page), 17);
      // Drawn where it was dropped: the node is centred on the drop point.
      const c = await centre(node);
      assert.ok(Math.abs(c.x - (box.x + drop.x)) < 30 && Math.abs(c.y - (box.y + drop.y)) < 30, `node centre ${JSON.stringify(c)} near the drop point`);
      // The new node is selected, so that the inspector shows it.
      await poll(async () => (await node.getAttribute('class'))?.includes('selected'), { message: 'the new node selected' });
      assert.match(host.text, new RegExp(`- id: ${op.node.id}\\n\\s+type: keyVault`));
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('connect a valid pair: a connect intent with the only type that fits, and the edge drawn', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      const edges = await designEdgesDrawn(page);
      // Defender for Cloud -> Application Gateway: only "protects" fits.
      const from = await centre(nodeOf(page, 'defender').locator('.react-flow__handle.source'));
      const to = await centre(nodeOf(page, 'appgw').locator('.react-flow__handle.target'));
      await drag(page, from, to);

      const edit = await host.nextEdit();
      assert.equal(edit.operations.length, 1);
      const op = edit.operations[0]!;
      assert.equal(op.op, 'connect');
      if (op.op !== 'connect') return;
      assert.deepEqual({ from: op.edge.from, to: op.edge.to, type: op.edge.type }, { from: 'defender', to: 'appgw', type: 'protects' });

      await host.apply(edit.operations);
      const id = edgeId(op.edge as { id?: string; from: string; to: string });
      await edgeOf(page, id).waitFor({ state: 'attached' });
      assert.equal(await designEdgesDrawn(page), edges + 1);
      assert.match(host.text, /from: defender,? *\n?\s*to: appgw/);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('connect an invalid pair: no intent, and the refusal shown', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      const edges = await designEdgesDrawn(page);
      // The internet never reaches a database: no edge type fits.
      const from = await centre(nodeOf(page, 'internet').locator('.react-flow__handle.source'));
      const to = await centre(nodeOf(page, 'sql').locator('.react-flow__handle.target'));
      await drag(page, from, to);

      const status = page.getByTestId(TEST_IDS.canvasStatus);
      await poll(async () => /Cannot connect/.test((await status.textContent()) ?? ''), { message: 'the refusal in the status line' });
      assert.match((await status.textContent())!, /internet.*sql|no connection fits/);
      await noEditWithin(host, 500);
      assert.equal(await designEdgesDrawn(page), edges);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('connect where several types fit: the type is asked, and an mTLS edge gets its client certificate', async () => {
    // Without the mTLS edge, API Management -> AKS may be https or mtls.
    const text = mutateReference((doc) => deleteAt(doc, ['edges', 'apim-aks']));
    const { designer, page, host } = await open(text);
    try {
      const from = await centre(nodeOf(page, 'apim').locator('.react-flow__handle.source'));
      const to = await centre(nodeOf(page, 'aks').locator('.react-flow__handle.target'));
      await drag(page, from, to);

      const menu = page.getByTestId(TEST_IDS.connectMenu);
      await menu.waitFor({ state: 'visible' });
      assert.equal(await page.getByTestId(testIdOf.connectOption('https')).count(), 1);
      await page.getByTestId(testIdOf.connectOption('mtls')).click();
      await page.getByTestId(TEST_IDS.certPicker).waitFor({ state: 'visible' });
      await page.getByTestId(testIdOf.certOption('apim-client')).click();

      const edit = await host.nextEdit();
      const connect = edit.operations.find((o): o is Extract<EditOperation, { op: 'connect' }> => o.op === 'connect');
      assert.ok(connect, 'a connect operation');
      assert.equal(connect.edge.type, 'mtls');
      assert.deepEqual(connect.edge.properties, { clientCertificate: 'apim-client' });
      assert.ok(!edit.operations.some((o) => o.op === 'addCertificate'), 'an existing certificate: none added');

      await host.apply(edit.operations);
      const id = edgeId(connect.edge as { id?: string; from: string; to: string });
      await page.getByTestId(testIdOf.edgeLabel(id)).waitFor({ state: 'attached' });
      assert.match((await edgeOf(page, id).locator('title').first().textContent()) ?? '', /client certificate apim-client/);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('edit a property in the inspector: setProperty on the node at the property path, shown on the node', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      await page.getByTestId(testIdOf.node('logs')).click();
      await poll(async () => (await nodeOf(page, 'logs').getAttribute('class'))?.includes('selected'), { message: 'logs selected' });
      await page.getByTestId(testIdOf.tab('inspector')).click();
      const inspector = page.getByTestId('inspector');
      await poll(async () => (await page.getByTestId('inspector-title').textContent())?.includes('logs'), { message: 'the inspector on logs' });
      assert.equal(await inspector.getAttribute('data-kind'), 'node');

      const field = page.getByTestId('field-properties.retentionDays').locator('input');
      await field.fill('120');
      await field.press('Enter');

      const edit = await host.nextEdit();
      assert.deepEqual(edit.operations, [
        { op: 'setProperty', target: { kind: 'node', id: 'logs' }, path: ['properties', 'retentionDays'], value: 120 },
      ]);
      await host.apply(edit.operations);
      assert.match(host.text, /retentionDays: 120/);
      await poll(async () => /120/.test((await page.getByTestId(testIdOf.node('logs')).textContent()) ?? ''), { message: 'the node showing 120 days' });
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('delete a node (deleteNode) and an edge (disconnect) with the Delete key', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      await page.getByTestId(testIdOf.node('sentinel')).click();
      await page.keyboard.press('Delete');
      const first = await host.nextEdit();
      assert.deepEqual(first.operations, [{ op: 'deleteNode', id: 'sentinel' }]);
      await host.apply(first.operations);
      await nodeOf(page, 'sentinel').waitFor({ state: 'detached' });
      assert.equal(await designNodesDrawn(page), 15);
      assert.equal(await edgeOf(page, 'sentinel-logs').count(), 0, 'its edge went with it');

      // Click the Bastion -> AKS edge where nothing covers it, then delete it.
      const point = await pointOnEdge(page, 'bastion-aks');
      await page.mouse.click(point.x, point.y);
      await poll(async () => (await edgeOf(page, 'bastion-aks').getAttribute('class'))?.includes('selected'), { message: 'the edge selected' });
      await page.keyboard.press('Delete');
      const second = await host.nextEdit();
      assert.deepEqual(second.operations, [{ op: 'disconnect', id: 'bastion-aks' }]);
      await host.apply(second.operations);
      await edgeOf(page, 'bastion-aks').waitFor({ state: 'detached' });
      await nodeOf(page, 'bastion').waitFor({ state: 'visible' });
      assert.doesNotMatch(host.text, /remoteAccess/);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('select a finding: its node is selected and brought into view; its fix is sent as one edit and clears it', async () => {
    // API Management on the Basic tier: GW120, an error with a fix (use Premium).
    const text = mutateReference((doc) => setAt(doc, ['nodes', 'apim', 'properties', 'sku'], 'Basic'));
    const { designer, page, host } = await open(text);
    try {
      const finding = host.state().findings.find((f) => f.ruleId === 'GW120');
      assert.ok(finding?.fix, 'GW120 with a fix');
      await page.getByTestId(testIdOf.nodeErrors('apim')).waitFor({ state: 'visible' });

      // Pan the view so that apim is out of sight.
      const canvas = (await page.getByTestId(TEST_IDS.canvas).boundingBox())!;
      const empty = { x: canvas.x + canvas.width * 0.15, y: canvas.y + canvas.height * 0.9 };
      await drag(page, empty, { x: empty.x + 700, y: empty.y - 20 });
      const pane = { left: canvas.x, right: canvas.x + canvas.width };
      await poll(async () => (await centre(nodeOf(page, 'apim'))).x > pane.right, { message: 'apim panned out of view' });

      await page.getByTestId(testIdOf.tab('findings')).click();
      const entry = page.locator('[data-testid="finding"][data-rule="GW120"]');
      await entry.getByTestId('finding-open').click();
      await poll(async () => (await nodeOf(page, 'apim').getAttribute('class'))?.includes('selected'), { message: 'apim selected' });
      await poll(
        async () => {
          const c = await centre(nodeOf(page, 'apim'));
          return Math.abs(c.x - (canvas.x + canvas.width / 2)) < 40 && Math.abs(c.y - (canvas.y + canvas.height / 2)) < 40;
        },
        { message: 'apim centred in the canvas' },
      );

      await entry.getByTestId('finding-fix').click();
      const edit = await host.nextEdit();
      assert.deepEqual(edit.operations, finding.fix.operations);
      await host.apply(edit.operations);
      await entry.waitFor({ state: 'detached' });
      await page.getByTestId(testIdOf.nodeErrors('apim')).waitFor({ state: 'detached' });
      assert.match(host.text, /sku: Premium/);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('a finding on an edge colours the edge; selecting the finding selects the edge', async () => {
    const text = REFERENCE.replace('clientCertificate: apim-client', 'clientCertificate: retired-client');
    const { designer, page, host } = await open(text);
    try {
      assert.ok(host.state().findings.some((f) => f.target.kind === 'edge' && f.target.id === 'apim-aks' && f.severity === 'error'));
      const path = edgeOf(page, 'apim-aks').locator('path.react-flow__edge-path');
      await poll(async () => (await path.getAttribute('class'))?.includes('gwc-edge--error'), { message: 'the edge drawn as an error' });
      await page.getByTestId(testIdOf.tab('findings')).click();
      await page.locator('[data-testid="finding"][data-target-kind="edge"][data-target-id="apim-aks"]').first().getByTestId('finding-open').click();
      await poll(async () => (await edgeOf(page, 'apim-aks').getAttribute('class'))?.includes('selected'), { message: 'the edge selected' });
      await noEditWithin(host, 200);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('text that does not parse: the error is shown, the last drawing kept, and the canvas edits nothing', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      await host.setText(`${REFERENCE}\nnodes: [unclosed\n`);
      await page.getByTestId(TEST_IDS.problemBanner).waitFor({ state: 'visible' });
      assert.equal(await designNodesDrawn(page), 16, 'the last good drawing stays');
      await page.getByTestId(testIdOf.node('sentinel')).click();
      await page.keyboard.press('Delete');
      await noEditWithin(host, 300);
      await host.setText(REFERENCE);
      await page.getByTestId(TEST_IDS.problemBanner).waitFor({ state: 'detached' });
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });
});
