/**
 * The canvas reads as an architecture diagram: measured in headless chromium through React Flow's DOM, in a webview
 * the size VS Code gives an editor in a 1600x1000 window with the Explorer open (about 1250x900), on the reference
 * design, its three ingress-controller variants, the reference design laid out automatically, and a blank design
 * grown to 10 nodes by drag and drop from the palette:
 *
 * - no text cut off: every node title, subtitle, settings line and container title fits its box (scrollWidth <=
 *   clientWidth), with no ellipsis (neither CSS text-overflow nor a "…" in the text);
 * - the smallest node title is at least 10px on screen (font size times zoom) in the first view;
 * - no two edge labels overlap, and no label covers a node or a container title;
 * - no two sibling nodes overlap (resources, private endpoints, subnets), and nothing outside the network is drawn
 *   inside it;
 * - API Management and AKS are each inside their subnet's container, inside the virtual network's container;
 * - the minimap does not cover a node.
 *
 * It also writes docs/screenshots/diagram-{light,dark,high-contrast}.png of the reference design.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { blankDesign } from '../../src/designs/reference.js';
import { networkModel } from '../../src/webview/containers/network.js';
import { TEST_IDS, testIdOf } from '../../src/webview/test-ids.js';
import type { Design } from '../../src/schemas/design.js';
import { chromiumMissing, launchChromium, poll } from '../helpers/chromium.js';
import { mutateReference, REFERENCE, setAt } from '../helpers/reference.js';
import { FakeHost, openDesignerPage, ROOT, webviewBundleMissing, type DesignerPage } from '../helpers/webview-page.js';

const skip = chromiumMissing() ?? webviewBundleMissing();
/** The webview of an editor in a 1600x1000 VS Code window with the Explorer open. */
const VIEWPORT = { width: 1250, height: 900 };

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface Measured {
  readonly zoom: number;
  /** Texts that do not fit or carry an ellipsis: "<selector> <text>". */
  readonly cut: string[];
  readonly smallestTitle: number;
  readonly labels: { id: string; box: Box }[];
  readonly nodes: { id: string; kind: string; box: Box }[];
  readonly titles: { id: string; box: Box }[];
  readonly minimap: Box | undefined;
}

function overlap(a: Box, b: Box, slack = 0.5): boolean {
  return a.x + slack < b.x + b.width && b.x + slack < a.x + a.width && a.y + slack < b.y + b.height && b.y + slack < a.y + a.height;
}

function inside(inner: Box, outer: Box, slack = 0.5): boolean {
  return inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y + inner.height <= outer.y + outer.height + slack;
}

/** What React Flow drew, in page pixels. */
async function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const transform = getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
    const zoom = new DOMMatrixReadOnly(transform).a;
    const cut: string[] = [];
    const texts = '.gwc-node__title, .gwc-node__type, .gwc-node__settings, .gwc-container__title, .gwc-endpoint__title, .gwc-endpoint__name';
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(texts))) {
      const text = el.textContent ?? '';
      if (el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === 'ellipsis' || text.includes('…')) cut.push(`${el.className} "${text}"`);
    }
    // A container title must also fit its container.
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('.gwc-container__title'))) {
      const node = el.closest('.react-flow__node')!;
      if (el.getBoundingClientRect().right > node.getBoundingClientRect().right + 1) cut.push(`container title wider than its box "${el.textContent}"`);
    }
    const sizes = Array.from(document.querySelectorAll<HTMLElement>('.gwc-node__title')).map((el) => parseFloat(getComputedStyle(el).fontSize) * zoom);
    const labels = Array.from(document.querySelectorAll('[data-testid^="edge-label-"]')).map((el) => ({ id: el.getAttribute('data-testid')!, box: box(el) }));
    const nodes = Array.from(document.querySelectorAll('.react-flow__node')).map((el) => ({
      id: el.getAttribute('data-id')!,
      kind: el.classList.contains('gwc-container--vnet') ? 'vnet' : el.classList.contains('gwc-container--subnet') ? 'subnet' : el.classList.contains('gwc-endpoint') ? 'endpoint' : 'node',
      box: box(el),
    }));
    const titles = Array.from(document.querySelectorAll('.gwc-container__title')).map((el) => ({ id: el.getAttribute('data-testid')!, box: box(el) }));
    const mini = document.querySelector('.react-flow__minimap');
    return { zoom, cut, smallestTitle: Math.min(...sizes), labels, nodes, titles, minimap: mini ? box(mini) : undefined };
  });
}

/** Every check of the file's header on what is drawn now. */
function checkDiagram(m: Measured, design: Design, what: string): void {
  assert.deepEqual(m.cut, [], `${what}: no text cut off`);
  assert.ok(m.smallestTitle >= 10, `${what}: smallest node title ${m.smallestTitle.toFixed(1)}px on screen (zoom ${m.zoom.toFixed(2)}), at least 10px`);

  for (let i = 0; i < m.labels.length; i++) {
    for (let j = i + 1; j < m.labels.length; j++) {
      assert.ok(!overlap(m.labels[i]!.box, m.labels[j]!.box), `${what}: edge labels ${m.labels[i]!.id} and ${m.labels[j]!.id} overlap`);
    }
  }
  const leaves = m.nodes.filter((n) => n.kind === 'node' || n.kind === 'endpoint');
  for (const l of m.labels) {
    for (const n of leaves) assert.ok(!overlap(l.box, n.box), `${what}: edge label ${l.id} covers node ${n.id}`);
    for (const t of m.titles) assert.ok(!overlap(l.box, t.box), `${what}: edge label ${l.id} covers container title ${t.id}`);
  }
  for (let i = 0; i < leaves.length; i++) {
    for (let j = i + 1; j < leaves.length; j++) assert.ok(!overlap(leaves[i]!.box, leaves[j]!.box), `${what}: nodes ${leaves[i]!.id} and ${leaves[j]!.id} overlap`);
  }
  const subnets = m.nodes.filter((n) => n.kind === 'subnet');
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) assert.ok(!overlap(subnets[i]!.box, subnets[j]!.box), `${what}: subnets ${subnets[i]!.id} and ${subnets[j]!.id} overlap`);
  }

  const model = networkModel(design);
  if (!model) return;
  const vnet = m.nodes.find((n) => n.kind === 'vnet');
  assert.ok(vnet, `${what}: the virtual network is drawn`);
  assert.equal(subnets.length, model.subnets.length, `${what}: one container per planned subnet`);
  for (const s of model.subnets) {
    const sub = m.nodes.find((n) => n.id === s.id);
    assert.ok(sub, `${what}: subnet ${s.name} drawn`);
    assert.ok(inside(sub.box, vnet.box), `${what}: subnet ${s.name} inside the virtual network`);
    for (const member of s.members) {
      const n = m.nodes.find((x) => x.id === member);
      assert.ok(n, `${what}: ${member} drawn`);
      assert.ok(inside(n.box, sub.box), `${what}: ${member} inside subnet ${s.name}`);
    }
    for (const other of leaves) {
      if (!s.members.includes(other.id)) assert.ok(!overlap(other.box, sub.box), `${what}: ${other.id} is drawn over subnet ${s.name} it is not in`);
    }
  }
  for (const n of leaves) {
    const inNetwork = model.home.has(n.id) || n.kind === 'endpoint';
    if (!inNetwork) assert.ok(!overlap(n.box, vnet.box), `${what}: ${n.id} is outside the network but drawn over it`);
  }
  if (m.minimap) for (const n of leaves) assert.ok(!overlap(n.box, m.minimap), `${what}: the minimap covers ${n.id}`);
}

function designOf(host: FakeHost): Design {
  return host.state().design!;
}

describe('the canvas reads as an architecture diagram', { skip }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  async function open(text: string, theme: 'light' | 'dark' | 'high-contrast' = 'light'): Promise<{ designer: DesignerPage; page: Page; host: FakeHost }> {
    const designer = await openDesignerPage(browser, { viewport: VIEWPORT, theme });
    const host = new FakeHost(designer.page, text);
    const state = await host.send();
    const count = state.design!.nodes.length;
    await poll(async () => (await designer.page.locator('.react-flow__node-arch').count()) + (await designer.page.locator('.react-flow__node-container').count()) >= count, {
      message: 'the design drawn',
    });
    await settle(designer.page);
    return { designer, page: designer.page, host };
  }

  /** Waits until nothing on the canvas moves any more (measuring, containers following, fitting the view). */
  async function settle(page: Page): Promise<void> {
    let last = '';
    await poll(
      async () => {
        const now = await page.evaluate(() =>
          Array.from(document.querySelectorAll('.react-flow__node, .react-flow__viewport')).map((el) => `${el.getAttribute('style')}`).join('|'),
        );
        const same = now === last;
        last = now;
        return same;
      },
      { message: 'the canvas to settle', interval: 250 },
    );
  }

  for (const controller of ['appRouting', 'ingressNginx', 'gatewayApi'] as const) {
    test(`reference design, ingress controller ${controller}: legible, nothing cut off or overlapping, APIM and AKS in their subnets`, async () => {
      const text = mutateReference((doc) => setAt(doc, ['nodes', 'aks', 'properties', 'ingress', 'controller'], controller));
      const { designer, page, host } = await open(text);
      try {
        const m = await measure(page);
        checkDiagram(m, designOf(host), controller);
        const vnet = m.nodes.find((n) => n.kind === 'vnet')!;
        for (const [id, subnet] of [['apim', 'subnet:apim'], ['aks', 'subnet:aks']] as const) {
          const node = m.nodes.find((n) => n.id === id)!;
          const sub = m.nodes.find((n) => n.id === subnet)!;
          assert.ok(inside(node.box, sub.box) && inside(sub.box, vnet.box), `${id} inside ${subnet} inside the network`);
        }
        // The subnet titles are the plan's names and prefixes.
        assert.match((await page.getByTestId('container-subnet:aks').textContent()) ?? '', /^snet-aks\s*10\.0\.0\.0\/20$/);
        assert.match((await page.getByTestId('container-subnet:endpoints').textContent()) ?? '', /^snet-pep\s*10\.0\.\d+\.\d+\/\d+$/);
        assert.equal(await page.locator('.react-flow__node-endpoint').count(), 4, 'one private endpoint per Private Link target');
        assert.deepEqual(designer.errors, [], 'no error in the page');
        if (controller === 'appRouting') {
          for (const theme of ['light', 'dark', 'high-contrast'] as const) await screenshot(text, theme);
        }
      } finally {
        await designer.close();
      }
    });
  }

  async function screenshot(text: string, theme: 'light' | 'dark' | 'high-contrast'): Promise<void> {
    const { designer, page } = theme === 'light' ? await open(text) : await open(text, theme);
    try {
      const dir = join(ROOT, 'docs', 'screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `diagram-${theme}.png`) });
    } finally {
      await designer.close();
    }
  }

  test('the reference design laid out automatically: the same checks, and the request path in one row left to right', async () => {
    const text = mutateReference((doc) => doc.delete('layout'));
    const { designer, page, host } = await open(text);
    try {
      const edit = await host.nextEdit({ message: 'the automatic layout saved' });
      await host.apply(edit.operations);
      await settle(page);
      const m = await measure(page);
      checkDiagram(m, designOf(host), 'automatic layout');
      const centre = (id: string) => {
        const b = m.nodes.find((n) => n.id === id)!.box;
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      };
      const path = ['internet', 'appgw', 'apim', 'aks', 'sql'].map(centre);
      for (let i = 1; i < path.length; i++) assert.ok(path[i]!.x > path[i - 1]!.x, 'the request path runs left to right');
      for (const id of ['appgw', 'apim', 'aks']) {
        const b = m.nodes.find((n) => n.id === id)!.box;
        assert.ok(b.y < path[0]!.y && path[0]!.y < b.y + b.height, `${id} on the row of the internet node`);
      }
      // Bands: identity and secrets under the request path, monitoring under them.
      const bottomOfPath = Math.max(...m.nodes.filter((n) => n.kind === 'vnet').map((n) => n.box.y + n.box.height));
      for (const id of ['entra', 'kv', 'acr', 'workload-identity']) assert.ok(centre(id).y > bottomOfPath, `${id} in the identity band`);
      for (const id of ['logs', 'appinsights', 'defender', 'sentinel']) assert.ok(centre(id).y > centre('entra').y + 40, `${id} in the monitoring band`);
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('a blank design grown to 10 nodes by drag and drop from the palette: the same checks', async () => {
    const { designer, page, host } = await open(blankDesign());
    try {
      const canvas = page.getByTestId(TEST_IDS.canvas);
      // The request path along the middle, the rest in a row under it.
      const drops: [string, number, number][] = [
        ['internet', 0.08, 0.3],
        ['applicationGateway', 0.28, 0.3],
        ['apiManagement', 0.5, 0.3],
        ['aksCluster', 0.72, 0.3],
        ['sqlDatabase', 0.92, 0.3],
        ['keyVault', 0.1, 0.75],
        ['containerRegistry', 0.3, 0.75],
        ['entraId', 0.5, 0.75],
        ['logAnalytics', 0.7, 0.75],
        ['applicationInsights', 0.9, 0.75],
      ];
      for (const [type, fx, fy] of drops) {
        const size = (await canvas.boundingBox())!;
        await page.getByTestId(testIdOf.paletteItem(type)).dragTo(canvas, { targetPosition: { x: size.width * fx, y: size.height * fy } });
        const edit = await host.nextEdit({ message: `the ${type} added` });
        await host.apply(edit.operations);
      }
      await poll(async () => (await page.locator('.react-flow__node-arch').count()) === 10, { message: '10 nodes drawn' });
      await page.keyboard.press('Escape');
      await page.getByTestId(testIdOf.toolbarButton('fit')).click();
      await settle(page);
      checkDiagram(await measure(page), designOf(host), 'grown by drag and drop');
      assert.deepEqual(designer.errors, [], 'no error in the page');
    } finally {
      await designer.close();
    }
  });

  test('moving a resource into another subnet or a service into the network is refused, with the reason said', async () => {
    const { designer, page, host } = await open(REFERENCE);
    try {
      const centreOf = async (testId: string) => {
        const b = (await page.getByTestId(testId).boundingBox())!;
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      };
      const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        await page.mouse.move(from.x + 8, from.y + 4, { steps: 2 });
        await page.mouse.move(to.x, to.y, { steps: 12 });
        await page.mouse.up();
      };
      const before = await page.getByTestId(testIdOf.flowNode('aks')).boundingBox();
      await drag(await centreOf(testIdOf.node('aks')), await centreOf('container-subnet:apim'));
      await poll(async () => /cannot move into snet-apim/.test((await page.getByTestId(TEST_IDS.canvasStatus).textContent()) ?? ''), {
        message: 'the reason in the status line',
      });
      await settle(page);
      const after = await page.getByTestId(testIdOf.flowNode('aks')).boundingBox();
      assert.ok(before && after && Math.abs(before.x - after.x) < 1 && Math.abs(before.y - after.y) < 1, 'AKS is back where it was');

      const vnet = (await page.getByTestId(testIdOf.flowNode('vnet')).boundingBox())!;
      await drag(await centreOf(testIdOf.node('kv')), { x: vnet.x + vnet.width / 2, y: vnet.y + vnet.height / 2 });
      await poll(async () => /kv is not in the virtual network/.test((await page.getByTestId(TEST_IDS.canvasStatus).textContent()) ?? ''), {
        message: 'the reason in the status line',
      });
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual((await host.pending()).filter((m) => m.type === 'edit'), [], 'no move was sent');
      // The design text has no subnet: containers are drawn, never saved.
      assert.equal(parseDocument(host.text).toJS().nodes.length, designOf(host).nodes.length);
    } finally {
      await designer.close();
    }
  });
});
